import { randomUUID } from 'node:crypto';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import type { Client } from '@temporalio/client';
import type { Logger } from '../logger';
import type { Store } from '../store';
import { authenticate, isPublicPath, tokenAuthenticator } from './auth';
import { authFailureRateLimit, perCallerRateLimit } from './rateLimits';
import { createHttpMetrics } from './httpMetrics';
import { openApiDocument, openApiDocumentSchema } from './openapi';
import { mountOperations, OPERATION_PATHS } from './operations';
import { Problem, badRequest, sendProblem } from './problem';
import { InvalidCursorError } from '../store/directory';
import { StoreUnavailableError } from '../store/db';
import { RouteTable, unmatchedRoute } from './routes';
import { webhookRoutes } from './routers/webhooks';
import { reportRoutes } from './routers/reports';
import { feedbackRoutes } from './routers/feedback';
import { registrationImportRoutes } from './routers/registrationImports';
import { emailActionRoutes } from './routers/emailActions';
import { directoryImportRoutes } from './routers/directoryImports';
import type { WebhookSettings } from '../config';
import { apiKeyRoutes } from './routers/apiKeys';
import { auditRoutes } from './routers/audit';
import { directoryRoutes } from './routers/directory';
import { policyRoutes } from './routers/policies';
import { policyChangeRoutes } from './routers/policyChanges';
import { workflowRoutes } from './routers/workflows';
import { rolloutRoutes } from './routers/rollouts';
import { registrationRoutes } from './routers/registrations';
import { conflictRoutes } from './routers/conflicts';
import { metricsRoutes } from './routers/metrics';
import { eventRoutes } from './routers/events';
import { sessionRoutes, type SessionOptions } from './routers/session';
import { eventStreams } from './eventStreams';
import { mountWebApp, type WebAppOptions } from './webApp';

export interface AppOptions {
  store: Store;
  temporal: Client;
  /** The task queue new processes are started on. */
  taskQueue: string;
  logger: Logger;
  auth: { devTokens: boolean; jwt?: { jwksUrl: string; issuer: string; audience: string } };
  rateLimitPerMinute: number;
  /** Failed authentications a client address may make a minute (default 30). */
  authFailuresPerMinute?: number;
  /** Proxies trusted to name the client in X-Forwarded-For (Express `trust proxy`); default none. */
  trustedProxies?: string[];
  /** The in-process worker's Temporal Core metrics (Prometheus text), appended to `/metrics`. */
  workerMetrics?: () => string;
  /** The built single-page app served at `/` (absent: no web page, the API alone). */
  webApp?: WebAppOptions;
  /** What `GET /api/session` and `GET /api/auth/config` tell the web app beyond the caller. */
  session?: Omit<SessionOptions, 'devTokens'>;
  /** Webhook targets allowed although private, and the retry rules a replay starts a queue with. */
  webhooks?: WebhookSettings;
  /** Aborted when the process begins to stop: open event streams end then, instead of holding the server. */
  stopping?: AbortSignal;
}

export const VERSION = '0.1.0';
const DEFAULT_WEBHOOK_SETTINGS = { firstRetryMs: 5_000, retryForMs: 3 * 24 * 60 * 60 * 1000 };
const OPENAPI_PATH = '/api/openapi.json';

