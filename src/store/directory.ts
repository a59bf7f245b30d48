import type { Db } from './db';
import type { AccountSegment, EscalationRole, PartnerTier, PartnerType } from '../domain/directory';

export interface Contact {
  name: string;
  email: string;
}

export interface Partner {
  id: string;
  name: string;
  type: PartnerType;
  tier: PartnerTier;
  regions: string[];
  contacts: Contact[];
  updatedAt: string;
}

export interface Account {
  domain: string;
  name: string;
  segment?: AccountSegment;
  region: string;
  directOwner?: Contact;
  updatedAt: string;
}

export interface Person {
  id: string;
  name: string;
  email: string;
  escalationRoles: EscalationRole[];
  /** `['*']` means every region. */
  regions: string[];
  updatedAt: string;
}

export interface Page<T> {
  items: T[];
  nextCursor?: string;
}

type Row = Record<string, unknown>;
const iso = (value: unknown): string => new Date(value as string).toISOString();

const toPartner = (r: Row): Partner => ({
  id: r.id as string,
  name: r.name as string,
  type: r.type as PartnerType,
  tier: r.tier as PartnerTier,
  regions: r.regions as string[],
  contacts: r.contacts as Contact[],
  updatedAt: iso(r.updated_at),
});

const toAccount = (r: Row): Account => ({
  domain: r.domain as string,
  name: r.name as string,
  ...(r.segment ? { segment: r.segment as AccountSegment } : {}),
  region: r.region as string,
  ...(r.direct_owner ? { directOwner: r.direct_owner as Contact } : {}),
  updatedAt: iso(r.updated_at),
});

const toPerson = (r: Row): Person => ({
  id: r.id as string,
  name: r.name as string,
  email: r.email as string,
  escalationRoles: r.escalation_roles as EscalationRole[],
  regions: r.regions as string[],
  updatedAt: iso(r.updated_at),
});

/** Keyset pagination over a text key: the cursor is the last key of the previous page. */
async function pageBy<T>(
  db: Db,
  table: 'partners' | 'accounts' | 'people',
  key: 'id' | 'domain',
  map: (r: Row) => T,
  limit: number,
  cursor?: string,
): Promise<Page<T>> {
  const after = cursor ? decodeCursor(cursor) : '';
  const rows = await db.query(`SELECT * FROM ${table} WHERE ${key} > $1 ORDER BY ${key} LIMIT $2`, [after, limit + 1]);
  const items = rows.slice(0, limit).map(map);
  const last = rows.length > limit ? (rows[limit - 1][key] as string) : undefined;
  return { items, ...(last ? { nextCursor: encodeCursor(last) } : {}) };
}

/** A `?cursor=` this store did not issue (hand-made, truncated); the API answers 400 naming `cursor`. */
export class InvalidCursorError extends Error {
  constructor() {
    super('not a cursor returned by this list; pass nextCursor as it was given');
    this.name = 'InvalidCursorError';
  }
}

/** Every item of a paged list, page by page (the directory's lists, registrations…). */
export async function allOf<T>(page: (limit: number, cursor?: string) => Promise<Page<T>>): Promise<T[]> {
  const all: T[] = [];
  let cursor: string | undefined;
  do {
    const next = await page(500, cursor);
    all.push(...next.items);
    cursor = next.nextCursor;
  } while (cursor);
  return all;
}

export const encodeCursor = (value: string): string => Buffer.from(value, 'utf8').toString('base64url');

/** Whether `cursor` is one `encodeCursor` made: only those round-trip, and a NUL byte would fail the query. */
export function isIssuedCursor(cursor: string): boolean {
  const value = Buffer.from(cursor, 'base64url').toString('utf8');
  return value.length > 0 && !value.includes('\0') && encodeCursor(value) === cursor;
}

export function decodeCursor(cursor: string): string {
  if (!isIssuedCursor(cursor)) throw new InvalidCursorError();
  return Buffer.from(cursor, 'base64url').toString('utf8');
}

