import { startTestStack, type TestStack } from '../helpers/stack';
import { registeredThroughApi, uniqueDomain } from '../helpers/registrations';
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhookReceiver';
import { eventually } from '../helpers/eventually';

// Webhooks on the real stack: the dispatcher beside the product worker, one queue workflow per
// subscription and object, a real receiver on loopback verifying each signature with the
// Standard Webhooks reference library. Retries start after 1 s here and give up after 20 s
// (ROE_WEBHOOK_FIRST_RETRY, ROE_WEBHOOK_RETRY_FOR; the product's defaults are 5 s and 3 days).

jest.setTimeout(120_000);

const ADMIN = 'dev-admin';
const NORTHWIND = 'dev-partner-northwind';
const CONTOSO = 'dev-partner-contoso';
const RETRY_FOR_MS = 20_000;

let stack: TestStack;
let receiver: WebhookReceiver;
beforeAll(async () => {
  receiver = await startWebhookReceiver();
  stack = await startTestStack({
    webhooks: { allowedTargets: [receiver.hostPort], firstRetryMs: 1_000, retryForMs: RETRY_FOR_MS },
  });
}, 120_000);
afterAll(async () => {
  await stack?.close();
  await receiver?.stop();
});

interface Subscription {
  id: string;
  secret: string;
  status: string;
}

async function subscribe(body: Record<string, unknown>): Promise<Subscription> {
  const res = await stack.api.call<Subscription>('POST', '/api/webhooks', {
    token: ADMIN,
    body: { url: receiver.url, ...body },
  });
  expect(res.status).toBe(201);
  return res.body;
}

/** A 20,000 EUR analytics deal on an account of its own (the helper refuses anything but 201). */
const register = async (token: string): Promise<string> =>
  (await registeredThroughApi(stack, token, 'Acme Widgets', uniqueDomain('acme'), 20_000)).id;

const withdraw = async (token: string, id: string) =>
  expect(
    (await stack.api.call('POST', `/api/registrations/${id}/withdraw`, { token, body: { reason: 'lost interest' } }))
      .status,
  ).toBe(200);

/** The events of one registration, in the feed's order, as the admin's feed lists them. */
async function feedOf(registrationId: string, types = 'registration.*'): Promise<{ id: string; type: string }[]> {
  const ids: { id: string; type: string }[] = [];
  let after: string | undefined;
  for (;;) {
    const page = await stack.api.call('GET', `/api/events?types=${types}&limit=500${after ? `&after=${after}` : ''}`, {
      token: ADMIN,
    });
    expect(page.status).toBe(200);
    for (const event of page.body.items)
      if (event.subject.id === registrationId) ids.push({ id: event.id, type: event.type });
    if (page.body.items.length < 500) return ids;
    after = page.body.nextCursor;
  }
}

/** What the receiver took for one registration from the subscription whose deliveries start with `tag`. */
const receivedFor = (tag: string, registrationId: string) =>
  receiver.received.filter((r) => r.event.subject.id === registrationId && r.webhookId.startsWith(tag));

const deliveriesOf = async (id: string, status?: string) => {
  const res = await stack.api.call(
    'GET',
    `/api/webhooks/${id}/deliveries?limit=500${status ? `&status=${status}` : ''}`,
    {
      token: ADMIN,
    },
  );
  expect(res.status).toBe(200);
  return res.body.items as {
    id: string;
    status: string;
    attempts: number;
    eventId: string;
    lastAttempt?: { statusCode?: number; error?: string };
  }[];
};

/** The part of a delivery id that names its subscription (`msg_<this>_<seq>`). */
const tagOf = (subscription: Subscription) => `msg_${subscription.id.slice(4)}_`;

