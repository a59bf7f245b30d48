import type { NextFunction, Request, Response } from 'express';
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';
import { principalSchema, type Principal } from '../domain/principal';
import type { ApiKeyStore } from '../store/apiKeys';
import { DEV_TOKENS } from '../devDirectory';
import { Problem } from './problem';

export interface AuthOptions {
  devTokens: boolean;
  jwt?: { jwksUrl: string; issuer: string; audience: string };
  apiKeys: ApiKeyStore;
}

// Asymmetric algorithms only: an HMAC or `none` token must never be accepted against a JWKS.
const JWT_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'ES256', 'ES384', 'EdDSA'];

/** Resolves a bearer token to a principal: dev tokens, then service API keys, then JWTs. */
export function tokenAuthenticator(options: AuthOptions): (token: string) => Promise<Principal | undefined> {
  const jwks = options.jwt ? createRemoteJWKSet(new URL(options.jwt.jwksUrl)) : undefined;
  return async (token) => {
    if (options.devTokens && Object.hasOwn(DEV_TOKENS, token)) return DEV_TOKENS[token];
    if (token.startsWith('roe_')) return options.apiKeys.authenticate(token);
    if (jwks && options.jwt && token.split('.').length === 3) {
      try {
        const { payload } = await jwtVerify(token, jwks, {
          issuer: options.jwt.issuer,
          audience: options.jwt.audience,
          algorithms: JWT_ALGORITHMS,
        });
        return principalFromClaims(payload);
      } catch {
        return undefined;
      }
    }
    return undefined;
  };
}

/** Claims `role`, `partnerId`, `escalationRoles`, `regions`; `sub` names the caller. */
export function principalFromClaims(payload: JWTPayload): Principal | undefined {
  const claims = payload as Record<string, unknown>;
  const candidate = {
    role: claims.role,
    subject: payload.sub,
    ...(claims.role === 'partner' ? { partnerId: claims.partnerId } : {}),
    ...(claims.role === 'manager' ? { escalationRoles: claims.escalationRoles, regions: claims.regions } : {}),
  };
  const parsed = principalSchema.safeParse(candidate);
  return parsed.success ? parsed.data : undefined;
}

// Routing ignores a trailing slash, so must the exemption.
/** An entry ending in `/*` covers the paths below it (`/email-actions/*`: a link's token is its credential). */
export function isPublicPath(publicPaths: Set<string>, req: Request): boolean {
  const path = req.path.replace(/(.)\/+$/, '$1');
  if (publicPaths.has(path)) return true;
  for (const entry of publicPaths) {
    if (entry.endsWith('/*') && path.startsWith(entry.slice(0, -1)) && path.length > entry.length - 1) return true;
  }
  return false;
}

/** Sets `res.locals.principal` or answers 401; the public paths pass through unauthenticated. */
export function authenticate(resolve: (token: string) => Promise<Principal | undefined>, publicPaths: Set<string>) {
  return (req: Request, res: Response, next: NextFunction) => {
    if (isPublicPath(publicPaths, req)) return next();
    const header = req.get('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) {
      return next(
        unauthenticated(header ? 'the Authorization header must be "Bearer <token>"' : 'a bearer token is required'),
      );
    }
    resolve(match[1])
      .then((principal) => {
        if (!principal) return next(unauthenticated('the token is unknown, expired or revoked'));
        res.locals.principal = principal;
        next();
      })
      .catch(next);
  };
}

const unauthenticated = (detail: string) =>
  new Problem(401, 'unauthenticated', detail, { headers: { 'WWW-Authenticate': 'Bearer realm="roe"' } });