export function directoryStore(db: Db) {
  return {
    async upsertPartner(p: Omit<Partner, 'updatedAt'>): Promise<{ partner: Partner; created: boolean }> {
      const rows = await db.query(
        `INSERT INTO partners (id, name, type, tier, regions, contacts) VALUES ($1,$2,$3,$4,$5,$6)
         ON CONFLICT (id) DO UPDATE SET name=$2, type=$3, tier=$4, regions=$5, contacts=$6, updated_at=now()
         RETURNING *, (xmax = 0) AS created`,
        [p.id, p.name, p.type, p.tier, JSON.stringify(p.regions), JSON.stringify(p.contacts)],
      );
      return { partner: toPartner(rows[0]), created: rows[0].created === true };
    },
    async getPartner(id: string): Promise<Partner | undefined> {
      const rows = await db.query('SELECT * FROM partners WHERE id = $1', [id]);
      return rows[0] ? toPartner(rows[0]) : undefined;
    },
    listPartners: (limit: number, cursor?: string) => pageBy(db, 'partners', 'id', toPartner, limit, cursor),

    async upsertAccount(a: Omit<Account, 'updatedAt'>): Promise<{ account: Account; created: boolean }> {
      const rows = await db.query(
        `INSERT INTO accounts (domain, name, segment, region, direct_owner) VALUES ($1,$2,$3,$4,$5)
         ON CONFLICT (domain) DO UPDATE SET name=$2, segment=$3, region=$4, direct_owner=$5, updated_at=now()
         RETURNING *, (xmax = 0) AS created`,
        [a.domain, a.name, a.segment ?? null, a.region, a.directOwner ? JSON.stringify(a.directOwner) : null],
      );
      return { account: toAccount(rows[0]), created: rows[0].created === true };
    },
    async getAccount(domain: string): Promise<Account | undefined> {
      const rows = await db.query('SELECT * FROM accounts WHERE domain = $1', [domain]);
      return rows[0] ? toAccount(rows[0]) : undefined;
    },
    listAccounts: (limit: number, cursor?: string) => pageBy(db, 'accounts', 'domain', toAccount, limit, cursor),

    async upsertPerson(p: Omit<Person, 'updatedAt'>): Promise<{ person: Person; created: boolean }> {
      const rows = await db.query(
        `INSERT INTO people (id, name, email, escalation_roles, regions) VALUES ($1,$2,$3,$4,$5)
         ON CONFLICT (id) DO UPDATE SET name=$2, email=$3, escalation_roles=$4, regions=$5, updated_at=now()
         RETURNING *, (xmax = 0) AS created`,
        [p.id, p.name, p.email, JSON.stringify(p.escalationRoles), JSON.stringify(p.regions)],
      );
      return { person: toPerson(rows[0]), created: rows[0].created === true };
    },
    async getPerson(id: string): Promise<Person | undefined> {
      const rows = await db.query('SELECT * FROM people WHERE id = $1', [id]);
      return rows[0] ? toPerson(rows[0]) : undefined;
    },
    listPeople: (limit: number, cursor?: string) => pageBy(db, 'people', 'id', toPerson, limit, cursor),

    /** People holding `role` who cover `region` (or every region). */
    async peopleWithRole(role: EscalationRole, region?: string): Promise<Person[]> {
      const rows = await db.query(
        `SELECT * FROM people WHERE escalation_roles ? $1
         AND ($2::text IS NULL OR regions ? $2 OR regions ? '*') ORDER BY id`,
        [role, region ?? null],
      );
      return rows.map(toPerson);
    },
  };
}

export type DirectoryStore = ReturnType<typeof directoryStore>;

/** A list position (an instant, an id) for lists ordered newest first. */
export const encodePositionCursor = (at: string | Date, id: string): string =>
  encodeCursor(JSON.stringify([new Date(at).toISOString(), id]));

function isIssuedInstant(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const at = new Date(value);
  const year = at.getUTCFullYear();
  return year >= 1 && year <= 9999 && at.toISOString() === value;
}

/** The position a cursor stands for; anything else is a cursor the list never issued. */
export function decodePositionCursor(cursor: string): [string, string] {
  try {
    const position: unknown = JSON.parse(decodeCursor(cursor));
    // Exactly what encodePositionCursor writes: Date.parse alone takes "1" or year 0, which the database refuses.
    if (Array.isArray(position) && position.length === 2 && isIssuedInstant(position[0])) {
      const [at, id] = position as [string, unknown];
      if (typeof id === 'string' && !id.includes('\0')) return [at, id];
    }
  } catch {
    // Not JSON, or not a cursor at all: refused below.
  }
  throw new InvalidCursorError();
}
