import { createServer, type Server } from 'node:http';

/** Stops accepting connections, lets in-flight requests finish for a second, then cuts the rest. */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeIdleConnections();
    setTimeout(() => server.closeAllConnections(), 1_000).unref();
  });
}

/** A liveness endpoint for processes without the API (the worker): `/healthz` answers while `isLive()`. */
export function startHealthServer(port: number, isLive: () => boolean): Promise<Server> {
  const server = createServer((req, res) => {
    const live = req.url === '/healthz' && isLive();
    res.writeHead(req.url === '/healthz' ? (live ? 200 : 503) : 404, { 'content-type': 'application/json' });
    res.end(JSON.stringify(req.url === '/healthz' ? { status: live ? 'ok' : 'stopping' } : { status: 'not found' }));
  });
  return new Promise((resolve) => server.listen(port, () => resolve(server)));
}
