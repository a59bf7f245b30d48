import { createServer } from 'node:net';

// Below Linux's ephemeral range (32768–60999): every listen(0) and outgoing connection on the
// machine — the Temporal dev server's own random ports among them — draws from that range, so a
// port picked there can be taken before the process it was picked for binds it.
const LOW = 20_000;
const HIGH = 32_000;

/** A TCP port free on loopback right now, outside the range the OS hands out by itself. */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = LOW + Math.floor(Math.random() * (HIGH - LOW));
    if (await isFree(port)) return port;
  }
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}
