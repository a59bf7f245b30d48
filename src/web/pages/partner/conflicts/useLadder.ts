import { useQuery } from '@tanstack/react-query';
import { api, call } from '../../../api/client';

interface ConflictRules {
  escalation: { role: string; sla: string }[];
  clock: string;
  onFinalBreach: string;
  appealWindow: string;
}

/** The conflict rules of the version a case was opened under: its ladder and its appeal window. */
export function useLadder(version: number) {
  return useQuery({
    queryKey: ['policy', version],
    queryFn: () => call(api.GET('/api/policies/{version}', { params: { path: { version } } })),
    select: (policy) => (policy.document as { conflicts: ConflictRules }).conflicts,
    staleTime: Infinity,
  });
}
