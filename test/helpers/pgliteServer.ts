import { spawn } from 'node:child_process';
import { createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { PGlite } from '@electric-sql/pglite';

// PGlite served over PostgreSQL's wire protocol on loopback, so that separate processes (the worker
// and the API of the production shape) share one database on a machine with no PostgreSQL server.
// The server runs in a process of its own: a test that blocks its event loop (execFileSync of a CLI
// that needs the database) would otherwise stop the server that CLI waits for.
// PGlite has a single session: a connection holds it from its first message until PGlite says the
// session is idle again (ReadyForQuery 'I'), so one connection's transaction or extended-query batch
// (Parse … Sync) never interleaves with another's. Connections wait their turn in arrival order.

const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;
const CANCEL_REQUEST = 80877102;
const READY_FOR_QUERY = 0x5a; // 'Z'
const IDLE = 0x49; // 'I'
const TERMINATE = 0x58; // 'X'
const SYNC = Buffer.from([0x53, 0, 0, 0, 4]);

export interface PgliteServer {
  /** A postgres:// URL for `pg` and the product's DATABASE_URL. */
  databaseUrl: string;
  close(): Promise<void>;
}

/** One holder of the PGlite session at a time, first come first served. */
class Turns {
  private busy = false;
  private readonly waiting: (() => void)[] = [];

  take(): Promise<void> {
    if (!this.busy) {
      this.busy = true;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  give(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.busy = false;
  }
}

/** The transaction status of the last ReadyForQuery in a backend response, if it has one. */
function lastReadyStatus(response: Uint8Array): number | undefined {
  let status: number | undefined;
  for (let at = 0; at + 5 <= response.length;) {
    const length = Buffer.from(response.buffer, response.byteOffset + at + 1, 4).readInt32BE(0);
    if (response[at] === READY_FOR_QUERY) status = response[at + 5];
    at += 1 + length;
  }
  return status;
}

function simpleQuery(sql: string): Buffer {
  const text = Buffer.from(`${sql}\0`, 'utf8');
  const header = Buffer.alloc(5);
  header.writeUInt8(0x51, 0); // 'Q'
  header.writeInt32BE(4 + text.length, 1);
  return Buffer.concat([header, text]);
}

/** Starts an in-memory PGlite and a PostgreSQL wire-protocol server for it on a free loopback port, in this process. */
export async function listenPglite(): Promise<PgliteServer> {
  const db = await PGlite.create();
  const turns = new Turns();
  const sockets = new Set<Socket>();

  const serve = (socket: Socket) => {
    sockets.add(socket);
    let buffered = Buffer.alloc(0);
    let started = false;
    let holding = false;
    let done = false;
    let work = Promise.resolve();

    const run = async (message: Buffer) => {
      if (done) return;
      if (!holding) {
        await turns.take();
        holding = true;
      }
      const response = await db.execProtocolRaw(message);
      if (socket.writable && response.length > 0) socket.write(response);
      if (lastReadyStatus(response) === IDLE) {
        holding = false;
        turns.give();
      }
    };

    // A client that leaves mid-batch or mid-transaction must not leave its state to the next one.
    const leave = async () => {
      if (done) return;
      done = true;
      sockets.delete(socket);
      if (!holding) return;
      if (lastReadyStatus(await db.execProtocolRaw(SYNC)) !== IDLE) await db.execProtocolRaw(simpleQuery('ROLLBACK'));
      holding = false;
      turns.give();
    };

    const enqueue = (step: () => Promise<void>) => {
      work = work.then(step).catch(() => {
        socket.destroy();
        return leave();
      });
    };

    socket.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      for (;;) {
        if (!started) {
          // Untyped start-up messages: length, then a request code or the protocol version.
          if (buffered.length < 8) return;
          const length = buffered.readInt32BE(0);
          if (buffered.length < length) return;
          const code = buffered.readInt32BE(4);
          const message = buffered.subarray(0, length);
          buffered = buffered.subarray(length);
          if (code === SSL_REQUEST || code === GSSENC_REQUEST) socket.write('N');
          else if (code === CANCEL_REQUEST) socket.end();
          else {
            started = true;
            enqueue(() => run(message));
          }
          continue;
        }
        if (buffered.length < 5) return;
        const length = 1 + buffered.readInt32BE(1);
        if (buffered.length < length) return;
        const message = buffered.subarray(0, length);
        buffered = buffered.subarray(length);
        if (message[0] === TERMINATE) {
          enqueue(async () => {
            await leave();
            socket.end();
          });
          return;
        }
        enqueue(() => run(message));
      }
    });
    socket.on('error', () => undefined);
    socket.on('close', () => enqueue(leave));
  };

  const server = createServer(serve);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    databaseUrl: `postgres://postgres@127.0.0.1:${port}/postgres`,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await db.close();
    },
  };
}

/** `listenPglite` in a child process (test/helpers/pgliteServerMain.ts), which ends when this process does. */
export async function servePglite(): Promise<PgliteServer> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'pgliteServerMain.ts')], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const databaseUrl = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.once('line', (line) => {
      lines.close();
      if (line.startsWith('postgres://')) resolve(line);
      else reject(new Error(`PGlite server: ${line}`));
    });
    child.once('exit', (code) => reject(new Error(`PGlite server exited with ${code} before listening`)));
  });
  return {
    databaseUrl,
    close: async () => {
      child.stdin.end();
      await exited;
    },
  };
}
