import { fieldErrorMap } from './domain/fieldErrors';
import { z } from 'zod';
import { resolve } from 'node:path';

/** Which entry point is starting: the embedded all-in-one, or one of the production processes. */
export type ProcessRole = 'embedded' | 'api' | 'worker';

const port = z.coerce.number().int().min(1).max(65535);
const flag = z.enum(['0', '1'], { message: 'must be 1 or 0' });
const url = z.string().url({ message: 'must be a URL' });

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: port.default(3000),
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
  ROE_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(600),
  ROE_WORKER_METRICS_PORT: port.default(9464),
  ROE_WORKER_HEALTH_PORT: port.default(3001),
  ROE_WORKER_CACHED_WORKFLOWS: z.coerce.number().int().min(0).default(500),
});

type Env = z.infer<typeof envSchema>;

export interface Config {
  role: ProcessRole;
  production: boolean;
  port: number;
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
    cliPath?: string;
    testServerPath?: string;
  };
  databaseUrl?: string;
  mail: { smtpUrl?: string; from: string; outboxDir: string };
  auth: {
    devTokens: boolean;
    jwt?: { jwksUrl: string; issuer: string; audience: string };
  };
  rateLimitPerMinute: number;
  workerMetricsPort: number;
  workerHealthPort: number;
  /** Workflows a worker keeps in memory between tasks (each ~1–1.5 MB); others are replayed when next needed. */
  workerCachedWorkflows: number;
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
    },
    rateLimitPerMinute: e.ROE_RATE_LIMIT_PER_MINUTE,
    workerMetricsPort: e.ROE_WORKER_METRICS_PORT,
    workerHealthPort: e.ROE_WORKER_HEALTH_PORT,
    workerCachedWorkflows: e.ROE_WORKER_CACHED_WORKFLOWS,
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
