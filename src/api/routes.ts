import type { Express, NextFunction, Request, Response } from 'express';
import { z } from 'zod';
import type { Principal, Role } from '../domain/principal';
import { fieldErrorMap, issuesToFieldErrors } from '../domain/fieldErrors';
import { Problem, badRequest } from './problem';

type Method = 'get' | 'post' | 'put' | 'delete';
type AnyObject = z.ZodType<Record<string, unknown>>;

export interface RouteContext<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  principal: Principal;
  req: Request;
  res: Response;
}

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface RouteSpec<P extends AnyObject, Q extends AnyObject, B extends z.ZodType> {
  method: Method;
  /** OpenAPI form: `/api/policies/{version}`. */
  path: string;
  summary: string;
  tag: string;
  /** Roles allowed to call; `'public'` skips authentication. */
  roles: readonly Role[] | 'public';
  params?: P;
  query?: Q;
  body?: B;
  responses: Record<number, { description: string; schema?: z.ZodType }>;
  handler: (ctx: RouteContext<z.output<P>, z.output<Q>, z.output<B>>) => Promise<Reply>;
}

interface RegisteredRoute {
  spec: RouteSpec<AnyObject, AnyObject, z.ZodType>;
  pattern: RegExp;
}

/**
 * The single place where an endpoint is declared: its schemas validate requests and generate the
 * OpenAPI document, so the contract and the code cannot drift apart.
 */
export class RouteTable {
  private readonly routes: RegisteredRoute[] = [];

  add<P extends AnyObject, Q extends AnyObject, B extends z.ZodType>(spec: RouteSpec<P, Q, B>): void {
    const pattern = new RegExp(`^${spec.path.replace(/\{[^}]+\}/g, '[^/]+')}/?$`);
    this.routes.push({ spec: spec as unknown as RouteSpec<AnyObject, AnyObject, z.ZodType>, pattern });
  }

  mount(app: Express): void {
    for (const { spec } of this.routes) {
      app[spec.method](toExpressPath(spec.path), (req, res, next) => {
        run(spec, req, res).catch(next);
      });
    }
  }

  /** Methods served on a path, for 405 answers; empty when no route matches the path. */
  methodsFor(path: string): string[] {
    return this.routes.filter((r) => r.pattern.test(path)).map((r) => r.spec.method.toUpperCase());
  }

  specs(): RouteSpec<AnyObject, AnyObject, z.ZodType>[] {
    return this.routes.map((r) => r.spec);
  }
}

async function run(spec: RouteSpec<AnyObject, AnyObject, z.ZodType>, req: Request, res: Response) {
  res.locals.route = spec.path;
  const principal = res.locals.principal as Principal | undefined;
  if (spec.roles !== 'public') {
    if (!principal) throw new Problem(401, 'unauthenticated', 'a valid bearer token is required');
    if (!spec.roles.includes(principal.role)) {
      throw new Problem(403, 'forbidden', `the ${principal.role} role may not ${spec.summary.toLowerCase()}`);
    }
  }
  const params = parsePart(spec.params, req.params);
  const query = parsePart(spec.query, req.query);
  const body = parsePart(spec.body, req.body ?? {});
  const reply = await spec.handler({ params, query, body, principal: principal as Principal, req, res });
  for (const [name, value] of Object.entries(reply.headers ?? {})) res.setHeader(name, value);
  if (reply.body === undefined) res.status(reply.status).end();
  else res.status(reply.status).json(reply.body);
}

function parsePart(schema: z.ZodType | undefined, input: unknown): never {
  if (!schema) return {} as never;
  const nul = pathOfNul(input);
  if (nul !== undefined) {
    throw badRequest(nul ? `${nul}: ${NUL_MESSAGE}` : NUL_MESSAGE, [{ path: nul, message: NUL_MESSAGE }]);
  }
  const parsed = schema.safeParse(input, { error: fieldErrorMap });
  if (!parsed.success) {
    const errors = issuesToFieldErrors(parsed.error.issues);
    throw badRequest(errors.map((e) => (e.path ? `${e.path}: ${e.message}` : e.message)).join('; '), errors);
  }
  return parsed.data as never;
}

