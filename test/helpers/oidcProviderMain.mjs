// A real OpenID Connect provider (oidc-provider) on loopback, for the web app's sign-in test. Runs
// in a process of its own: oidc-provider is an ES module, the tests are CommonJS under Jest.
// Configuration as JSON in argv[2]: {port, appUrl, clientId, audience, accessTokenTtl, accounts}
// where accounts maps a login to {name, claims} (the claims the API reads: role, partnerId, …).
// Prints one line `ready <issuer>` when it listens.
import { generateKeyPairSync } from 'node:crypto';
import { createServer } from 'node:http';
import Provider, { errors } from 'oidc-provider';

const options = JSON.parse(process.argv[2]);
const { port, appUrl, clientId, audience, accessTokenTtl, accounts } = options;
const issuer = `http://127.0.0.1:${port}`;
const API_SCOPE = 'roe';

const signingKey = {
  ...generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' }),
  alg: 'RS256',
  use: 'sig',
  kid: 'test-signing-key',
};

const page = (title, body) => `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head>
<body><main><h1>${title}</h1>${body}</main></body></html>`;

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: clientId,
      // A public client (a single-page app): no secret, PKCE instead (required for such clients).
      token_endpoint_auth_method: 'none',
      application_type: 'web',
      grant_types: ['authorization_code'],
      response_types: ['code'],
      redirect_uris: [`${appUrl}/auth/callback`, `${appUrl}/auth/silent`],
      post_logout_redirect_uris: [`${appUrl}/`],
    },
  ],
  jwks: { keys: [signingKey] },
  cookies: { keys: ['roe-test-cookie-key'] },
  pkce: { required: () => true },
  claims: { openid: ['sub'], profile: ['name'] },
  findAccount: async (_ctx, id) =>
    accounts[id] ? { accountId: id, claims: async () => ({ sub: id, name: accounts[id].name }) } : undefined,
  // The API reads who the caller is from the access token's own claims.
  extraTokenClaims: async (_ctx, token) =>
    token.kind === 'AccessToken' ? (accounts[token.accountId]?.claims ?? undefined) : undefined,
  // A first-party app: the person is not asked to consent, the grant is made on first sign-in.
  loadExistingGrant: async (ctx) => {
    const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    const existing = grantId ? await ctx.oidc.provider.Grant.find(grantId) : undefined;
    if (existing) return existing;
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope('openid profile');
    grant.addResourceScope(audience, API_SCOPE);
    await grant.save();
    return grant;
  },
  features: {
    devInteractions: { enabled: true },
    resourceIndicators: {
      enabled: true,
      // No default: the app must name the API (`resource`), as against any RFC 8707 provider.
      defaultResource: async () => undefined,
      useGrantedResource: async () => true,
      getResourceServerInfo: async (_ctx, resource) => {
        if (resource !== audience) throw new errors.InvalidTarget();
        return {
          scope: API_SCOPE,
          audience,
          accessTokenFormat: 'jwt',
          accessTokenTTL: accessTokenTtl,
          jwt: { sign: { alg: 'RS256' } },
        };
      },
    },
    rpInitiatedLogout: {
      enabled: true,
      logoutSource: async (ctx, form) => {
        ctx.body = page(
          'Sign out of the test provider?',
          `${form}<button autofocus type="submit" form="op.logoutForm" value="yes" name="logout">Yes, sign me out</button>
           <button type="submit" form="op.logoutForm">No, stay signed in</button>`,
        );
      },
    },
  },
  ttl: {
    AccessToken: accessTokenTtl,
    IdToken: 3600,
    Session: 3600,
    Grant: 3600,
    Interaction: 600,
    AuthorizationCode: 60,
  },
});
provider.on('server_error', (_ctx, error) => console.error(`oidc-provider server_error: ${error.stack}`));

const server = createServer(provider.callback());
server.listen(port, '127.0.0.1', () => console.log(`ready ${issuer}`));
const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