export function createApp(options: AppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', options.trustedProxies?.length ? options.trustedProxies : false);
  app.use(helmet());
  app.use(
    pinoHttp({
      logger: options.logger,
      genReqId: (req, res) => {
        const incoming = req.headers['x-request-id'];
        const id = typeof incoming === 'string' && /^[A-Za-z0-9._-]{8,100}$/.test(incoming) ? incoming : randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
      customLogLevel: (_req, res, error) =>
        error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
      // Paths and methods only: queries may carry search terms, headers carry tokens.
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({
          id: req.id,
          method: req.method,
          // An email link's token is a credential until it is used: never in a log line.
          path: req.url.split('?')[0].replace(/\/(act|api\/email-actions)\/[^/]+/, '/$1/[token]'),
        }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
    }),
  );
  const metrics = createHttpMetrics();
  app.use(metrics.middleware);
  mountOperations(app, { store: options.store, temporal: options.temporal }, metrics, options.workerMetrics);

  const table = apiRoutes(options);

  const api = express.Router();
  const publicPaths = new Set(['/openapi.json', '/auth/config', '/email-actions/*']);
  api.use(authFailureRateLimit(options.authFailuresPerMinute ?? 30, (req) => isPublicPath(publicPaths, req)));
  api.use(authenticate(tokenAuthenticator({ ...options.auth, apiKeys: options.store.apiKeys }), publicPaths));
  api.use(noStoreWhenAuthenticated);
  api.use(perCallerRateLimit(options.rateLimitPerMinute));
  api.use(requireJsonBody);
  api.use(express.json({ limit: '100kb', strict: true, type: ['application/json', 'application/*+json'] }));
  // CSV imports only (each operation takes one media type: src/api/routes.ts refuses the other).
  api.use(express.text({ limit: '5mb', type: 'text/csv' }));
  app.use('/api', api);
  table.mount(app);
  if (options.webApp) mountWebApp(app, options.webApp);
  app.use(unmatchedRoute(table, OPERATION_PATHS));
  app.use(problemHandler(options.logger, table));
  return app;
}

/**
 * Every endpoint of the API, declared once: the app mounts these, and the OpenAPI document (and
 * the web app's typed client, generated from it) is built from the same table.
 */
export function apiRoutes(
  options: Pick<AppOptions, 'store' | 'temporal' | 'taskQueue'> &
    Partial<Pick<AppOptions, 'logger' | 'auth' | 'session' | 'stopping' | 'webhooks'>>,
): RouteTable {
  const table = new RouteTable();
  directoryRoutes(table, options.store);
  directoryImportRoutes(table, options.store);
  policyRoutes(table, options.store);
  policyChangeRoutes(table, { store: options.store, temporal: options.temporal, taskQueue: options.taskQueue });
  registrationImportRoutes(table, { store: options.store, temporal: options.temporal, taskQueue: options.taskQueue });
  registrationRoutes(table, { store: options.store, temporal: options.temporal, taskQueue: options.taskQueue });
  conflictRoutes(table, { store: options.store, temporal: options.temporal });
  metricsRoutes(table, options.store);
  reportRoutes(table, options.store);
  feedbackRoutes(table, options.store);
  emailActionRoutes(table, { store: options.store, temporal: options.temporal, taskQueue: options.taskQueue });
  rolloutRoutes(table, { store: options.store, temporal: options.temporal, taskQueue: options.taskQueue });
  workflowRoutes(table, options.temporal);
  auditRoutes(table, options.store);
  apiKeyRoutes(table, options.store);
  webhookRoutes(table, {
    store: options.store,
    temporal: options.temporal,
    taskQueue: options.taskQueue,
    allowedTargets: options.webhooks?.allowedTargets ?? [],
    retry: {
      firstRetryMs: options.webhooks?.firstRetryMs ?? DEFAULT_WEBHOOK_SETTINGS.firstRetryMs,
      retryForMs: options.webhooks?.retryForMs ?? DEFAULT_WEBHOOK_SETTINGS.retryForMs,
    },
  });
  const streams = eventStreams(options.store.audit, options.logger);
  options.stopping?.addEventListener('abort', () => streams.close(), { once: true });
  eventRoutes(table, { store: options.store, streams });
  sessionRoutes(table, { store: options.store, devTokens: options.auth?.devTokens ?? false, ...options.session });
  table.add({
    method: 'get',
    path: OPENAPI_PATH,
    summary: 'This OpenAPI 3.1 document',
    tag: 'Operations',
    roles: 'public',
    responses: {
      200: { description: 'The OpenAPI document', schema: openApiDocumentSchema },
    },
    handler: async () => ({ status: 200, body: openApiDocument(table, { version: VERSION }) }),
  });
  return table;
}

/** What a caller reads with its token is its own: no shared or browser cache may keep it. */
function noStoreWhenAuthenticated(_req: Request, res: Response, next: NextFunction): void {
  if (res.locals.principal) res.setHeader('Cache-Control', 'no-store');
  next();
}

/** A body that is not JSON is refused before parsing (415), instead of silently read as empty. */
function requireJsonBody(req: Request, _res: Response, next: NextFunction): void {
  const hasBody = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
  if (hasBody && !req.is(['application/json', 'application/*+json', 'text/csv'])) {
    next(
      new Problem(415, 'unsupported-media-type', 'request bodies must be application/json (text/csv for an import)'),
    );
    return;
  }
  next();
}

interface HttpError extends Error {
  status?: number;
  statusCode?: number;
  type?: string;
  expose?: boolean;
}

function problemHandler(logger: Logger, table: RouteTable) {
  return (error: unknown, req: Request, res: Response, _next: NextFunction): void => {
    if (error instanceof Problem) return sendProblem(res, error);
    const undecodable = error instanceof URIError ? table.undecodableParam(req.path) : undefined;
    if (undecodable) {
      return sendProblem(res, badRequest(`${undecodable.path}: ${undecodable.message}`, [undecodable]));
    }
    if (error instanceof StoreUnavailableError) {
      (req.log ?? logger).warn({ err: error }, 'store unreachable');
      return sendProblem(
        res,
        new Problem(503, 'store-unavailable', 'the store is unreachable; retry shortly', {
          headers: { 'Retry-After': '5' },
        }),
      );
    }
    if (error instanceof InvalidCursorError) {
      return sendProblem(res, badRequest(`cursor: ${error.message}`, [{ path: 'cursor', message: error.message }]));
    }
    const httpError = error as HttpError;
    if (httpError.type === 'entity.too.large') {
      return sendProblem(res, new Problem(413, 'body-too-large', 'the request body is over 100 kB'));
    }
    if (httpError.type === 'entity.parse.failed') {
      return sendProblem(res, new Problem(400, 'malformed-json', 'the request body is not valid JSON'));
    }
    if (httpError.type === 'encoding.unsupported' || httpError.type === 'charset.unsupported') {
      return sendProblem(res, new Problem(415, 'unsupported-media-type', httpError.message));
    }
    const status = httpError.status ?? httpError.statusCode;
    if (status && status >= 400 && status < 500) {
      return sendProblem(res, new Problem(status, 'bad-request', httpError.expose ? httpError.message : 'bad request'));
    }
    // The request's own logger, so that this line carries `req.id` like every other line of the request.
    (req.log ?? logger).error({ err: error }, 'unhandled error');
    sendProblem(res, new Problem(500, 'internal', `an internal error occurred; quote request id ${String(req.id)}`));
  };
}
