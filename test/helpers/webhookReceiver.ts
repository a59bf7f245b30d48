import { createServer, type Server } from 'node:http';
import { Webhook } from 'standardwebhooks';

/** One delivery as the receiver took it: verified against the secret(s) it holds. */
export interface ReceivedWebhook {
  webhookId: string;
  timestamp: number;
  event: { id: string; type: string; at: string; subject: { kind: string; id: string }; data: Record<string, unknown> };
}

export interface WebhookReceiver {
  url: string;
  /** `host:port`, for ROE_WEBHOOK_ALLOWED_TARGETS. */
  hostPort: string;
  received: ReceivedWebhook[];
  /** Deliveries whose signature did not verify (answered 401). */
  refused: number;
  /** The secrets it verifies with (any one suffices, as during a rotation). */
  trust(...secrets: string[]): void;
  /** Every answer from now on is this status (500: the receiver is broken). */
  answerWith(status: number): void;
  /** Taken down: connections are refused until `start` brings it back on the same port. */
  stop(): Promise<void>;
  start(): Promise<void>;
}

/**
 * A real HTTP receiver on loopback that checks every delivery with the Standard Webhooks reference
 * library, as a customer's endpoint would, and answers 204 (or what it is told to).
 */
export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  let secrets: string[] = [];
  let status = 204;
  const received: ReceivedWebhook[] = [];
  const receiver = { refused: 0 };
  let server: Server | undefined;
  let port = 0;

  const listen = () =>
    new Promise<void>((resolve) => {
      server = createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (chunk: Buffer) => chunks.push(chunk));
        req.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          const headers = Object.fromEntries(Object.entries(req.headers).map(([name, value]) => [name, String(value)]));
          const verified = secrets.some((secret) => {
            try {
              new Webhook(secret).verify(body, headers);
              return true;
            } catch {
              return false;
            }
          });
          if (!verified) {
            receiver.refused += 1;
            res.writeHead(401).end('signature does not verify');
            return;
          }
          if (status < 300) {
            received.push({
              webhookId: headers['webhook-id'],
              timestamp: Number(headers['webhook-timestamp']),
              event: JSON.parse(body) as ReceivedWebhook['event'],
            });
          }
          res.writeHead(status).end(status < 300 ? undefined : 'receiver broken');
        });
      });
      server.listen(port, '127.0.0.1', () => {
        const address = server!.address();
        port = typeof address === 'object' && address ? address.port : port;
        resolve();
      });
    });

  await listen();
  return {
    url: `http://127.0.0.1:${port}/hooks/roe`,
    hostPort: `127.0.0.1:${port}`,
    received,
    get refused() {
      return receiver.refused;
    },
    trust: (...given) => {
      secrets = given;
    },
    answerWith: (given) => {
      status = given;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        if (!server) return resolve();
        server.close(() => resolve());
        server.closeAllConnections();
        server = undefined;
      }),
    start: listen,
  };
}
