import { createServer, request, type Server } from 'node:http';
import express from 'express';
import { eventStreams } from '../../src/api/eventStreams';
import { openTestStore, type TestStore } from '../helpers/store';
import { eventually } from '../helpers/eventually';

// An event stream whose caller has gone must not live on: it would poll the store every half second
// for nobody, and keep its process alive (a CI run once waited forever on one after every test passed).

let db: TestStore;
let server: Server;

beforeAll(async () => {
  db = await openTestStore('pglite');
});

afterAll(async () => {
  await new Promise<void>((resolve) => server?.close(() => resolve()) ?? resolve());
  await db?.close();
});

it('ends a stream whose caller left while the request was still being authenticated', async () => {
  const streams = eventStreams(db.store.audit);
  let releaseAuthentication!: () => void;
  const authenticated = new Promise<void>((resolve) => (releaseAuthentication = resolve));
  let callerGone!: () => void;
  const gone = new Promise<void>((resolve) => (callerGone = resolve));
  const app = express();
  app.get('/api/events/stream', (req, res) => {
    req.on('close', callerGone);
    // As the API does: the stream is served once the caller's token is checked, which takes a while.
    void authenticated.then(() => streams.serve(req, res, { principal: { role: 'ops', subject: 'dev-ops' } }));
  });
  server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;

  const caller = request({ port, host: '127.0.0.1', path: '/api/events/stream' });
  caller.on('error', () => undefined);
  caller.end();
  await new Promise((resolve) => setTimeout(resolve, 100));
  caller.destroy();
  await gone;
  releaseAuthentication();

  await eventually(
    async () => streams.openCount,
    (count) => count === 0,
  );
  expect(streams.openCount).toBe(0);
});

it('ends every open stream when the server stops', async () => {
  const streams = eventStreams(db.store.audit);
  const app = express();
  app.get('/api/events/stream', (req, res) =>
    streams.serve(req, res, { principal: { role: 'ops', subject: 'dev-ops' } }),
  );
  const local = createServer(app);
  await new Promise<void>((resolve) => local.listen(0, '127.0.0.1', resolve));
  const port = (local.address() as { port: number }).port;
  const caller = request({ port, host: '127.0.0.1', path: '/api/events/stream' });
  caller.on('error', () => undefined);
  const answered = new Promise((resolve) => caller.on('response', resolve));
  caller.end();
  await answered;
  expect(streams.openCount).toBe(1);

  streams.close();
  expect(streams.openCount).toBe(0);
  local.closeAllConnections();
  await new Promise<void>((resolve) => local.close(() => resolve()));
});
