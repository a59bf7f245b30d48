import type { Server } from 'node:http';
import pino from 'pino';
import type { Client } from '@temporalio/client';
import { createApp, type AppOptions } from '../../src/api/app';
import type { Store } from '../../src/store';

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
  const app = createApp({
    store: deps.store,
    temporal: deps.temporal,
    logger: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    auth: { devTokens: true },
    rateLimitPerMinute: 10_000,
    taskQueue: 'roe-test',
    ...overrides,
  });
  const server: Server = await new Promise((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  const address = server.address();
  const baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  return {
    baseUrl,
    call: (method, path, options = {}) => call(baseUrl, method, path, options),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

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
