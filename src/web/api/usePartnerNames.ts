import { useQuery } from '@tanstack/react-query';
import { api, call } from './client';

/** Partner names by id, from the directory (a registration names only its partner's id). */
export function usePartnerNames(): (partnerId: string) => string {
  const partners = useQuery({
    queryKey: ['directory', 'partners'],
    queryFn: () => call(api.GET('/api/directory/partners', { params: { query: { limit: 500 } } })),
  });
  return (partnerId) => partners.data?.items.find((p) => p.id === partnerId)?.name ?? partnerId;
}
