import { randomBytes } from 'node:crypto';
import type { RegistrationView } from '../../workflows/registration/contract';
import type { TestStack } from './stack';

/** A domain no other test has registered, e.g. "litware-1a2b3c4d.example". */
export const uniqueDomain = (name: string) => `${name.toLowerCase()}-${randomBytes(4).toString('hex')}.example`;

/** A partner's deal in emea registered through the API, as the workflow answered it. */
export async function registeredThroughApi(
  stack: TestStack,
  token: string,
  account: string,
  domain: string,
  amount: number,
): Promise<RegistrationView> {
  const res = await stack.api.call<RegistrationView>('POST', '/api/registrations', {
    token,
    body: {
      account: { name: account, domain, region: 'emea' },
      opportunity: {
        title: 'Analytics rollout',
        productLine: 'analytics',
        amount: { value: amount, currency: 'EUR' },
        expectedCloseDate: '2027-09-30',
      },
    },
  });
  if (res.status !== 201) throw new Error(`registration answered ${res.status}: ${res.text}`);
  return res.body;
}