describe('subscribing', () => {
  it('answers 201 with the secret once; listing and reading never show it again', async () => {
    const created = await subscribe({ events: ['registration.decided'], ownerEmail: 'integrations@vendor.example' });
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    expect(created).toMatchObject({
      url: receiver.url,
      events: ['registration.decided'],
      status: 'enabled',
      createdBy: 'dev-admin',
    });
    const listed = await stack.api.call('GET', '/api/webhooks', { token: ADMIN });
    expect(listed.text).not.toContain(created.secret);
    expect(listed.body.items.map((s: { id: string }) => s.id)).toContain(created.id);
    const read = await stack.api.call('GET', `/api/webhooks/${created.id}`, { token: ADMIN });
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ id: created.id, ownerEmail: 'integrations@vendor.example' });
    expect(read.text).not.toContain(created.secret);
    expect((await stack.api.call('DELETE', `/api/webhooks/${created.id}`, { token: ADMIN })).status).toBe(204);
  });

  it.each([
    ['a private address', 'http://10.1.2.3/hook', /^url: it names 10\.1\.2\.3, a loopback, private/],
    [
      'the cloud metadata address',
      'http://169.254.169.254/latest/meta-data',
      /169\.254\.169\.254, a loopback, private, link-local/,
    ],
    ['loopback on a port not allowed', 'http://127.0.0.1:1/hook', /^url: it names 127\.0\.0\.1/],
    ['a host resolving to loopback', 'http://localhost:1/hook', /^url: its host localhost resolves to/],
    ['another scheme', 'file:///etc/passwd', /^url: must be an http or https URL/],
  ])('refuses %s with 400 naming url', async (_what, url, detail) => {
    const res = await stack.api.call('POST', '/api/webhooks', { token: ADMIN, body: { url, events: ['*'] } });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(res.body.detail).toMatch(detail);
    expect(res.body.errors).toEqual([expect.objectContaining({ path: 'url' })]);
  });

  it('refuses an event type that is not one, naming the field', async () => {
    const res = await stack.api.call('POST', '/api/webhooks', {
      token: ADMIN,
      body: { url: receiver.url, events: ['registration.decided', 'Registration Decided'] },
    });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ path: 'events.1' })]);
  });

  it('is for admins: a partner and ops get 403', async () => {
    for (const token of [NORTHWIND, 'dev-ops']) {
      expect(
        (await stack.api.call('POST', '/api/webhooks', { token, body: { url: receiver.url, events: ['*'] } })).status,
      ).toBe(403);
      expect((await stack.api.call('GET', '/api/webhooks', { token })).status).toBe(403);
    }
  });

  it('answers 404 for a webhook that does not exist', async () => {
    expect((await stack.api.call('GET', '/api/webhooks/whk_000000000000', { token: ADMIN })).status).toBe(404);
    expect((await stack.api.call('GET', '/api/webhooks/whk_000000000000/deliveries', { token: ADMIN })).status).toBe(
      404,
    );
  });
});

