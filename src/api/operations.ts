import express, { type Express } from 'express';
import { dirname } from 'node:path';
import type { Client } from '@temporalio/client';
import type { Store } from '../store';
import type { HttpMetrics } from './httpMetrics';
import { sendProblem, Problem } from './problem';

export interface ReadinessProbes {
  store: Store;
  temporal?: Client;
}

const withTimeout = <T>(work: Promise<T>, ms: number): Promise<T> =>
  Promise.race([
    work,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms).unref()),
  ]);

async function check(work: () => Promise<unknown>): Promise<string> {
  try {
    await withTimeout(work(), 2_000);
    return 'ok';
  } catch (error) {
    return `unreachable: ${(error as Error).message.split('\n')[0]}`;
  }
}

/** The endpoints `mountOperations` serves, with their methods (for 405 answers on the others). */
export const OPERATION_PATHS: Record<string, readonly string[]> = {
  '/healthz': ['GET'],
  '/readyz': ['GET'],
  '/metrics': ['GET'],
  '/docs': ['GET'],
  '/docs/init.js': ['GET'],
};

/** `/healthz` (process up), `/readyz` (Temporal and the store reachable), `/metrics`, `/docs`. */
export function mountOperations(
  app: Express,
  probes: ReadinessProbes,
  metrics: HttpMetrics,
  workerMetrics?: () => string,
): void {
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    const checks = {
      store: await check(() => probes.store.db.query('SELECT 1')),
      temporal: probes.temporal
        ? await check(() => probes.temporal!.workflowService.getSystemInfo({}))
        : 'not configured',
    };
    if (checks.store === 'ok' && checks.temporal === 'ok') {
      res.json({ status: 'ready', checks });
      return;
    }
    sendProblem(
      res,
      new Problem(503, 'not-ready', 'a dependency is unreachable', { checks, headers: { 'Retry-After': '5' } }),
    );
  });
  app.get('/metrics', async (_req, res) => {
    const own = await metrics.registry.metrics();
    const worker = workerMetrics ? `# Temporal worker runtime metrics\n${workerMetrics()}` : '';
    res.type(metrics.registry.contentType).send(`${own}\n${worker}`);
  });
  mountDocs(app);
}

function mountDocs(app: Express): void {
  const assets = dirname(require.resolve('swagger-ui-dist/package.json'));
  app.use('/docs/assets', express.static(assets, { index: false, maxAge: '1h' }));
  app.get('/docs/init.js', (_req, res) => {
    res
      .type('application/javascript')
      .send(
        "window.ui = SwaggerUIBundle({ url: '/api/openapi.json', dom_id: '#swagger-ui', deepLinking: true, persistAuthorization: true });",
      );
  });
  app.get('/docs', (_req, res) => {
    res.type('html').send(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>RoE Orchestrator API</title>
<link rel="icon" href="data:,"><link rel="stylesheet" href="/docs/assets/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script><script src="/docs/init.js"></script></body></html>`);
  });
}
