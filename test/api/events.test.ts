import { randomBytes } from 'node:crypto';
import { startTestStack, type TestStack } from '../helpers/stack';
import { contractOf, type OpenApiDocument } from '../helpers/openApiContract';
import { eventually } from '../helpers/eventually';

// The event feed and its server-sent stream on the real stack, as each caller may see them.

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
}, 120_000);
afterAll(() => stack?.close());

const NORTHWIND = 'dev-partner-northwind';
const CONTOSO = 'dev-partner-contoso';

async function register(token: string): Promise<string> {
  const res = await stack.api.call('POST', '/api/registrations', {
    token,
    body: {
      account: { name: 'Acme Widgets', domain: `acme-${randomBytes(4).toString('hex')}.example`, region: 'emea' },
      opportunity: {
        title: 'Analytics rollout',
        productLine: 'analytics',
        amount: { value: 20_000, currency: 'EUR' },
        expectedCloseDate: '2027-06-30',
      },
    },
  });
  expect(res.status).toBe(201);
  return res.body.id as string;
}

interface StreamMessage {
  id: string;
  event: string;
  data: { id: string; type: string; subject: { kind: string; id: string }; data: Record<string, unknown> };
}

/** An open event stream: its messages as they arrive, checked against the published content type. */
async function openStream(token: string, headers: Record<string, string> = {}, query = '') {
  const controller = new AbortController();
  const res = await fetch(`${stack.api.baseUrl}/api/events/stream${query}`, {
    headers: { authorization: `Bearer ${token}`, ...headers },
    signal: controller.signal,
  });
  const document = (await (await fetch(`${stack.api.baseUrl}/api/openapi.json`)).json()) as OpenApiDocument;
  const violation = contractOf(document)({
    method: 'GET',
    url: '/api/events/stream',
    status: res.status,
    contentType: res.headers.get('content-type') ?? '',
    text: ': connected',
  });
  expect(violation).toBeUndefined();
  const messages: StreamMessage[] = [];
  let buffer = '';
  const reading = (async () => {
    const decoder = new TextDecoder();
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const fields = Object.fromEntries(
            block
              .split('\n')
              .filter((line) => !line.startsWith(':'))
              .map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 2)]),
          );
          if (fields.data) messages.push({ id: fields.id, event: fields.event, data: JSON.parse(fields.data) });
        }
      }
    } catch {
      // Aborted by the test.
    }
  })();
  return {
    messages,
    close: async () => {
      controller.abort();
      await reading;
    },
  };
}

describe('GET /api/events', () => {
  it("gives a partner its own registration's events and never another partner's", async () => {
    const own = await register(NORTHWIND);
    const other = await register(CONTOSO);
    const feed = await eventually(
      () => stack.api.call('GET', '/api/events?limit=500', { token: NORTHWIND }),
      (r) => r.body.items.some((e: StreamMessage['data']) => e.subject.id === own && e.type === 'registration.decided'),
    );
    expect(feed.text).not.toContain(other);
    expect(feed.text).not.toContain('contoso');
    expect(feed.body.items.find((e: StreamMessage['data']) => e.subject.id === own).data).toEqual({
      status: 'submitted',
    });
    const admin = await eventually(
      () => stack.api.call('GET', '/api/events?limit=500&types=registration.*', { token: 'dev-admin' }),
      (r) => r.text.includes(other),
    );
    expect(admin.body.items.every((e: StreamMessage['data']) => e.type.startsWith('registration.'))).toBe(true);
  });

  it("names each event's object with its version: the step number its process recorded, 1, 2, …", async () => {
    const id = await register(NORTHWIND);
    const withdrawn = await stack.api.call('POST', `/api/registrations/${id}/withdraw`, {
      token: NORTHWIND,
      body: { reason: 'the customer waits a year' },
    });
    expect(withdrawn.status).toBe(200);
    const events = await eventually(
      async () =>
        (
          await stack.api.call('GET', '/api/events?limit=500&types=registration.*', { token: 'dev-admin' })
        ).body.items.filter((e: { subject: { id: string } }) => e.subject.id === id) as {
          type: string;
          subject: { version?: number };
        }[],
      (items) => items.some((e) => e.type === 'registration.claim_released'),
    );
    expect(events.map((e) => e.subject.version)).toEqual(events.map((_e, i) => i + 1));
    expect(events[0].type).toBe('registration.submitted');
  });

  it('resumes after nextCursor with only later events', async () => {
    const first = await stack.api.call('GET', '/api/events?limit=500', { token: NORTHWIND });
    const id = await register(NORTHWIND);
    const later = await eventually(
      () => stack.api.call('GET', `/api/events?after=${first.body.nextCursor}`, { token: NORTHWIND }),
      (r) => r.body.items.some((e: StreamMessage['data']) => e.subject.id === id),
    );
    expect(later.body.items.every((e: StreamMessage['data']) => e.subject.id === id)).toBe(true);
  });

  it('refuses a cursor it did not issue, naming after', async () => {
    const res = await stack.api.call('GET', '/api/events?after=nonsense', { token: 'dev-ops' });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { path: string }) => e.path)).toContain('after');
  });

  it('answers 401 without a token, and to a token in the query string', async () => {
    expect((await stack.api.call('GET', '/api/events')).status).toBe(401);
    expect((await stack.api.call('GET', '/api/events/stream?access_token=dev-admin')).status).toBe(401);
  });
});

describe('GET /api/events/stream', () => {
  it('pushes a registration submitted while the stream is open, and resumes after Last-Event-ID', async () => {
    const stream = await openStream(NORTHWIND);
    const id = await register(NORTHWIND);
    await register(CONTOSO);
    const arrived = await eventually(
      async () => stream.messages.filter((m) => m.data.subject.id === id),
      (found) => found.some((m) => m.event === 'registration.decided'),
    );
    expect(arrived[0].event).toBe('registration.submitted');
    expect(JSON.stringify(stream.messages)).not.toContain('contoso');
    await stream.close();

    const second = await register(NORTHWIND);
    const resumed = await openStream(NORTHWIND, { 'last-event-id': arrived[0].id });
    await eventually(
      async () => resumed.messages,
      (m) => m.some((x) => x.data.subject.id === second),
    );
    expect(resumed.messages.map((m) => m.data.id)).not.toContain(arrived[0].data.id);
    await resumed.close();
  });
});
