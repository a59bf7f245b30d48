import type { z } from 'zod';
import { accountKeyOf } from '../domain/accountKey';
import { idSchema } from '../domain/principal';
import { fieldErrorMap, issuesToFieldErrors, type FieldError } from '../domain/fieldErrors';
import type { Account, Contact, Partner, Person } from '../store/directory';

// How each kind of directory entry reads from and writes to a CSV row. Lists are `;`-separated
// (`emea;na`), contacts `Name <email>` (`Lia Ware <lia@litware.example>; Bo <bo@litware.example>`).

export type DirectoryKind = 'partners' | 'accounts' | 'people';

/** A row as the entry it stands for, or the errors naming its columns. */
export type RowReading<Entry> =
  { key: string; entry: Entry } | { key?: string; errors: { column: string; message: string }[] };

export interface DirectoryRows<Entry> {
  columns: readonly string[];
  read(cells: Record<string, string>): RowReading<Entry>;
  write(entry: Entry): Record<string, string>;
}

const list = (cell: string) =>
  cell
    .split(';')
    .map((item) => item.trim())
    .filter(Boolean);

const CONTACT = /^(.+?)\s*<([^<>]+)>$/;

function contactsOf(cell: string): unknown[] {
  return list(cell).map((item) => {
    const match = CONTACT.exec(item);
    return match ? { name: match[1].trim(), email: match[2].trim() } : { name: item, email: '' };
  });
}
const contactText = (contact: Contact) => `${contact.name} <${contact.email}>`;

/** The field errors of `schema` on `input`, each named by the column it came from. */
function validated<T>(schema: z.ZodType<T>, input: unknown, columnOf: (error: FieldError) => string): Validated<T> {
  const parsed = schema.safeParse(input, { error: fieldErrorMap });
  if (parsed.success) return { value: parsed.data };
  return {
    errors: issuesToFieldErrors(parsed.error.issues).map((error) => ({
      column: columnOf(error),
      message: error.message,
    })),
  };
}

const firstSegment = (error: FieldError) => error.path.split('.')[0] || 'row';

type Validated<T> = { value: T } | { errors: { column: string; message: string }[] };

/** An entry keyed by its `id` column: the id's error and the fields' errors together, or the entry. */
function byId<T extends object>(
  idCell: string,
  idMessage: string,
  result: Validated<T>,
): RowReading<T & { id: string }> {
  const id = idSchema.safeParse(idCell);
  const errors = [
    ...(id.success ? [] : [{ column: 'id', message: idMessage }]),
    ...('errors' in result ? result.errors : []),
  ];
  if (!id.success || 'errors' in result) return { ...(id.success ? { key: id.data } : {}), errors };
  return { key: id.data, entry: { id: id.data, ...result.value } };
}

export function partnerRows(
  body: z.ZodType<Omit<Partner, 'id' | 'updatedAt'>>,
): DirectoryRows<Omit<Partner, 'updatedAt'>> {
  return {
    columns: ['id', 'name', 'type', 'tier', 'regions', 'contacts'],
    read(cells) {
      const result = validated(
        body,
        {
          name: cells.name,
          type: cells.type,
          tier: cells.tier,
          regions: list(cells.regions),
          contacts: contactsOf(cells.contacts),
        },
        firstSegment,
      );
      return byId(cells.id, 'a lowercase id such as "northwind"', result);
    },
    write: (p) => ({
      id: p.id,
      name: p.name,
      type: p.type,
      tier: p.tier,
      regions: p.regions.join(';'),
      contacts: p.contacts.map(contactText).join('; '),
    }),
  };
}

export function accountRows(
  body: z.ZodType<Omit<Account, 'domain' | 'updatedAt'>>,
): DirectoryRows<Omit<Account, 'updatedAt'>> {
  return {
    columns: ['domain', 'name', 'segment', 'region', 'directOwnerName', 'directOwnerEmail'],
    read(cells) {
      const domain = accountKeyOf(cells.domain.trim());
      const owner =
        cells.directOwnerName || cells.directOwnerEmail
          ? { directOwner: { name: cells.directOwnerName, email: cells.directOwnerEmail } }
          : {};
      const result = validated(
        body,
        { name: cells.name, ...(cells.segment ? { segment: cells.segment } : {}), region: cells.region, ...owner },
        (error) =>
          error.path.startsWith('directOwner.email')
            ? 'directOwnerEmail'
            : error.path.startsWith('directOwner')
              ? 'directOwnerName'
              : firstSegment(error),
      );
      const errors = [
        ...(domain ? [] : [{ column: 'domain', message: 'not a domain name' }]),
        ...('errors' in result ? result.errors : []),
      ];
      if (errors.length || 'errors' in result) return { ...(domain ? { key: domain } : {}), errors };
      return { key: domain!, entry: { domain: domain!, ...result.value } };
    },
    write: (a) => ({
      domain: a.domain,
      name: a.name,
      segment: a.segment ?? '',
      region: a.region,
      directOwnerName: a.directOwner?.name ?? '',
      directOwnerEmail: a.directOwner?.email ?? '',
    }),
  };
}

export function personRows(
  body: z.ZodType<Omit<Person, 'id' | 'updatedAt'>>,
): DirectoryRows<Omit<Person, 'updatedAt'>> {
  return {
    columns: ['id', 'name', 'email', 'escalationRoles', 'regions'],
    read(cells) {
      const result = validated(
        body,
        {
          name: cells.name,
          email: cells.email,
          escalationRoles: list(cells.escalationRoles),
          regions: list(cells.regions),
        },
        firstSegment,
      );
      return byId(cells.id, 'a lowercase id such as "cm-emea"', result);
    },
    write: (p) => ({
      id: p.id,
      name: p.name,
      email: p.email,
      escalationRoles: p.escalationRoles.join(';'),
      regions: p.regions.join(';'),
    }),
  };
}

/** Key-order-free equality of two entries (without `updatedAt`): an unchanged row writes nothing. */
export function sameEntry(a: object, b: object): boolean {
  const canonical = (value: unknown): unknown =>
    Array.isArray(value)
      ? value.map(canonical)
      : value && typeof value === 'object'
        ? Object.fromEntries(
            Object.entries(value)
              .filter(([key, v]) => key !== 'updatedAt' && v !== undefined)
              .sort(([x], [y]) => x.localeCompare(y))
              .map(([key, v]) => [key, canonical(v)]),
          )
        : value;
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}
