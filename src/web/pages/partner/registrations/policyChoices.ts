import { useQuery } from '@tanstack/react-query';
import { api, call } from '../../../api/client';

// What the policy in effect offers to choose from: its regions and product lines (where its routes
// name them), its base currency and the currencies it has exchange rates for.

export interface PolicyChoices {
  version?: number;
  regions: string[];
  productLines: string[];
  baseCurrency: string;
  ratedCurrencies: string[];
  extensionsMax?: number;
}

interface PolicyDocumentShape {
  currency?: string;
  exchangeRates?: Record<string, number>;
  routes?: { when?: { regions?: string[]; productLines?: string[] } }[];
  registration?: { extensions?: { max?: number } };
}

export function choicesOf(document: unknown, version?: number): PolicyChoices {
  const d = (document ?? {}) as PolicyDocumentShape;
  const routes = Array.isArray(d.routes) ? d.routes : [];
  const unique = (xs: (string | undefined)[]) => [...new Set(xs.filter((x): x is string => Boolean(x)))].sort();
  const baseCurrency = d.currency ?? 'EUR';
  return {
    version,
    regions: unique(routes.flatMap((r) => r.when?.regions ?? [])),
    productLines: unique(routes.flatMap((r) => r.when?.productLines ?? [])),
    baseCurrency,
    ratedCurrencies: unique(Object.keys(d.exchangeRates ?? {})).filter((c) => c !== baseCurrency),
    extensionsMax: d.registration?.extensions?.max,
  };
}

/** The policy in effect now (GET /api/policies/effective?at=now), read as choices for the form. */
export function useEffectivePolicyChoices() {
  return useQuery({
    queryKey: ['policy-effective-choices'],
    queryFn: async () => {
      const policy = await call(
        api.GET('/api/policies/effective', { params: { query: { at: new Date().toISOString() } } }),
      );
      return choicesOf(policy.document, policy.version);
    },
    staleTime: 60_000,
  });
}

/** The version a registration is kept under: how many extensions it allows. */
export function usePolicyVersionChoices(version: number) {
  return useQuery({
    queryKey: ['policy-version-choices', version],
    queryFn: async () => {
      const policy = await call(api.GET('/api/policies/{version}', { params: { path: { version } } }));
      return choicesOf(policy.document, policy.version);
    },
    staleTime: 5 * 60_000,
  });
}

/** Every ISO 4217 code this browser knows, for the "other currency" part of the list. */
export function isoCurrencies(): string[] {
  try {
    return Intl.supportedValuesOf('currency');
  } catch {
    return ['EUR', 'USD', 'GBP', 'CHF', 'JPY'];
  }
}
