import { startTestStack, type TestStack } from '../helpers/stack';

// Who the caller is and how to sign in, as the web app's header and sign-in page ask.

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
}, 120_000);
afterAll(() => stack?.close());

describe('GET /api/session', () => {
  it('names a development partner by its short name, with its directory name beside it', async () => {
    const res = await stack.api.call('GET', '/api/session', { token: 'dev-partner-northwind' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      role: 'partner',
      partnerId: 'northwind',
      partnerName: 'Northwind Traders',
      displayName: 'Northwind (partner)',
    });
    expect(res.body.temporalUiUrl).toBeUndefined();
  });

  it('names a channel manager by role and region', async () => {
    const res = await stack.api.call('GET', '/api/session', { token: 'dev-cm-emea' });
    expect(res.body).toMatchObject({ displayName: 'Channel manager EMEA', regions: ['emea'] });
    const vp = await stack.api.call('GET', '/api/session', { token: 'dev-vp' });
    expect(vp.body.displayName).toBe('VP partnerships');
  });

  it('answers 401 without a token', async () => {
    expect((await stack.api.call('GET', '/api/session')).status).toBe(401);
  });
});

describe('GET /api/auth/config', () => {
  it('lists the development sign-ins without a token while dev tokens are on', async () => {
    const res = await stack.api.call('GET', '/api/auth/config');
    expect(res.status).toBe(200);
    expect(res.body.devSignIn).toContainEqual({ token: 'dev-ops', name: 'Ops', role: 'ops' });
    expect(res.body.devSignIn).toContainEqual({
      token: 'dev-partner-northwind',
      name: 'Northwind (partner)',
      role: 'partner',
    });
    expect(res.body.oidc).toBeUndefined();
  });
});
