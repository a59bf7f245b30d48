import { fieldErrorMap } from './domain/fieldErrors';
import { durationToMillis, parseDuration } from './domain/duration';
import { z } from 'zod';
import { resolve } from 'node:path';
import { isIP } from 'node:net';

/** Which entry point is starting: the embedded all-in-one, or one of the production processes. */
export type ProcessRole = 'embedded' | 'api' | 'worker';

const port = z.coerce.number().int().min(1).max(65535);
const flag = z.enum(['0', '1'], { message: 'must be 1 or 0' });
const url = z.string().url({ message: 'must be a URL' });

/** An address, a CIDR range or one of Express's names for a range (`trust proxy`). */
const isProxyEntry = (entry: string): boolean => {
  if (['loopback', 'linklocal', 'uniquelocal'].includes(entry)) return true;
  const [address, prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  return prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128));
};
const trustedProxies = z
  .string()
  .transform((text) => text.split(',').map((entry) => entry.trim()))
  .refine(
    (entries) => entries.every(isProxyEntry),
    'must be comma-separated IP addresses or CIDR ranges (or loopback, linklocal, uniquelocal)',
  );

// Longer than a day would hold a review assignment past its own SLA reminder.
const MAX_DIGEST_WINDOW_MS = 24 * 60 * 60 * 1000;
const digestWindow = z
  .string()
  .transform((text) => parseDuration(text))
  .refine((d) => d !== undefined, 'must be an ISO 8601 duration such as PT15M (PT0S sends every email at once)')
  .transform((d) => durationToMillis(d!))
  .refine((ms) => ms <= MAX_DIGEST_WINDOW_MS, 'must be at most P1D');

const hostPort = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):\d{1,5}$/;
const allowedTargets = z
  .string()
  .transform((text) => text.split(',').map((entry) => entry.trim()))
  .refine((entries) => entries.every((entry) => hostPort.test(entry)), 'must be comma-separated host:port');
const positiveDuration = (example: string) =>
  z
    .string()
    .transform((text) => parseDuration(text))
    .refine(
      (d) => d !== undefined && durationToMillis(d) > 0,
      `must be a positive ISO 8601 duration such as ${example}`,
    )
    .transform((d) => durationToMillis(d!));

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: port.default(3000),
  HOST: z
    .string()
    .refine((host) => isIP(host) !== 0 || host === 'localhost', 'must be an IP address to listen on, such as 0.0.0.0')
    .optional(),
  ROE_DATA_DIR: z.string().min(1).default('./var'),
  ROE_PUBLIC_URL: url.optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  TEMPORAL_ADDRESS: z
    .string()
    .regex(/^[A-Za-z0-9.-]+:\d{1,5}$/, 'must be host:port')
    .optional(),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('roe'),
  TEMPORAL_API_KEY: z.string().min(1).optional(),
  TEMPORAL_TLS_CERT: z.string().min(1).optional(),
  TEMPORAL_TLS_KEY: z.string().min(1).optional(),
  TEMPORAL_DEV_PORT: port.default(7233),
  TEMPORAL_DEV_UI_PORT: port.default(8233),
  TEMPORAL_CLI_PATH: z.string().min(1).optional(),
  TEMPORAL_TEST_SERVER_PATH: z.string().min(1).optional(),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .optional(),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL')
    .optional(),
  MAIL_FROM: z.string().min(3).default('RoE Orchestrator <roe@localhost>'),
  ROE_DEV_AUTH: flag.optional(),
  AUTH_JWKS_URL: url.optional(),
  AUTH_ISSUER: z.string().min(1).optional(),
  AUTH_AUDIENCE: z.string().min(1).optional(),
  AUTH_CLIENT_ID: z.string().min(1).optional(),
  TEMPORAL_UI_URL: url.optional(),
  ROE_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(600),
  ROE_AUTH_FAILURES_PER_MINUTE: z.coerce.number().int().min(1).default(30),
  ROE_TRUSTED_PROXIES: trustedProxies.optional(),
  ROE_WORKER_METRICS_PORT: port.default(9464),
  ROE_WORKER_HEALTH_PORT: port.default(3001),
  ROE_WORKER_CACHED_WORKFLOWS: z.coerce.number().int().min(0).default(500),
  ROE_MANAGER_DIGEST_WINDOW: digestWindow.prefault('PT15M'),
  ROE_WEBHOOK_ALLOWED_TARGETS: allowedTargets.optional(),
  ROE_WEBHOOK_FIRST_RETRY: positiveDuration('PT5S').prefault('PT5S'),
  ROE_WEBHOOK_RETRY_FOR: positiveDuration('P3D').prefault('P3D'),
  ROE_EMAIL_LINK_TTL: positiveDuration('PT72H').prefault('PT72H'),
});

