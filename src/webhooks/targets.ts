import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

// No server-side request forgery: a webhook reaches only public addresses, unless the operator
// names a `host:port` in ROE_WEBHOOK_ALLOWED_TARGETS (tests do, for their loopback receiver).
// The address is checked when the subscription is made and again, resolved afresh, on every
// attempt, and the connection goes to the address that was checked (no DNS rebinding).

const FORBIDDEN = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, cloud metadata (169.254.169.254)
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const)
  FORBIDDEN.addSubnet(network, prefix, 'ipv4');
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b::', 96],
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['ff00::', 8], // multicast
] as const)
  FORBIDDEN.addSubnet(network, prefix, 'ipv6');

/** The address and why it may not be a webhook's target (`10.0.0.1, a … private … address`), else undefined. */
export function forbiddenAddress(address: string): string | undefined {
  const family = isIP(address);
  if (family === 0) return `${address} is not an IP address`;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return forbiddenAddress(mapped[1]);
  return FORBIDDEN.check(address, family === 4 ? 'ipv4' : 'ipv6')
    ? `${address}, a loopback, private, link-local or reserved address`
    : undefined;
}

export interface WebhookTarget {
  url: URL;
  /** The address to connect to: the one that was checked. */
  address: string;
  family: 4 | 6;
}

export class TargetRefused extends Error {}

const portOf = (url: URL) => url.port || (url.protocol === 'https:' ? '443' : '80');

/** The URL's shape: http(s), a host, no credentials (they would sit in every listing). */
export function targetUrlProblem(text: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'must be an absolute http or https URL';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'must be an http or https URL';
  if (url.username || url.password) return 'must not carry a user name or password';
  if (url.hash) return 'must not have a fragment';
  return undefined;
}

/**
 * Resolves the URL's host and checks every address: one forbidden address refuses the target, as
 * a resolver may answer with either. `allowed` is the operator's list of `host:port`.
 */
export async function resolveTarget(text: string, allowed: readonly string[]): Promise<WebhookTarget> {
  const shape = targetUrlProblem(text);
  if (shape) throw new TargetRefused(shape);
  const url = new URL(text);
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  let addresses: { address: string; family: number }[];
  try {
    addresses = isIP(host)
      ? [{ address: host, family: isIP(host) }]
      : await lookup(host, { all: true, verbatim: true });
  } catch {
    throw new TargetRefused(`its host ${host} does not resolve`);
  }
  if (addresses.length === 0) throw new TargetRefused(`its host ${host} does not resolve`);
  const allowedHere = allowed.includes(`${url.hostname}:${portOf(url)}`) || allowed.includes(`${host}:${portOf(url)}`);
  if (!allowedHere) {
    for (const { address } of addresses) {
      const why = forbiddenAddress(address);
      if (why) throw new TargetRefused(host === address ? `it names ${why}` : `its host ${host} resolves to ${why}`);
    }
  }
  const [first] = addresses;
  return { url, address: first.address, family: first.family === 6 ? 6 : 4 };
}
