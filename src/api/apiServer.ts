import { createServer, maxHeaderSize, type RequestListener, type Server } from 'node:http';
import type { Duplex } from 'node:stream';

/**
 * The HTTP server of the API. Node answers a request it cannot parse (an over-long URL or header
 * block, a malformed request line) itself, before Express sees it, with a bare status and no body:
 * here those answers are problems like every other error.
 */
export function createApiServer(app: RequestListener): Server {
  const server = createServer(app);
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => answerClientError(error, socket));
  return server;
}

const REFUSALS: Record<string, { status: number; title: string; type: string; detail: string }> = {
  HPE_HEADER_OVERFLOW: {
    status: 431,
    title: 'Request Header Fields Too Large',
    type: 'headers-too-large',
    detail: `the URL and headers together are over ${maxHeaderSize / 1024} kB`,
  },
  HPE_CHUNK_EXTENSIONS_OVERFLOW: {
    status: 413,
    title: 'Content Too Large',
    type: 'body-too-large',
    detail: 'the chunk extensions are too large',
  },
  ERR_HTTP_REQUEST_TIMEOUT: {
    status: 408,
    title: 'Request Timeout',
    type: 'request-timeout',
    detail: 'the request did not arrive in time',
  },
};
const MALFORMED = {
  status: 400,
  title: 'Bad Request',
  type: 'malformed-request',
  detail: 'the request is not valid HTTP',
};

function answerClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  // A reset connection, or one already answered: there is no one left to tell.
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const refusal = REFUSALS[error.code ?? ''] ?? MALFORMED;
  const body = JSON.stringify({
    type: `/problems/${refusal.type}`,
    title: refusal.title,
    status: refusal.status,
    detail: refusal.detail,
  });
  // An answer to HEAD has headers only: a body after them is garbage to the client's parser.
  const head = isHeadRequest(error);
  socket.end(
    [
      `HTTP/1.1 ${refusal.status} ${refusal.title}`,
      'Content-Type: application/problem+json; charset=utf-8',
      `Content-Length: ${Buffer.byteLength(body)}`,
      'Connection: close',
      '',
      head ? '' : body,
    ].join('\r\n'),
  );
}

/** Whether the request Node could not parse began as a HEAD request (its bytes so far say so). */
function isHeadRequest(error: NodeJS.ErrnoException): boolean {
  const raw = (error as { rawPacket?: unknown }).rawPacket;
  return Buffer.isBuffer(raw) && raw.subarray(0, 5).toString('latin1') === 'HEAD ';
}