describe('deliveries', () => {
  it('are signed, carry each event once, in order per registration, across the receiver going down and coming back', async () => {
    const subscription = await subscribe({ events: ['registration.*'] });
    receiver.trust(subscription.secret);
    const tag = tagOf(subscription);
    const first = await register(NORTHWIND);
    const second = await register(CONTOSO);
    // The decisions arrive while the receiver is up.
    await eventually(
      async () => [receivedFor(tag, first).length, receivedFor(tag, second).length],
      ([a, b]) => a >= 2 && b >= 2,
      { timeoutMs: 30_000 },
    );

    await receiver.stop();
    await withdraw(NORTHWIND, first);
    await withdraw(CONTOSO, second);
    // Refused while it is down: the attempts say so.
    const refused = await eventually(
      () => deliveriesOf(subscription.id),
      (items) =>
        items.some((d) => d.status === 'pending' && d.attempts >= 1 && /ECONNREFUSED/.test(d.lastAttempt?.error ?? '')),
      { timeoutMs: 30_000 },
    );
    expect(refused.some((d) => d.status === 'pending')).toBe(true);
    await receiver.start();

    for (const registration of [first, second]) {
      // Complete once the claim is released, the registration's last step.
      const feed = (
        await eventually(
          () => feedOf(registration),
          (events) => events.some((e) => e.type === 'registration.claim_released'),
        )
      ).map((e) => e.id);
      const received = await eventually(
        async () => receivedFor(tag, registration).map((r) => r.event.id),
        (ids) => ids.length >= feed.length,
        { timeoutMs: 30_000 },
      );
      // Once each, and in the order the feed has them.
      expect(received).toEqual(feed);
      expect(new Set(receivedFor(tag, registration).map((r) => r.webhookId)).size).toBe(feed.length);
    }
    expect(receiver.refused).toBe(0);
    const deliveries = await eventually(
      () => deliveriesOf(subscription.id),
      (items) => items.every((d) => d.status === 'delivered'),
    );
    expect(deliveries.every((d) => d.lastAttempt?.statusCode === 204)).toBe(true);
    expect(deliveries.some((d) => d.attempts >= 2)).toBe(true);
    expect((await stack.api.call('DELETE', `/api/webhooks/${subscription.id}`, { token: ADMIN })).status).toBe(204);
  });

  it("of a partner's subscription carry only that partner's events, with data naming no one", async () => {
    const subscription = await subscribe({ events: ['*'], partnerId: 'northwind' });
    receiver.trust(subscription.secret);
    const own = await register(NORTHWIND);
    const other = await register(CONTOSO);
    const tag = tagOf(subscription);
    await eventually(
      async () => receivedFor(tag, own),
      (items) => items.some((r) => r.event.type === 'registration.decided'),
      { timeoutMs: 30_000 },
    );
    // The other partner's events were recorded before this one's decision arrived, and were not sent.
    expect(await feedOf(other)).not.toHaveLength(0);
    expect(receivedFor(tag, other)).toEqual([]);
    for (const { event } of receivedFor(tag, own))
      expect(Object.keys(event.data).every((key) => key === 'status')).toBe(true);
    expect((await stack.api.call('DELETE', `/api/webhooks/${subscription.id}`, { token: ADMIN })).status).toBe(204);
  });

  it('can be read with every attempt, and replayed with the same webhook-id', async () => {
    const subscription = await subscribe({ events: ['registration.submitted'] });
    receiver.trust(subscription.secret);
    const registration = await register(NORTHWIND);
    const [delivery] = await eventually(
      () => deliveriesOf(subscription.id, 'delivered'),
      (items) => items.length === 1,
      { timeoutMs: 30_000 },
    );
    const read = await stack.api.call('GET', `/api/webhooks/${subscription.id}/deliveries/${delivery.id}`, {
      token: ADMIN,
    });
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({
      event: { type: 'registration.submitted', subject: { kind: 'registration', id: registration } },
      attemptLog: [expect.objectContaining({ attempt: 1, statusCode: 204 })],
    });

    const replayed = await stack.api.call('POST', `/api/webhooks/${subscription.id}/deliveries/${delivery.id}/replay`, {
      token: ADMIN,
    });
    expect(replayed.status).toBe(202);
    const copies = await eventually(
      async () => receiver.received.filter((r) => r.webhookId === delivery.id),
      (items) => items.length === 2,
      { timeoutMs: 30_000 },
    );
    expect(copies[1].event).toEqual(copies[0].event);
    expect(
      (
        await eventually(
          () => deliveriesOf(subscription.id),
          (items) => items[0]?.attempts === 2,
        )
      )[0].status,
    ).toBe('delivered');
    const unknown = await stack.api.call(
      'POST',
      `/api/webhooks/${subscription.id}/deliveries/msg_000000000000_1/replay`,
      {
        token: ADMIN,
      },
    );
    expect(unknown.status).toBe(404);
    expect((await stack.api.call('DELETE', `/api/webhooks/${subscription.id}`, { token: ADMIN })).status).toBe(204);
  });

  it('recorded but never queued (the dispatcher stopped in between) are queued and sent on its next cycle', async () => {
    const subscription = await subscribe({ events: ['registration.submitted'] });
    receiver.trust(subscription.secret);
    // As the dispatcher leaves it when it stops after recording a delivery, before queuing it.
    const id = `${tagOf(subscription)}999999999`;
    await stack.db.store.webhooks.addDelivery(id, subscription.id, {
      id: 'evt_999999999',
      type: 'registration.submitted',
      at: new Date().toISOString(),
      subject: { kind: 'registration', id: 'reg-00000000000000aa' },
      data: { status: 'submitted' },
    });
    const sent = await eventually(
      async () => receiver.received.filter((r) => r.webhookId === id),
      (items) => items.length === 1,
      { timeoutMs: 30_000 },
    );
    expect(sent[0].event).toMatchObject({ id: 'evt_999999999', subject: { id: 'reg-00000000000000aa' } });
    expect((await stack.api.call('DELETE', `/api/webhooks/${subscription.id}`, { token: ADMIN })).status).toBe(204);
  });

  it('stop when the subscription is deleted', async () => {
    const subscription = await subscribe({ events: ['registration.submitted'] });
    receiver.trust(subscription.secret);
    expect((await stack.api.call('DELETE', `/api/webhooks/${subscription.id}`, { token: ADMIN })).status).toBe(204);
    const registration = await register(NORTHWIND);
    // Long enough for the dispatcher (every 0.5 s) to have sent it, had the subscription lived.
    await eventually(
      () => feedOf(registration, 'registration.decided'),
      (events) => events.length === 1,
    );
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(receiver.received.filter((r) => r.webhookId.startsWith(tagOf(subscription)))).toEqual([]);
    expect((await stack.api.call('GET', `/api/webhooks/${subscription.id}`, { token: ADMIN })).status).toBe(404);
  });

  it('after a secret rotation verify with the new secret and, for the overlap, with the old one', async () => {
    const subscription = await subscribe({ events: ['registration.submitted'] });
    const rotated = await stack.api.call('POST', `/api/webhooks/${subscription.id}/rotate-secret`, { token: ADMIN });
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).not.toBe(subscription.secret);
    expect(Date.parse(rotated.body.previousSecretValidUntil) - Date.now()).toBeGreaterThan(23 * 3600_000);
    for (const trusted of [rotated.body.secret as string, subscription.secret]) {
      receiver.trust(trusted);
      const registration = await register(NORTHWIND);
      await eventually(
        async () => receivedFor(tagOf(subscription), registration),
        (items) => items.length === 1,
        { timeoutMs: 30_000 },
      );
    }
    expect(receiver.refused).toBe(0);
    expect((await stack.api.call('DELETE', `/api/webhooks/${subscription.id}`, { token: ADMIN })).status).toBe(204);
  });
});

