import { randomBytes } from 'node:crypto';

// The API calls the bench makes, as a partner's integration would make them.

/** Gold partner, amount under the auto-approval limit: every registration is approved and takes a claim. */
export const PARTNER_TOKEN = 'dev-partner-northwind';
export const ADMIN_TOKEN = 'dev-admin';

const RUN = randomBytes(3).toString('hex');

export function registrationBody(index: number, label: string) {
  return {
    // Random company names: near-identical ones would all be flagged as possible duplicates of each other.
    account: {
      name: `Company ${randomBytes(5).toString('hex')}`,
      domain: `${label}-${RUN}-${index}.example`,
      region: 'emea',
    },
    opportunity: {
      title: 'Benchmark deal',
      productLine: 'analytics',
      amount: { value: 20_000, currency: 'EUR' },
      expectedCloseDate: '2027-06-30',
    },
  };
}

export interface RegistrationAnswer {
  id: string;
  status: string;
  expiresAt?: string;
  account?: { domain: string };
}

/** POST /api/registrations; resolves with the registration, throws on anything but 201. */
export async function submitRegistration(apiUrl: string, body: unknown): Promise<RegistrationAnswer> {
  const response = await fetch(`${apiUrl}/api/registrations`, {
    method: 'POST',
    headers: { authorization: `Bearer ${PARTNER_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (response.status !== 201) throw new Error(`POST /api/registrations answered ${response.status}: ${text}`);
  return JSON.parse(text) as RegistrationAnswer;
}

/** GET /api/registrations/{id}; throws on anything but 200. */
export async function readRegistration(apiUrl: string, id: string): Promise<RegistrationAnswer> {
  const response = await fetch(`${apiUrl}/api/registrations/${id}`, {
    headers: { authorization: `Bearer ${PARTNER_TOKEN}` },
  });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`GET /api/registrations/${id} answered ${response.status}: ${text}`);
  return JSON.parse(text) as RegistrationAnswer;
}

/** POST /api/policies as the admin: a new draft version. */
export async function createPolicyDraft(apiUrl: string, document: unknown): Promise<number> {
  const response = await fetch(`${apiUrl}/api/policies`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(document),
  });
  const text = await response.text();
  if (response.status !== 201) throw new Error(`POST /api/policies answered ${response.status}: ${text}`);
  return (JSON.parse(text) as { version: number }).version;
}
