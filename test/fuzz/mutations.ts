import fc from 'fast-check';

/** Values that have broken parsers, validators and SQL drivers before: wrong types, edges, odd text. */
export const nastyScalar: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    null,
    true,
    false,
    0,
    -0,
    -1,
    1.5,
    1e308,
    -1e308,
    Number.MAX_SAFE_INTEGER + 2,
    '',
    ' ',
    '\u0000',
    'null',
    'NaN',
    'Infinity',
    '-1',
    '1e400',
    '0x10',
    '__proto__',
    'constructor',
    "' OR 1=1 --",
    '../../etc/passwd',
    '%00',
    '\ud800',
    '\udc00',
    'ok\ud800ok',
    '\uffff',
    '\u202e\u2066',
    '👩‍👩‍👧‍👦🏳️‍🌈',
    'ẞ\u202e\u200b\ufeff',
    '0000-01-01T00:00:00Z',
    '9999-12-31T23:59:59.999+14:00',
    'P99999999999D',
    'PT0S',
    [],
    {},
  ),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.integer(),
  fc.double(),
  hugeString(),
);

/** A string from a few kB to just over the 100 kB body limit, so that both sides of the limit are hit. */
export function hugeString(): fc.Arbitrary<string> {
  return fc
    .constantFrom(5_000, 60_000, 99_000, 101_000, 150_000)
    .chain((length) => fc.constantFrom('x', 'é', '💥').map((unit) => unit.repeat(Math.ceil(length / unit.length))));
}

/** Arrays and objects nested tens to hundreds of levels deep, inside an otherwise valid body. */
export function deeplyNested(): fc.Arbitrary<unknown> {
  return fc.tuple(fc.constantFrom(10, 200), fc.boolean()).map(([depth, asArrays]) => {
    let value: unknown = 'bottom';
    for (let i = 0; i < depth; i++) value = asArrays ? [value] : { a: value };
    return value;
  });
}

/** JSON text nested thousands of levels deep, written as text (JSON.stringify would run out of stack). */
export const deeplyNestedJson: fc.Arbitrary<string> = fc
  .tuple(fc.constantFrom(1_000, 10_000, 40_000), fc.boolean())
  .map(([depth, asArrays]) =>
    asArrays ? `${'['.repeat(depth)}1${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`,
  );

export const nastyValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: nastyScalar },
  { weight: 1, arbitrary: deeplyNested() },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
);

type Mutation = 'replace' | 'delete' | 'extra';

/** `value` with one node replaced by a nasty value, one key deleted, or one unknown key added. */
export function mutated(valid: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return fc
    .tuple(
      valid,
      fc.nat(),
      fc.constantFrom<Mutation>('replace', 'delete', 'extra'),
      nastyValue,
      fc.constantFrom('extra', 'id', 'role', 'partnerId', '__proto__', 'constructor', 'status'),
    )
    .map(([value, pick, mutation, replacement, extraKey]) => mutate(value, pick, mutation, replacement, extraKey));
}

function mutate(value: unknown, pick: number, mutation: Mutation, replacement: unknown, extraKey: string): unknown {
  const copy = structuredClone(value);
  const nodes = containersIn(copy);
  if (nodes.length === 0 || mutation === 'replace') {
    const slots = slotsIn(copy);
    if (slots.length === 0) return replacement;
    const [parent, key] = slots[pick % slots.length];
    (parent as Record<string, unknown>)[key] = replacement;
    return copy;
  }
  const node = nodes[pick % nodes.length];
  if (Array.isArray(node)) {
    if (mutation === 'delete') node.splice(0, 1);
    else node.push(replacement);
    return copy;
  }
  const keys = Object.keys(node);
  if (mutation === 'delete' && keys.length > 0) delete node[keys[pick % keys.length]];
  // defineProperty, so that "__proto__" becomes an own key that JSON.stringify sends.
  else Object.defineProperty(node, extraKey, { value: replacement, enumerable: true, writable: true });
  return copy;
}

type Container = Record<string, unknown> | unknown[];

function containersIn(value: unknown, found: Container[] = []): Container[] {
  if (value !== null && typeof value === 'object') {
    found.push(value as Container);
    for (const child of Object.values(value)) containersIn(child, found);
  }
  return found;
}