describe('a receiver that keeps refusing', () => {
  it('fails the delivery when its retries run out, disables the subscription and emails its owner; enabled again, it delivers', async () => {
    const subscription = await subscribe({
      events: ['registration.submitted'],
      ownerEmail: 'integrations@vendor.example',
    });
    receiver.trust(subscription.secret);
    receiver.answerWith(500);
    try {
      const registration = await register(NORTHWIND);
      const [failed] = await eventually(
        () => deliveriesOf(subscription.id, 'failed'),
        (items) => items.length === 1,
        { timeoutMs: RETRY_FOR_MS + 30_000, intervalMs: 500 },
      );
      // 1 s, 2 s, 4 s, 8 s: four retries fit in 20 s after the first attempt.
      expect(failed.attempts).toBeGreaterThanOrEqual(4);
      expect(failed.lastAttempt).toMatchObject({ statusCode: 500 });
      const disabled = await stack.api.call('GET', `/api/webhooks/${subscription.id}`, { token: ADMIN });
      expect(disabled.body).toMatchObject({ status: 'disabled' });
      expect(disabled.body.disabledReason).toMatch(/HTTP 500/);
      const [email] = await eventually(
        async () =>
          (await stack.outbox.read()).filter(
            (m) => m.subject === `Webhook ${subscription.id} disabled: its receiver refused deliveries`,
          ),
        (items) => items.length === 1,
      );
      expect(email.to && !Array.isArray(email.to) ? email.to.text : email.to).toBe('integrations@vendor.example');
      expect(email.text).toContain(`${subscription.id} to ${receiver.url} is disabled`);
      // Its link opens the webhook's deliveries on the Webhooks page.
      expect(email.text).toContain(`/webhooks?webhook=${subscription.id}`);
      expect(email.text).not.toContain(subscription.secret);

      // Disabled: a replay is refused until it is enabled again.
      const refused = await stack.api.call('POST', `/api/webhooks/${subscription.id}/deliveries/${failed.id}/replay`, {
        token: ADMIN,
      });
      expect(refused.status).toBe(409);
      receiver.answerWith(204);
      const enabled = await stack.api.call('POST', `/api/webhooks/${subscription.id}/enable`, { token: ADMIN });
      expect(enabled.body).toMatchObject({ status: 'enabled' });
      const replayed = await stack.api.call('POST', `/api/webhooks/${subscription.id}/deliveries/${failed.id}/replay`, {
        token: ADMIN,
      });
      expect(replayed.status).toBe(202);
      await eventually(
        async () => receivedFor(tagOf(subscription), registration),
        (items) => items.length === 1,
        { timeoutMs: 30_000 },
      );
      const later = await register(NORTHWIND);
      await eventually(
        async () => receivedFor(tagOf(subscription), later),
        (items) => items.length === 1,
        { timeoutMs: 30_000 },
      );
    } finally {
      receiver.answerWith(204);
    }
    expect((await stack.api.call('DELETE', `/api/webhooks/${subscription.id}`, { token: ADMIN })).status).toBe(204);
  });
});
