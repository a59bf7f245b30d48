import type { NextFunction, Request, Response } from 'express';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

export interface HttpMetrics {
  registry: Registry;
  middleware: (req: Request, res: Response, next: NextFunction) => void;
}

/** Prometheus metrics of the HTTP API, labelled by route template (never by raw path or caller). */
export function createHttpMetrics(): HttpMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'roe_api_' });
  const duration = new Histogram({
    name: 'roe_http_request_duration_seconds',
    help: 'HTTP request latency by route template and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const requests = new Counter({
    name: 'roe_http_requests_total',
    help: 'HTTP requests by route template and status',
    labelNames: ['method', 'route', 'status'],
    registers: [registry],
  });
  return {
    registry,
    middleware: (req, res, next) => {
      const stop = duration.startTimer();
      res.on('finish', () => {
        const labels = {
          method: req.method,
          route: (res.locals.route as string | undefined) ?? 'unmatched',
          status: String(res.statusCode),
        };
        stop(labels);
        requests.inc(labels);
      });
      next();
    },
  };
}
