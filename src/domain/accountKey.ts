import { parse } from 'tldts';

/**
 * The account's identity: its registrable domain, so `https://sales.ACME.co.uk/x` and `acme.co.uk`
 * are one account (duplicate detection by company domain including subdomains). Undefined when the
 * text is not a domain name (an IP address, a bare suffix, garbage).
 */
export function accountKeyOf(text: string): string | undefined {
  const host = hostOf(text.trim());
  if (!host) return undefined;
  // Unknown suffixes (such as the reserved `.example`) fall back to the last label, as browsers do.
  // Private suffixes count (`github.io`, `myshopify.com`): the names under them belong to different companies.
  const parsed = parse(host, { allowPrivateDomains: true });
  if (parsed.isIp || !parsed.domain) return undefined;
  return parsed.domain;
}

// A pasted URL may carry a long path or query; only its host name is bounded (253 characters).
const MAX_TEXT = 2048;
const MAX_HOST = 253;

function hostOf(text: string): string | undefined {
  if (text.length === 0 || text.length > MAX_TEXT || /\s/.test(text)) return undefined;
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `http://${text}`;
  try {
    // URL applies IDNA, so internationalized domains compare in their ASCII (punycode) form.
    const host = new URL(withScheme).hostname.replace(/\.$/, '').toLowerCase();
    return host && host.length <= MAX_HOST ? host : undefined;
  } catch {
    return undefined;
  }
}