type Env = z.infer<typeof envSchema>;

export interface Config {
  role: ProcessRole;
  production: boolean;
  port: number;
  /** The address the API listens on: loopback only while development tokens are accepted. */
  host: string;
  publicUrl: string;
  dataDir: string;
  logLevel: Env['LOG_LEVEL'];
  temporal: {
    /** Undefined: the embedded dev server is started and used. */
    address?: string;
    namespace: string;
    taskQueue: string;
    apiKey?: string;
    tls?: { certPath: string; keyPath: string };
    devPort: number;
    devUiPort: number;
    /** The Temporal Web UI: the embedded dev server's, or TEMPORAL_UI_URL for a cluster; undefined: unknown. */
    uiUrl?: string;
    cliPath?: string;
    testServerPath?: string;
  };
  databaseUrl?: string;
  mail: { smtpUrl?: string; from: string; outboxDir: string };
  auth: {
    devTokens: boolean;
    jwt?: { jwksUrl: string; issuer: string; audience: string };
    /** The web app's public OIDC client id (AUTH_CLIENT_ID), offered with JWT sign-in. */
    clientId?: string;
  };
  rateLimitPerMinute: number;
  /** Failed authentications one client address may make a minute before it gets 429s. */
  authFailuresPerMinute: number;
  /** Proxies whose X-Forwarded-For names the client (Express `trust proxy`); empty: none. */
  trustedProxies: string[];
  workerMetricsPort: number;
  workerHealthPort: number;
  /** Workflows a worker keeps in memory between tasks (each ~1–1.5 MB); others are replayed when next needed. */
  workerCachedWorkflows: number;
  /** Updates for a manager within this long of an email to them wait for one digest; 0: none wait. */
  managerDigestWindowMs: number;
  webhooks: WebhookSettings;
  /** How long an email's action link (approve, reject, request info, acknowledge) works. */
  emailLinkTtlMs: number;
}

export interface WebhookSettings {
  /** `host:port` a webhook may reach although it is loopback or private (ROE_WEBHOOK_ALLOWED_TARGETS). */
  allowedTargets: string[];
  /** The wait before a failed delivery's first retry; each later wait doubles. */
  firstRetryMs: number;
  /** How long a delivery is retried before it fails and its subscription is disabled. */
  retryForMs: number;
}

/** Start-up configuration problems, one line per bad variable. */
export class ConfigError extends Error {
  constructor(readonly lines: string[]) {
    super(lines.join('\n'));
    this.name = 'ConfigError';
  }
}

