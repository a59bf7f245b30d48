import { listenPglite } from './pgliteServer';

// The PGlite server process: prints its URL, serves until its standard input ends (its parent closed
// it or died), then closes the database and exits.
void listenPglite().then(
  (server) => {
    process.stdout.write(`${server.databaseUrl}\n`);
    process.stdin.resume();
    process.stdin.once('end', () => void server.close().then(() => process.exit(0)));
  },
  (error: unknown) => {
    process.stdout.write(`could not start: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
