import { api, call } from '../api/client';
import { completeSilentRenew } from './oidcSession';

export async function completeSilentRenewHere(): Promise<void> {
  const config = await call(api.GET('/api/auth/config'));
  if (config.oidc) await completeSilentRenew(config.oidc);
}