/** Reads and validates the environment; throws ConfigError naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv, role: ProcessRole): Config {
  const raw = blankToUndefined(env);
  const parsed = envSchema.safeParse(raw, { error: fieldErrorMap });
  if (!parsed.success) {
    // The cross-variable checks read the raw text as well, so one failed start shows every problem.
    const malformed = oneLinePerVariable(parsed.error.issues);
    const named = new Set(malformed.map(variableOf));
    throw new ConfigError([...malformed, ...crossChecks(raw, role).filter((line) => !named.has(variableOf(line)))]);
  }
  const e = parsed.data;
  const lines = crossChecks(e, role);
  if (lines.length > 0) throw new ConfigError(lines);
  const production = e.NODE_ENV === 'production';
  const devTokens = (e.ROE_DEV_AUTH ?? (role === 'embedded' && !production ? '1' : '0')) === '1';
  const dataDir = resolve(e.ROE_DATA_DIR);
  return {
    role,
    production,
    port: e.PORT,
    host: e.HOST ?? (devTokens ? '127.0.0.1' : '0.0.0.0'),
    publicUrl: e.ROE_PUBLIC_URL ?? `http://localhost:${e.PORT}`,
    dataDir,
    logLevel: e.LOG_LEVEL,
    temporal: {
      address: e.TEMPORAL_ADDRESS,
      namespace: e.TEMPORAL_NAMESPACE,
      taskQueue: e.TEMPORAL_TASK_QUEUE,
      apiKey: e.TEMPORAL_API_KEY,
      tls:
        e.TEMPORAL_TLS_CERT && e.TEMPORAL_TLS_KEY
          ? { certPath: e.TEMPORAL_TLS_CERT, keyPath: e.TEMPORAL_TLS_KEY }
          : undefined,
      devPort: e.TEMPORAL_DEV_PORT,
      devUiPort: e.TEMPORAL_DEV_UI_PORT,
      uiUrl: e.TEMPORAL_UI_URL ?? (e.TEMPORAL_ADDRESS ? undefined : `http://localhost:${e.TEMPORAL_DEV_UI_PORT}`),
      cliPath: e.TEMPORAL_CLI_PATH,
      testServerPath: e.TEMPORAL_TEST_SERVER_PATH,
    },
    databaseUrl: e.DATABASE_URL,
    mail: { smtpUrl: e.SMTP_URL, from: e.MAIL_FROM, outboxDir: resolve(dataDir, 'outbox') },
    auth: {
      devTokens,
      jwt:
        e.AUTH_JWKS_URL && e.AUTH_ISSUER && e.AUTH_AUDIENCE
          ? { jwksUrl: e.AUTH_JWKS_URL, issuer: e.AUTH_ISSUER, audience: e.AUTH_AUDIENCE }
          : undefined,
      clientId: e.AUTH_CLIENT_ID,
    },
    rateLimitPerMinute: e.ROE_RATE_LIMIT_PER_MINUTE,
    authFailuresPerMinute: e.ROE_AUTH_FAILURES_PER_MINUTE,
    trustedProxies: e.ROE_TRUSTED_PROXIES ?? [],
    workerMetricsPort: e.ROE_WORKER_METRICS_PORT,
    workerHealthPort: e.ROE_WORKER_HEALTH_PORT,
    workerCachedWorkflows: e.ROE_WORKER_CACHED_WORKFLOWS,
    managerDigestWindowMs: e.ROE_MANAGER_DIGEST_WINDOW,
    webhooks: {
      allowedTargets: e.ROE_WEBHOOK_ALLOWED_TARGETS ?? [],
      firstRetryMs: e.ROE_WEBHOOK_FIRST_RETRY,
      retryForMs: e.ROE_WEBHOOK_RETRY_FOR,
    },
    emailLinkTtlMs: e.ROE_EMAIL_LINK_TTL,
  };
}

type CrossChecked =
  | 'NODE_ENV'
  | 'ROE_DEV_AUTH'
  | 'TEMPORAL_ADDRESS'
  | 'TEMPORAL_API_KEY'
  | 'TEMPORAL_TLS_CERT'
  | 'TEMPORAL_TLS_KEY'
  | 'DATABASE_URL'
  | 'AUTH_JWKS_URL'
  | 'AUTH_ISSUER'
  | 'AUTH_AUDIENCE';

/** `PORT: must be …; …`: a variable failing several checks still gets a single line. */
function oneLinePerVariable(issues: readonly z.core.$ZodIssue[]): string[] {
  const messages = new Map<string, string[]>();
  for (const issue of issues) {
    const name = String(issue.path[0]);
    messages.set(name, [...(messages.get(name) ?? []), issue.message]);
  }
  return [...messages].map(([name, texts]) => `${name}: ${[...new Set(texts)].join('; ')}`);
}

const variableOf = (line: string) => line.slice(0, line.indexOf(':'));

function crossChecks(e: Partial<Record<CrossChecked, string>>, role: ProcessRole): string[] {
  const lines: string[] = [];
  if (e.NODE_ENV === 'production' && e.ROE_DEV_AUTH === '1') {
    lines.push('ROE_DEV_AUTH: development tokens are refused when NODE_ENV=production');
  }
  if (Boolean(e.TEMPORAL_TLS_CERT) !== Boolean(e.TEMPORAL_TLS_KEY)) {
    const missing = e.TEMPORAL_TLS_CERT ? 'TEMPORAL_TLS_KEY' : 'TEMPORAL_TLS_CERT';
    lines.push(
      `${missing}: required together with ${missing === 'TEMPORAL_TLS_KEY' ? 'TEMPORAL_TLS_CERT' : 'TEMPORAL_TLS_KEY'}`,
    );
  }
  if (e.TEMPORAL_API_KEY && e.TEMPORAL_TLS_CERT) {
    lines.push('TEMPORAL_API_KEY: use either an API key or an mTLS certificate, not both');
  }
  const jwtVars = ['AUTH_JWKS_URL', 'AUTH_ISSUER', 'AUTH_AUDIENCE'] as const;
  const setJwt = jwtVars.filter((name) => e[name] !== undefined);
  if (setJwt.length > 0 && setJwt.length < jwtVars.length) {
    for (const name of jwtVars.filter((n) => e[n] === undefined)) {
      lines.push(`${name}: required when ${setJwt.join(', ')} is set (JWT needs JWKS URL, issuer and audience)`);
    }
  }
  if (role !== 'embedded') {
    if (!e.TEMPORAL_ADDRESS) lines.push(`TEMPORAL_ADDRESS: required for \`npm run ${role}\` (the cluster to use)`);
    // PGlite is single-process: separate worker and API processes need a shared PostgreSQL.
    if (!e.DATABASE_URL) lines.push(`DATABASE_URL: required for \`npm run ${role}\` (worker and API share PostgreSQL)`);
  }
  return lines;
}

function blankToUndefined(env: NodeJS.ProcessEnv): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v === '' ? undefined : v]));
}
