import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import type { WebhookTarget } from './targets';

/** What the receiver answered, as a delivery attempt records it. */
export interface SendOutcome {
  statusCode?: number;
  /** The first bytes of the answer: enough to see a receiver's error message, never a whole page. */
  responseExcerpt?: string;
  error?: string;
  durationMs: number;
}

const EXCERPT_BYTES = 1024;

/**
 * POSTs `body` to the checked target, connecting to the checked address (not a fresh lookup),
 * with TLS still verified against the URL's host name. Redirects are not followed: a 3xx is an
 * answer like any other non-2xx. Never throws.
 */
export function postWebhook(
  target: WebhookTarget,
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
): Promise<SendOutcome> {
  const started = Date.now();
  const pinned: LookupFunction = (_host, options, callback) => {
    if (typeof options === 'object' && options.all)
      callback(null, [{ address: target.address, family: target.family }]);
    else callback(null, target.address, target.family);
  };
  const send = target.url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    let settled = false;
    const finish = (outcome: Omit<SendOutcome, 'durationMs'>) => {
      if (settled) return;
      settled = true;
      resolve({ ...outcome, durationMs: Date.now() - started });
    };
    const req = send(
      target.url,
      {
        method: 'POST',
        lookup: pinned,
        timeout: timeoutMs,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          'user-agent': 'RoE-Orchestrator-Webhooks/1',
          ...headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          if (size < EXCERPT_BYTES) chunks.push(chunk);
          size += chunk.length;
        });
        res.on('end', () =>
          finish({
            statusCode: res.statusCode,
            responseExcerpt: Buffer.concat(chunks).subarray(0, EXCERPT_BYTES).toString('utf8').replace(/\0/g, ''), // the store holds no NUL
          }),
        );
        res.on('error', (error) => finish({ statusCode: res.statusCode, error: error.message }));
      },
    );
    req.on('timeout', () => {
      req.destroy(new Error(`no answer within ${timeoutMs} ms`));
    });
    req.on('error', (error: NodeJS.ErrnoException) =>
      finish({ error: error.code ? `${error.code}: ${error.message}` : error.message }),
    );
    req.end(body);
  });
}

export const isDelivered = (outcome: SendOutcome) =>
  outcome.statusCode !== undefined && outcome.statusCode >= 200 && outcome.statusCode < 300;
