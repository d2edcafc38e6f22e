// IPv4 CIDR arithmetic, used for address ranges, authorized IPs and overlap checks.
import { isUnresolved, Validator } from "./validation";

/** An IPv4 network: first address and prefix length. */
export interface Ipv4Network {
  readonly cidr: string;
  readonly start: number;
  readonly end: number;
  readonly prefix: number;
}

/**
 * Parses `a.b.c.d/n` (or a bare address, taken as /32). Returns `undefined` when malformed
 * or when host bits are set (`10.0.0.1/16`), which Azure rejects for address spaces.
 */
export function parseCidr(value: string, options: { allowBareAddress?: boolean } = {}): Ipv4Network | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?:\/(\d{1,2}))?$/.exec(value);
  if (!m) return undefined;
  if (m[5] === undefined && !options.allowBareAddress) return undefined;
  const octets = m.slice(1, 5).map(Number);
  if (octets.some((o) => o > 255)) return undefined;
  const prefix = m[5] === undefined ? 32 : Number(m[5]);
  if (prefix > 32) return undefined;
  const addr = ((octets[0] << 24) >>> 0) + (octets[1] << 16) + (octets[2] << 8) + octets[3];
  const size = 2 ** (32 - prefix);
  if (addr % size !== 0) return undefined;
  return { cidr: value, start: addr, end: addr + size - 1, prefix };
}

/** True when two networks share at least one address. */
export function overlaps(a: Ipv4Network, b: Ipv4Network): boolean {
  return a.start <= b.end && b.start <= a.end;
}

/** True when `inner` lies entirely within `outer`. */
export function contains(outer: Ipv4Network, inner: Ipv4Network): boolean {
  return outer.start <= inner.start && inner.end <= outer.end;
}

/**
 * The widest IPv4 range an allow-list of this library may hold: a /8 (16.7 million addresses).
 * A wider range is no restriction. `AksCluster` refuses wider authorized IP ranges at
 * construction; the security rules AKSS-AKS3 (API server) and AKSS-KV2 (Key Vault firewall)
 * fail the resources made any other way, with the same {@link TOO_WIDE_RANGE_REASON}.
 */
export const WIDEST_ALLOWED_PREFIX = 8;
/** Why a range wider than {@link WIDEST_ALLOWED_PREFIX} is refused, as the messages word it. */
export const TOO_WIDE_RANGE_REASON = `wider than a /${WIDEST_ALLOWED_PREFIX}: that is no restriction`;

/** True when the network is wider than {@link WIDEST_ALLOWED_PREFIX} (its prefix is shorter). */
export function isTooWide(n: Ipv4Network): boolean {
  return n.prefix < WIDEST_ALLOWED_PREFIX;
}

const PRIVATE_RANGES = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"].map((c) => parseCidr(c)!);

/** Ranges an AKS cluster may not use for its service, pod or VNet address ranges (AKS networking docs). */
export const AKS_RESERVED_RANGES: readonly Ipv4Network[] = ["169.254.0.0/16", "172.30.0.0/16", "172.31.0.0/16", "192.0.2.0/24"].map((c) => parseCidr(c)!);
/** Ranges Azure refuses in a VNet's address space (multicast, broadcast, loopback, link-local, the platform's DNS address; Azure VNet FAQ). */
export const AZURE_VNET_FORBIDDEN_RANGES: readonly Ipv4Network[] = ["224.0.0.0/4", "255.255.255.255/32", "127.0.0.0/8", "169.254.0.0/16", "168.63.129.16/32"].map((c) => parseCidr(c)!);

/** True when the network lies in an RFC 1918 private range. */
export function isPrivate(n: Ipv4Network): boolean {
  return PRIVATE_RANGES.some((p) => contains(p, n));
}

/** Checks one CIDR (or, with `allowBareAddress`, an address); returns the network when valid. */
export function checkCidr(v: Validator, field: string, value: string, options: { allowBareAddress?: boolean } = {}): Ipv4Network | undefined {
  if (isUnresolved(value)) return undefined;
  const n = parseCidr(value, options);
  if (!n) {
    v.fail(
      field,
      value,
      options.allowBareAddress
        ? "must be an IPv4 address or CIDR block like 203.0.113.0/24 with no host bits set"
        : "must be an IPv4 CIDR block like 10.0.0.0/16 with no host bits set",
    );
  }
  return n;
}

/**
 * Checks a list of CIDRs: each well-formed, and (unless `allowOverlap`) none overlapping another.
 * Returns the parsed networks of the valid, resolved entries.
 */
export function checkCidrList(
  v: Validator,
  field: string,
  values: readonly string[],
  options: { allowBareAddress?: boolean; allowOverlap?: boolean } = {},
): Ipv4Network[] {
  const parsed: Ipv4Network[] = [];
  values.forEach((value, i) => {
    const n = checkCidr(v, `${field}[${i}]`, value, options);
    if (!n) return;
    if (!options.allowOverlap) {
      const clash = parsed.find((p) => overlaps(p, n));
      if (clash) v.fail(`${field}[${i}]`, value, `overlaps ${clash.cidr} in the same list`);
    }
    parsed.push(n);
  });
  return parsed;
}
