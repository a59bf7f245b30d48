import { connect, createServer, type Server, type Socket } from 'node:net';

export interface TcpProxy {
  /** Where clients connect: 127.0.0.1 and this port. */
  port: number;
  /** Simulates an outage: destroys every open connection and resets new ones until `restore`. */
  cut(): void;
  restore(): void;
  /** New connections go to `port` on the same host from now on (a server replaced behind one address). */
  retarget(port: number): void;
  close(): Promise<void>;
}

/** A loopback TCP proxy in front of `target`, so a test can take a dependency away and bring it back. */
export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const open = new Set<Socket>();
  let targetPort = target.port;
  let isCut = false;
  const track = (socket: Socket) => {
    open.add(socket);
    socket.once('close', () => open.delete(socket));
  };
  const server: Server = createServer((client) => {
    track(client);
    // Reset, not a clean end: the client sees what a dropped network or a dead server gives it.
    if (isCut) return void client.resetAndDestroy();
    const upstream = connect(targetPort, target.host);
    track(upstream);
    client.pipe(upstream);
    upstream.pipe(client);
    client.once('error', () => upstream.destroy());
    upstream.once('error', () => client.destroy());
    client.once('close', () => upstream.destroy());
    upstream.once('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    cut: () => {
      isCut = true;
      for (const socket of open) socket.resetAndDestroy();
    },
    restore: () => {
      isCut = false;
    },
    retarget: (port) => {
      targetPort = port;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of open) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
