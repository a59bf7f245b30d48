import type { Server } from 'node:http';
import pino from 'pino';
import type { Client } from '@temporalio/client';
import { createApp, type AppOptions } from '../../src/api/app';
import { createApiServer } from '../../src/api/apiServer';
import { WEB_DIST } from '../../scripts/build-web';
import type { Store } from '../../src/store';
import { contractFailure, contractOf, type ObservedResponse, type OpenApiDocument } from './openApiContract';

export interface ApiResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export interface CallOptions {
  token?: string;
  body?: unknown;
  /** Sent as is, instead of JSON-encoding `body`. */
  rawBody?: string;
  headers?: Record<string, string>;
}

export interface TestApi {
  baseUrl: string;
  call<T = any>(method: string, path: string, options?: CallOptions): Promise<ApiResponse<T>>; // eslint-disable-line @typescript-eslint/no-explicit-any
  close(): Promise<void>;
}

/** The real Express app on an ephemeral port, with dev tokens on unless told otherwise. */
export async function startTestApi(
  deps: { store: Store; temporal: Client },
  overrides: Partial<Omit<AppOptions, 'store' | 'temporal'>> = {},
): Promise<TestApi> {
  const stopping = new AbortController();
  const app = createApp({
    stopping: stopping.signal,
    store: deps.store,
    temporal: deps.temporal,
    logger: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    auth: { devTokens: true },
    rateLimitPerMinute: 10_000,
    authFailuresPerMinute: 10_000,
    taskQueue: 'roe-test',
    // The page is built once per run (test/globalSetup.js); every test server serves it at `/`.
    webApp: { dir: WEB_DIST },
    ...overrides,
  });
  const server: Server = await new Promise((resolve) => {
    const listening = createApiServer(app).listen(0, '127.0.0.1', () => resolve(listening));
  });
  const address = server.address();
  const baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  return {
    baseUrl,
    call: (method, path, options = {}) => checkedCall(baseUrl, method, path, options),
    close: () =>
      new Promise<void>((resolve) => {
        // As the product stops: open event streams end first, then the connections.
        stopping.abort();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

type Contract = (response: ObservedResponse) => string | undefined;
const contracts = new Map<string, Promise<Contract>>();

/** The document a server publishes, read once per server (a failed read is tried again next time). */
function contractAt(baseUrl: string): Promise<Contract> {
  let contract = contracts.get(baseUrl);
  if (!contract) {
    contract = call<OpenApiDocument>(baseUrl, 'GET', '/api/openapi.json').then((r) => contractOf(r.body));
    contract.catch(() => contracts.delete(baseUrl));
    contracts.set(baseUrl, contract);
  }
  return contract;
}

/**
 * `call`, with the answer checked against the OpenAPI document this very server publishes: an
 * undeclared status or content type, or a body off its schema, fails the test that got it.
 */
export async function checkedCall<T>(
  baseUrl: string,
  method: string,
  path: string,
  options: CallOptions = {},
): Promise<ApiResponse<T>> {
  const violationOf = await contractAt(baseUrl);
  const response = await call<T>(baseUrl, method, path, options);
  const observed = {
    method: method.toUpperCase(),
    // As fetch sent it (dot segments resolved), which is what the server routed.
    url: new URL(`${baseUrl}${path}`).pathname,
    status: response.status,
    contentType: response.headers.get('content-type') ?? '',
    text: response.text,
  };
  const violation = violationOf(observed);
  if (violation) throw contractFailure(observed, violation);
  return response;
}

/** One request, its answer unchecked: for the document itself, and for what is not the API. */
export async function call<T>(
  baseUrl: string,
  method: string,
  path: string,
  options: CallOptions = {},
): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body: string | undefined = options.rawBody;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  }
  const response = await fetch(`${baseUrl}${path}`, { method, headers, body });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // Not JSON (HTML docs, Prometheus text): keep the text.
  }
  return { status: response.status, headers: response.headers, body: parsed as T, text };
}