/** Every (container, key) pair: the places where a value can be swapped. */
function slotsIn(value: unknown): [Container, string][] {
  return containersIn(value).flatMap((node) => Object.keys(node).map((key): [Container, string] => [node, key]));
}

/** Bodies that are not JSON, or not the JSON a parser expects. */
export const malformedJson: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '{',
    '{"a":',
    '[1,2',
    'nul',
    'undefined',
    "{'single': 'quotes'}",
    '{"a":1,}',
    '\ufeff{}',
    '{"a":1}{"b":2}',
    '{"__proto__":{"polluted":true}}',
    '{"constructor":{"prototype":{"polluted":true}}}',
    '"just a string"',
    '12345',
    'true',
    'null',
    '[]',
    '{"a":"\\ud800"}',
    '{"a":1e999}',
    '\u0000',
  ),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.json().map((text) => text.slice(0, Math.max(1, Math.floor(text.length / 2)))),
  deeplyNestedJson,
);

/** Content types other than plain JSON, some refused, some JSON-like. */
export const contentType: fc.Arbitrary<string | undefined> = fc.constantFrom(
  undefined,
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/xml',
  'application/json; charset=utf-16',
  'application/json; charset=latin1',
  'application/merge-patch+json',
  'application/problem+json',
  'application/json; charset=utf-8',
  'APPLICATION/JSON',
  'application/jsonx',
  '*/*',
  'invalid content type',
);

/** Path segments that are not ids: encoded, over-long, traversal, control characters. */
export const badPathSegment: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '%00',
    '%FF',
    '%ED%A0%80',
    '%ED%B0%80',
    '%C0%80',
    '%F4%90%80%80',
    '%EF%BF%BF',
    '%E2%80%AE',
    '%E0%A4%A',
    '%',
    '..',
    '%2e%2e',
    '%2F',
    'a%2Fb',
    '%20',
    'null',
    'undefined',
    '__proto__',
    'constructor',
    '0',
    '-1',
    '1.5',
    '1e400',
    '99999999999999999999',
    'NaN',
    'x'.repeat(5_000),
    encodeURIComponent('💥'),
    encodeURIComponent("' OR 1=1 --"),
    encodeURIComponent('reg-0123456789abcdef\n'),
  ),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }).map(encodeURIComponent),
);

/** Query values: empty, huge, arrays (repeated keys), and cursors crafted to decode to something odd. */
export const badQueryValue: fc.Arbitrary<string | string[]> = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    '-1',
    '0',
    '501',
    '1.5',
    '1e3',
    'NaN',
    'null',
    'true',
    '%00',
    '\u0000',
    '\ud800',
    'a\udfffb',
    '\uffff',
    '\u202e',
    'x'.repeat(8_000),
    '0000-01-01T00:00:00Z',
    '9999-12-31T23:59:59Z',
    '2026-02-30T00:00:00Z',
    Buffer.from('["0000-01-01T00:00:00Z","x"]').toString('base64url'),
    Buffer.from('["275760-09-13","x"]').toString('base64url'),
    Buffer.from('["+275760-09-13T00:00:00Z","x"]').toString('base64url'),
    Buffer.from('["1","x"]').toString('base64url'),
    Buffer.from('["Tue","\u0000"]').toString('base64url'),
    Buffer.from('0').toString('base64url'),
    Buffer.from('99999999999999999999').toString('base64url'),
    Buffer.from('\u0000').toString('base64url'),
    Buffer.from('x'.repeat(300)).toString('base64url'),
    'AAAA',
    '!!!',
  ),
  fc.array(fc.constantFrom('1', 'a', ''), { minLength: 2, maxLength: 3 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
);

/**
 * encodeURIComponent, except that a lone surrogate goes out as the bytes UTF-8's scheme would give
 * it (U+D800 as %ED%A0%80), which is not UTF-8: ill-formed text reaches the server as sent.
 */
export function encodeLoosely(text: string): string {
  return text
    .split(/(\p{Cs})/u)
    .map((part) => {
      if (!/^\p{Cs}$/u.test(part)) return encodeURIComponent(part);
      const unit = part.charCodeAt(0);
      const bytes = [0xe0 | (unit >> 12), 0x80 | ((unit >> 6) & 0x3f), 0x80 | (unit & 0x3f)];
      return bytes.map((byte) => `%${byte.toString(16).toUpperCase()}`).join('');
    })
    .join('');
}
