import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';

export interface WebAppOptions {
  /** The built app (`dist/web`): index.html and hashed assets. */
  dir: string;
  /** An OpenID Connect issuer the page signs in with: its origin is allowed to be called and framed. */
  oidcIssuer?: string;
}

/**
 * Where the built app is: `dist/web` beside the sources (`npm start`, which builds it first) or
 * beside the compiled server (`npm run build`, then `npm run api`). Undefined when not built.
 */
export function builtWebAppDir(): string | undefined {
  return [join(__dirname, '..', '..', 'dist', 'web'), join(__dirname, '..', '..', 'web')].find((dir) =>
    existsSync(join(dir, 'index.html')),
  );
}

/** Paths the page never answers: the API, its docs and operations keep their own 404s. */
const NOT_THE_PAGE = /^\/(api|docs|healthz|readyz|metrics)(\/|$)/;

/**
 * Serves the single-page app at `/`: hashed assets cached for good, index.html for every other
 * page path (the app routes in the browser), under a policy that lets the page reach only this
 * server and its sign-in issuer.
 */
export function mountWebApp(app: Express, options: WebAppOptions): void {
  const dir = resolve(options.dir);
  const index = join(dir, 'index.html');
  if (!existsSync(index)) throw new Error(`the web app is not built: ${index} is missing (npm run build:web)`);
  const policy = contentSecurityPolicy(options.oidcIssuer);

  app.use(
    '/assets',
    express.static(join(dir, 'assets'), {
      immutable: true,
      maxAge: '365d',
      index: false,
      fallthrough: false,
    }),
  );
  app.use(express.static(dir, { index: false, maxAge: 0 }));
  app.get(/.*/, (req: Request, res: Response, next: NextFunction) => {
    // A browser navigating asks for text/html by name; a client that accepts anything (curl,
    // an integration) keeps getting the API's 404 problem for a path that is not there.
    if (NOT_THE_PAGE.test(req.path) || !(req.get('accept') ?? '').includes('text/html')) return next();
    res.setHeader('Content-Security-Policy', policy);
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index);
  });
}

function contentSecurityPolicy(oidcIssuer: string | undefined): string {
  const issuer = oidcIssuer ? new URL(oidcIssuer).origin : '';
  return [
    "default-src 'self'",
    `connect-src 'self'${issuer ? ` ${issuer}` : ''}`,
    `frame-src 'self'${issuer ? ` ${issuer}` : ''}`,
    "img-src 'self' data:",
    "style-src 'self' 'unsafe-inline'",
    "script-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    `form-action 'self'${issuer ? ` ${issuer}` : ''}`,
    "frame-ancestors 'self'",
  ].join('; ');
}
