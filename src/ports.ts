import { createServer, type Server } from 'node:net';

/** A port this process needs is held by another; start-up names the variable that moves it. */
export class PortTakenError extends Error {
  constructor(readonly port: number) {
    super(`port ${port} is taken`);
    this.name = 'PortTakenError';
  }
}

/** Resolves once `server` listens on host:port; a port in use rejects with PortTakenError. */
export function listenOn<S extends Server>(server: S, port: number, host: string): Promise<S> {
  return new Promise((resolve, reject) => {
    const failed = (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new PortTakenError(port) : error);
    server.once('error', failed);
    server.listen(port, host, () => {
      server.off('error', failed);
      resolve(server);
    });
  });
}

/** Checks before a child process is started on the port, which would only fail later and less clearly. */
export async function assertPortFree(port: number, host: string): Promise<void> {
  const probe = await listenOn(createServer(), port, host);
  await new Promise((resolve) => probe.close(resolve));
}
