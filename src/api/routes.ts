import type { Express, NextFunction, Request, Response } from 'express';
import { z } from 'zod';
import type { Principal, Role } from '../domain/principal';
import { fieldErrorMap, issuesToFieldErrors, type FieldError } from '../domain/fieldErrors';
import { firstUnstorableText } from '../domain/storableText';
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
  /** The handler answers on `res` itself, over time (a server-sent event stream). */
  streaming?: true;
  /** A body that is not JSON (a CSV export), sent as is with its content type. */
  text?: { contentType: string; body: string };
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
  /** The request body's media type when it is not JSON: a CSV import takes `text/csv`. */
  bodyContentType?: 'text/csv';
  /** 2xx bodies; a 4xx without a schema is documented with the shared problem schema. */
  responses: Record<number, { description: string; schema?: z.ZodType; contentType?: string }>;
  /** Takes an `Idempotency-Key` header (a creating POST): declared in the document. */
  idempotencyKey?: boolean;
  handler: (ctx: RouteContext<z.output<P>, z.output<Q>, z.output<B>>) => Promise<Reply>;
}

interface RegisteredRoute {
  spec: RouteSpec<AnyObject, AnyObject, z.ZodType>;
  pattern: RegExp;
  /** How many `{param}` segments the path has: fewer is more concrete. */
  templates: number;
}

/**
 * The single place where an endpoint is declared: its schemas validate requests and generate the
 * OpenAPI document, so the contract and the code cannot drift apart.
 */
export class RouteTable {
  private readonly routes: RegisteredRoute[] = [];

  add<P extends AnyObject, Q extends AnyObject, B extends z.ZodType>(spec: RouteSpec<P, Q, B>): void {
    const pattern = new RegExp(`^${spec.path.replace(/\{[^}]+\}/g, '[^/]+')}/?$`);
    const templates = (spec.path.match(/\{/g) ?? []).length;
    this.routes.push({ spec: spec as unknown as RouteSpec<AnyObject, AnyObject, z.ZodType>, pattern, templates });
  }

  mount(app: Express): void {
    for (const route of this.routes) {
      const { spec } = route;
      app[spec.method](toExpressPath(spec.path), (req, res, next) => {
        const serving = this.routesAt(req.path);
        if (serving.length > 0 && !serving.includes(route)) return next();
        run(spec, req, res).catch(next);
      });
    }
  }

  /** Methods served on a path, for 405 answers; empty when no route matches the path. */
  methodsFor(path: string): string[] {
    return this.routesAt(path).map((r) => r.spec.method.toUpperCase());
  }

  /**
   * The routes of the path that serves `path`: as in OpenAPI, a concrete path wins over a templated
   * one on every method, so `PUT /api/policies/current` is a 405, not a policy version "current".
   */
  private routesAt(path: string): RegisteredRoute[] {
    const matching = this.routes.filter((r) => r.pattern.test(path));
    const fewest = Math.min(...matching.map((r) => r.templates));
    return matching.filter((r) => r.templates === fewest);
  }

  /**
   * The path parameter of `path` whose percent-encoding is not UTF-8 (`%ED%A0%80`), which Express
   * refuses before any route runs: the 400 names it like any other bad field.
   */
  undecodableParam(path: string): FieldError | undefined {
    const segments = path.split('/');
    for (const { spec, pattern } of this.routes) {
      if (!pattern.test(path)) continue;
      for (const [i, part] of spec.path.split('/').entries()) {
        const name = /^\{(.+)\}$/.exec(part)?.[1];
        if (name && !decodesAsUtf8(segments[i] ?? '')) return { path: name, message: NOT_UTF8_MESSAGE };
      }
    }
    return undefined;
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
  const query = parsePart(spec.query, req.query, req.originalUrl.split('?')[1] ?? '');
  const body = parsePart(spec.body, bodyOf(spec, req));
  const reply = await spec.handler({ params, query, body, principal: principal as Principal, req, res });
  if (reply.streaming) return;
  for (const [name, value] of Object.entries(reply.headers ?? {})) res.setHeader(name, value);
  if (reply.text) res.status(reply.status).type(reply.text.contentType).send(reply.text.body);
  else if (reply.body === undefined) res.status(reply.status).end();
  else res.status(reply.status).json(reply.body);
}

/** The body in the operation's own media type: CSV as text, else JSON (a CSV sent to a JSON operation is a 415). */
function bodyOf(spec: RouteSpec<AnyObject, AnyObject, z.ZodType>, req: Request): unknown {
  const csvSent = req.is('text/csv') === 'text/csv';
  if (spec.bodyContentType === 'text/csv') {
    if (!csvSent) throw new Problem(415, 'unsupported-media-type', 'the body of this request must be text/csv');
    return typeof req.body === 'string' ? req.body : '';
  }
  if (csvSent) throw new Problem(415, 'unsupported-media-type', 'request bodies must be application/json');
  return req.body ?? {};
}

function parsePart(schema: z.ZodType | undefined, input: unknown, rawQuery?: string): never {
  if (!schema) return {} as never;
  const unstorable =
    rawQuery === undefined ? firstUnstorableText(input) : (undecodableQuery(rawQuery) ?? firstUnstorableText(input));
  if (unstorable) {
    const { path, message } = unstorable;
    throw badRequest(path ? `${path}: ${message}` : message, [unstorable]);
  }
  const parsed = schema.safeParse(input, { error: fieldErrorMap });
  if (!parsed.success) {
    const errors = issuesToFieldErrors(parsed.error.issues);
    throw badRequest(errors.map((e) => (e.path ? `${e.path}: ${e.message}` : e.message)).join('; '), errors);
  }
  return parsed.data as never;
}

const NOT_UTF8_MESSAGE = 'must be percent-encoded UTF-8';

/**
 * The first query parameter whose percent-encoding is not UTF-8 (`%ED%A0%80` is a lone surrogate):
 * the query parser would silently turn it into U+FFFD, so the text used would not be the text sent.
 */
function undecodableQuery(rawQuery: string): FieldError | undefined {
  for (const pair of rawQuery.split('&')) {
    const [name, value = ''] = pair.split('=', 2);
    if (!decodesAsUtf8(name) || !decodesAsUtf8(value))
      return { path: decodedLeniently(name), message: NOT_UTF8_MESSAGE };
  }
  return undefined;
}

/** A lone "%" is read literally by the parsers, as lenient clients mean it: only encoded bytes are checked. */
function decodesAsUtf8(component: string): boolean {
  try {
    decodeURIComponent(component.replace(/%(?![0-9a-f]{2})/gi, '%25'));
    return true;
  } catch {
    return false;
  }
}

const decodedLeniently = (name: string): string => {
  try {
    return decodeURIComponent(name.replace(/\+/g, ' '));
  } catch {
    return name;
  }
};

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
