import type { DigestItem } from '../../src/store/managerDigests';
import { openTestStore, storeEngines, type TestStore } from '../helpers/store';

// The manager digest windows as the store keeps them: concurrent sends to one manager agree on
// which goes at once, a repeated send gets its first answer, and a digest lists each update once.

const MANAGER = 'chris.channel@vendor.example';
const KEY = 'recipient-key-of-chris';
const WINDOW_MS = 15 * 60_000;
const T0 = Date.parse('2026-03-02T09:00:00.000Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000);

const anUpdate = (n: number): DigestItem => ({
  emailKey: `registration-r${n}/reviewAssigned#1`,
  subject: `Review needed: registration r${n}`,
  link: `http://roe.test/api/registrations/r${n}`,
});

describe.each(storeEngines())('manager digest windows on %s', (engine) => {
  let db: TestStore;

  beforeEach(async () => {
    db = await openTestStore(engine);
  });

  afterEach(async () => {
    await db?.close();
  });

  const decide = (n: number, minutes: number) =>
    db.store.managerDigests.decide(MANAGER, KEY, anUpdate(n), at(minutes), WINDOW_MS);

  it('sends one of 30 concurrent updates at once and holds the other 29 for the digest at the window’s end', async () => {
    const decisions = await Promise.all(Array.from({ length: 30 }, (_, n) => decide(n, 0)));

    expect(decisions.filter((d) => d.send === 'at_once')).toHaveLength(1);
    const held = decisions.filter((d) => d.send === 'in_digest');
    expect(held).toHaveLength(29);
    expect(new Set(held.map((d) => `${d.window}@${d.endsAt.toISOString()}`))).toEqual(
      new Set([`1@${at(15).toISOString()}`]),
    );
    const digest = await db.store.managerDigests.takeDigest(KEY, 1, at(15), WINDOW_MS);
    expect(digest?.address).toBe(MANAGER);
    expect(digest?.items).toHaveLength(29);
    const atOnce = decisions.findIndex((d) => d.send === 'at_once');
    expect(new Set(digest?.items.map((i) => i.emailKey))).toEqual(
      new Set(
        Array.from({ length: 30 }, (_, n) => n)
          .filter((n) => n !== atOnce)
          .map((n) => anUpdate(n).emailKey),
      ),
    );
  });

  it('gives a repeated send the answer it got the first time, without listing it twice', async () => {
    expect(await decide(1, 0)).toEqual({ send: 'at_once' });
    const held = await decide(2, 1);
    expect(await decide(1, 2)).toEqual({ send: 'at_once' });
    expect(await decide(2, 20)).toEqual(held);

    const digest = await db.store.managerDigests.takeDigest(KEY, 1, at(15), WINDOW_MS);
    expect(digest?.items).toEqual([anUpdate(2)]);
  });

  it('lists the same updates when a digest is taken again, and holds what comes after it for the next window', async () => {
    await decide(1, 0);
    await decide(2, 5);
    const first = await db.store.managerDigests.takeDigest(KEY, 1, at(15), WINDOW_MS);
    const later = await decide(3, 20);
    const again = await db.store.managerDigests.takeDigest(KEY, 1, at(16), WINDOW_MS);

    expect(again).toEqual(first);
    // The digest was an email too: what comes within 15 minutes of it waits for the next digest.
    expect(later).toEqual({ send: 'in_digest', recipientKey: KEY, window: 2, endsAt: at(30) });
    expect((await db.store.managerDigests.takeDigest(KEY, 2, at(30), WINDOW_MS))?.items).toEqual([anUpdate(3)]);
  });

  it('sends at once again once a window has passed with nothing held', async () => {
    await decide(1, 0);
    expect(await decide(2, 15)).toEqual({ send: 'at_once' });
    expect(await decide(3, 29)).toMatchObject({ send: 'in_digest', window: 2, endsAt: at(30) });
  });

  it('adds to a digest that is late rather than sending past it', async () => {
    await decide(1, 0);
    await decide(2, 10);
    // The window ended at 15 minutes but its digest has not gone yet (a worker was down).
    expect(await decide(3, 40)).toMatchObject({ send: 'in_digest', window: 1 });
    expect((await db.store.managerDigests.takeDigest(KEY, 1, at(41), WINDOW_MS))?.items).toEqual([
      anUpdate(2),
      anUpdate(3),
    ]);
  });
});
