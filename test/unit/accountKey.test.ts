import fc from 'fast-check';
import { accountKeyOf } from '../../src/domain/accountKey';

describe('accountKeyOf', () => {
  it.each([
    'acme.co.uk',
    'sales.acme.co.uk',
    'ACME.co.uk',
    'https://www.acme.co.uk/path',
    'http://eu.sales.acme.co.uk:8443/contact?x=1#top',
    '  acme.co.uk  ',
    'acme.co.uk.',
  ])('identifies %j as the account acme.co.uk', (text) => {
    expect(accountKeyOf(text)).toBe('acme.co.uk');
  });

  it('identifies a company under the reserved .example suffix by its last two labels', () => {
    expect(accountKeyOf('https://Sales.Globex.example/')).toBe('globex.example');
  });

  it('gives an internationalized domain and its punycode form the same key', () => {
    const key = accountKeyOf('bücher.de');

    expect(key).toBe('xn--bcher-kva.de');
    expect(accountKeyOf('xn--bcher-kva.de')).toBe(key);
    expect(accountKeyOf('https://shop.BÜCHER.de/')).toBe(key);
  });

  it('keeps companies under a shared hosting suffix apart', () => {
    expect(accountKeyOf('acme.github.io')).toBe('acme.github.io');
    expect(accountKeyOf('https://docs.acme.github.io/start')).toBe('acme.github.io');
    expect(accountKeyOf('globex.myshopify.com')).toBe('globex.myshopify.com');
    expect(accountKeyOf('github.io')).toBeUndefined();
  });

  it('reads the host of a long pasted URL with tracking parameters', () => {
    const url = `https://www.acme.co.uk/pricing?utm_source=newsletter&ref=${'x'.repeat(400)}`;

    expect(accountKeyOf(url)).toBe('acme.co.uk');
  });

  it('has no key for a host name over 253 characters', () => {
    const host = `${Array.from({ length: 5 }, () => 'a'.repeat(60)).join('.')}.com`;

    expect(accountKeyOf(host)).toBeUndefined();
  });

  it.each([
    ['an IPv4 address', '192.168.1.10'],
    ['an IPv4 URL', 'http://10.0.0.1/admin'],
    ['an IPv6 address', '[::1]'],
    ['an IPv6 URL', 'https://[2001:db8::1]:8080/'],
    ['a bare public suffix', 'co.uk'],
    ['a bare top-level domain', 'com'],
    ['a single label', 'localhost'],
    ['empty text', ''],
    ['blanks', '   '],
    ['words', 'not a domain'],
    ['punctuation', '???'],
    ['a scheme without a host', 'https://'],
    ['an empty label', 'acme..com'],
    ['a label starting with a dot', '.com'],
  ])('has no key for %s (%j)', (_what, text) => {
    expect(accountKeyOf(text)).toBeUndefined();
  });
});

describe('accountKeyOf properties', () => {
  const label = fc
    .stringMatching(/^[a-z0-9](?:[a-z0-9-]{0,20}[a-z0-9])?$/)
    .filter((text) => !text.includes('--') && !/^\d+$/.test(text));
  const suffix = fc.constantFrom('com', 'de', 'co.uk', 'com.au', 'org', 'io', 'example', 'fr');
  const registrable = fc.tuple(label, suffix).map(([name, tld]) => `${name}.${tld}`);
  const subdomainPrefix = fc.array(label, { maxLength: 4 }).map((labels) => labels.map((l) => `${l}.`).join(''));

  it('gives every subdomain of a registrable domain the key of that domain', () => {
    fc.assert(
      fc.property(registrable, subdomainPrefix, fc.boolean(), (domain, prefix, asUrl) => {
        const text = asUrl ? `https://${prefix}${domain}/path` : `${prefix}${domain}`;
        expect(accountKeyOf(text)).toBe(domain);
      }),
    );
  });

  it('maps a key to itself (the key of a key is the key)', () => {
    const anyText = fc.oneof(
      fc.tuple(subdomainPrefix, registrable).map(([prefix, domain]) => prefix + domain),
      fc.domain(),
      fc.webUrl(),
      fc.string(),
    );
    fc.assert(
      fc.property(anyText, (text) => {
        const key = accountKeyOf(text);
        if (key !== undefined) expect(accountKeyOf(key)).toBe(key);
      }),
    );
  });
});