const NUL_MESSAGE = 'must not contain the character U+0000';

/**
 * The path of the first text or key holding U+0000, which PostgreSQL text and jsonb cannot store:
 * let in, it fails the process's activity on every retry and the request waits forever.
 * A loop, not recursion: a body may be nested thousands of levels deep.
 */
function pathOfNul(input: unknown): string | undefined {
  // Each node keeps its parent's index, not its whole path, so a deep body costs linear time.
  const nodes: { value: unknown; parent: number; key: string }[] = [{ value: input, parent: -1, key: '' }];
  const pathTo = (index: number, key?: string): string => {
    const keys = key === undefined ? [] : [key];
    for (let i = index; i > 0; i = nodes[i].parent) keys.push(nodes[i].key);
    return keys.reverse().join('.');
  };
  for (let i = 0; i < nodes.length; i++) {
    const { value } = nodes[i];
    if (typeof value === 'string' && value.includes('\0')) return pathTo(i);
    if (value === null || typeof value !== 'object') continue;
    for (const [key, child] of Object.entries(value)) {
      if (key.includes('\0')) return pathTo(i, key);
      nodes.push({ value: child, parent: i, key });
    }
  }
  return undefined;
}

const toExpressPath = (path: string) => path.replace(/\{([^}]+)\}/g, ':$1');

/**
 * Unknown paths → 404, known paths with another method → 405 with `Allow`. `fixedPaths` are the
 * endpoints mounted outside the table (`/healthz`, `/metrics`…) with the methods they serve.
 */
export function unmatchedRoute(table: RouteTable, fixedPaths: Record<string, readonly string[]> = {}) {
  return (req: Request, _res: Response, next: NextFunction) => {
    const path = req.path.replace(/(.)\/+$/, '$1');
    const fixed = Object.hasOwn(fixedPaths, path) ? fixedPaths[path].map((m) => m.toUpperCase()) : [];
    const allowed = [...table.methodsFor(req.path), ...fixed];
    if (allowed.length === 0) return next(new Problem(404, 'not-found', `no endpoint at ${req.path}`));
    const allow = [...new Set([...allowed, ...(allowed.includes('GET') ? ['HEAD'] : [])])].join(', ');
    next(
      new Problem(405, 'method-not-allowed', `${req.method} is not allowed on ${req.path}`, {
        headers: { Allow: allow },
      }),
    );
  };
}

/**
 * The POST steps on one object of a collection (`/api/<things>/{id}/<step>`): the caller must be
 * able to see the object (else 404), the step runs, and the answer is the object as the caller may see it.
 */
export function objectSteps<View>(
  table: RouteTable,
  object: {
    collectionPath: string;
    tag: string;
    idParam: z.ZodType<{ id: string }>;
    responses: RouteSpec<AnyObject, AnyObject, z.ZodType>['responses'];
    visible: (principal: Principal, id: string) => Promise<unknown>;
    present: (principal: Principal, view: View, id: string) => unknown;
  },
) {
  return <B extends z.ZodType>(step: {
    path: string;
    summary: string;
    roles: readonly Role[];
    body: B;
    run: (id: string, body: z.output<B>, principal: Principal) => Promise<View>;
  }) =>
    table.add({
      method: 'post',
      path: `${object.collectionPath}/{id}/${step.path}`,
      summary: step.summary,
      tag: object.tag,
      roles: step.roles,
      params: object.idParam,
      body: step.body,
      responses: object.responses,
      handler: async ({ params, body, principal }) => {
        await object.visible(principal, params.id);
        const view = await step.run(params.id, body, principal);
        return { status: 200, body: object.present(principal, view, params.id) };
      },
    });
}
