// An SSRF guard for webhook receiver URLs: tenants name the URLs Hookline
// posts to, so a URL must be http(s), carry no credentials and lead only to
// public addresses. Loopback, private, link-local (cloud metadata included),
// unspecified and other special-purpose addresses are refused unless
// HOOKLINE_URL_ALLOWLIST admits them (local receivers in development and
// tests; empty by default).
//
// Two checkpoints, because a name can resolve differently later (DNS rebinding):
// - `check(url)` when a connection is saved: scheme, credentials, and every
//   address the host resolves to.
// - `lookup` at send time: given to the sending agent
//   (`new Agent({ connect: { lookup: guard.lookup } })`), it resolves the name
//   for net/tls connect itself and fails the connection when any address is
//   refused, so the address checked is the address connected to.
//   net/tls do not call `lookup` for a URL whose host is a literal IP, so the
//   sender must also call `assertSendable(url)` before each request: it
//   repeats the checks that need no DNS (scheme, credentials, literal IPs,
//   which `new URL()` has already normalized: `http://0x7f000001/`,
//   `http://2130706433/`, `http://127.1/` are all `127.0.0.1`).
//
// An allow-list entry may name a port (`127.0.0.1:4000`, `[::1]:4000`,
// `receiver.test:8443`): it then admits that port only. An entry without a
// port admits every port of the host. The send-time lookup is made per port
// (`lookupFor(port)`, which the sender's connector uses) for that reason.
//
// `localhost` and `*.localhost` names are refused whatever they resolve to,
// unless the name itself is allow-listed or every address it resolves to is
// (allow-listing `127.0.0.1` lets `http://localhost:8080/` through when
// localhost resolves to 127.0.0.1 only, not when it also resolves to ::1).
// An allow-listed host name is admitted whatever it resolves to.
import { promises as dnsPromises, type LookupAddress } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { domainToASCII } from 'node:url';

/** The `code` of every error the guard throws or passes to a connect callback. */
export const URL_REFUSED = 'HOOKLINE_URL_REFUSED';

/** A webhook URL or address the guard refuses; `code` is always 'HOOKLINE_URL_REFUSED'. */
export class UrlRefusedError extends Error {
  readonly code = URL_REFUSED;
  constructor(
    message: string,
    readonly hostname?: string,
    readonly address?: string,
  ) {
    super(message);
    this.name = 'UrlRefusedError';
  }
}

export type CheckResult = { ok: true } | { ok: false; reason: string };

export type Resolve = (hostname: string) => Promise<{ address: string; family: number }[]>;

export interface UrlGuard {
  /** Checks a URL when a connection is saved: scheme, credentials-free, host resolves only to allowed addresses. */
  check(url: string): Promise<CheckResult>;
  /**
   * A `lookup` for net/tls connect (undici Agent `connect: { lookup }`): resolves like dns.lookup but fails
   * with an Error whose code is 'HOOKLINE_URL_REFUSED' and message names the host and address when any
   * resolved address is refused. Not called for literal IPs: see `assertSendable`.
   */
  lookup: LookupFunction;
  /**
   * `lookup` for connections to one port: port-scoped allow-list entries for that port count too
   * (the plain `lookup` admits only entries without a port).
   */
  lookupFor(port: number): LookupFunction;
  /** True when this address (v4 or v6 string) may be contacted (on `port`, if given); `hostname` is the name it was resolved from. */
  isAllowedAddress(address: string, hostname?: string, port?: number): boolean;
  /**
   * Send-time checks that need no DNS (scheme, credentials, literal IP hosts); throws a `UrlRefusedError`.
   * Host names are left to `lookup`, which sees the addresses actually connected to.
   */
  assertSendable(url: string): Promise<void>;
}

export interface UrlAllowlist {
  /** Host names, lower-case ASCII (punycode), without a trailing dot: every port, or the ports listed. */
  readonly hostnames: ReadonlyMap<string, 'any' | ReadonlySet<number>>;
  /** Allow-listed addresses and CIDR ranges, every port. */
  readonly addresses: BlockList;
  /** Allow-listed addresses, by the one port each admits. */
  readonly addressesByPort: ReadonlyMap<number, BlockList>;
  /** The number of entries. */
  readonly size: number;
}

const HOST_LABEL = /^(?!-)[a-z0-9_-]{1,63}(?<!-)$/;

/** The host and port of an entry that names one (`host:port`, `[v6]:port`); the entry as it is otherwise. */
function splitPort(entry: string): { host: string; port?: number; portText?: string } {
  const bracketed = /^(\[[^\]]*\]):(\d*)$/.exec(entry);
  if (bracketed) return { host: bracketed[1]!, portText: bracketed[2]! };
  const named = /^([^:]*):(\d*)$/.exec(entry);
  if (named && !entry.includes('/')) return { host: named[1]!, portText: named[2]! };
  return { host: entry };
}

/** Parses HOOKLINE_URL_ALLOWLIST entries: host names, IPv4/IPv6 addresses (each optionally with a port), CIDR ranges; throws naming a bad entry. */
export function parseAllowlist(entries: string[]): UrlAllowlist {
  const hostnames = new Map<string, 'any' | Set<number>>();
  const addresses = new BlockList();
  const addressesByPort = new Map<number, BlockList>();
  let size = 0;
  for (const raw of entries) {
    const entry = raw.trim();
    if (entry === '') continue;
    const bad = (why: string) =>
      new Error(
        `HOOKLINE_URL_ALLOWLIST: "${entry}" is not a valid entry (${why}); use host names, IP addresses (each optionally with :port) or CIDR ranges`,
      );
    size += 1;
    const slash = entry.indexOf('/');
    if (slash !== -1) {
      const network = unbracket(entry.slice(0, slash));
      const prefixText = entry.slice(slash + 1);
      const family = isIP(network);
      if (family === 0 || network.includes('%')) throw bad(`"${network}" is not an IP address`);
      const max = family === 4 ? 32 : 128;
      if (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) > max) throw bad(`the prefix must be 0 to ${max}`);
      addresses.addSubnet(network, Number(prefixText), family === 4 ? 'ipv4' : 'ipv6');
      continue;
    }
    const { host, portText } = splitPort(entry);
    let port: number | undefined;
    if (portText !== undefined) {
      if (!/^\d{1,5}$/.test(portText) || Number(portText) < 1 || Number(portText) > 65535)
        throw bad('the port must be 1 to 65535');
      port = Number(portText);
    }
    const addAddress = (address: string, type: 'ipv4' | 'ipv6') => {
      if (port === undefined) return addresses.addAddress(address, type);
      const list = addressesByPort.get(port) ?? new BlockList();
      list.addAddress(address, type);
      addressesByPort.set(port, list);
    };
    const literal = unbracket(host);
    const family = isIP(literal);
    if (family !== 0) {
      if (literal.includes('%')) throw bad('zone ids are not supported');
      if (family === 6 && port !== undefined && !host.startsWith('['))
        throw bad('an IPv6 address with a port goes in brackets: [::1]:4000');
      addAddress(literal, family === 4 ? 'ipv4' : 'ipv6');
      continue;
    }
    // WHATWG host parsing, as `new URL()` does for a URL's host: lower-case,
    // punycode, and odd IPv4 notations (`127.1`) made dotted-decimal.
    const ascii = /[\s/:@?#[\]\\*]/.test(host) ? '' : domainToASCII(host);
    if (ascii === '') throw bad('not a host name');
    if (isIP(ascii) === 4) {
      addAddress(ascii, 'ipv4');
      continue;
    }
    const name = stripTrailingDot(ascii);
    const labels = name.split('.');
    if (name.length > 253 || !labels.every((label) => HOST_LABEL.test(label)) || /^\d+$/.test(labels.at(-1) ?? '')) {
      throw bad('not a host name');
    }
    const ports = hostnames.get(name);
    if (port === undefined) hostnames.set(name, 'any');
    else if (ports !== 'any') hostnames.set(name, new Set([...(ports ?? []), port]));
  }
  return { hostnames, addresses, addressesByPort, size };
}

// --- Denied ranges ---------------------------------------------------------

interface DeniedRange {
  /** Completes "… resolves to 10.0.0.5, <label>". */
  label: string;
  list: BlockList;
}

function range(label: string, v4: string[], v6: string[] = []): DeniedRange {
  const list = new BlockList();
  for (const cidr of v4) {
    const [network = '', prefix = '32'] = cidr.split('/');
    list.addSubnet(network, Number(prefix), 'ipv4');
  }
  for (const cidr of v6) {
    const [network = '', prefix = '128'] = cidr.split('/');
    list.addSubnet(network, Number(prefix), 'ipv6');
  }
  return { label, list };
}

// Checked in order: the first match names the rule (169.254.169.254 is a
// metadata address before it is link-local). IPv4-mapped (::ffff:0:0/96),
// IPv4-translated (::ffff:0:0:0/96), NAT64 (64:ff9b::/96) and 6to4 (2002::/16)
// addresses are checked by their embedded IPv4 address instead (see
// `embeddedIPv4`). Local-use NAT64 (64:ff9b:1::/48, RFC 8215) and Teredo
// (2001::/32, RFC 4380) embed an IPv4 address where only their operator knows
// (the prefix length) or obfuscated: they are refused whole.
const DENIED: DeniedRange[] = [
  range('a cloud metadata address', ['169.254.169.254/32'], ['fd00:ec2::254/128']),
  range('an unspecified address', ['0.0.0.0/8'], ['::/128']),
  range('a loopback address', ['127.0.0.0/8'], ['::1/128']),
  range('a private address', ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'], ['fc00::/7', 'fec0::/10']),
  range('a shared (CGNAT) address', ['100.64.0.0/10']),
  range('a link-local address', ['169.254.0.0/16'], ['fe80::/10']),
  range('a documentation address', ['192.0.2.0/24', '198.51.100.0/24', '203.0.113.0/24'], ['2001:db8::/32']),
  range('a benchmarking address', ['198.18.0.0/15']),
  range('a multicast address', ['224.0.0.0/4'], ['ff00::/8']),
  range('a broadcast address', ['255.255.255.255/32']),
  range('a reserved address', ['192.0.0.0/24', '240.0.0.0/4']),
  // Deprecated IPv4-compatible addresses (::a.b.c.d); :: and ::1 are matched above.
  range('a deprecated IPv4-compatible address', [], ['::/96']),
  range('a local-use NAT64 address', [], ['64:ff9b:1::/48']),
  range('a Teredo address', [], ['2001::/32']),
];

/** The IPv4 address inside an IPv4-mapped, IPv4-translated, NAT64 or 6to4 IPv6 address. */
function embeddedIPv4(address: string): { ipv4: string; kind: string } | undefined {
  const groups = ipv6Groups(address);
  if (!groups) return undefined;
  const [g0, g1, g2, g3, g4, g5, g6 = 0, g7 = 0] = groups;
  const low32 = `${g6 >> 8}.${g6 & 0xff}.${g7 >> 8}.${g7 & 0xff}`;
  if (g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0xffff)
    return { ipv4: low32, kind: 'IPv4-mapped' };
  if (g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0xffff && g5 === 0)
    return { ipv4: low32, kind: 'IPv4-translated' };
  if (g0 === 0x64 && g1 === 0xff9b && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0)
    return { ipv4: low32, kind: 'NAT64' };
  if (g0 === 0x2002 && g1 !== undefined && g2 !== undefined) {
    return { ipv4: `${g1 >> 8}.${g1 & 0xff}.${g2 >> 8}.${g2 & 0xff}`, kind: '6to4' };
  }
  return undefined;
}

/** The eight 16-bit groups of a valid IPv6 address (zone id dropped). */
function ipv6Groups(address: string): number[] | undefined {
  const text = address.split('%')[0] ?? '';
  if (isIP(text) !== 6) return undefined;
  let head = text;
  const tail: number[] = [];
  const dotted = /^(.*:)(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const octets = (dotted[2] ?? '').split('.').map(Number);
    const [a = 0, b = 0, c = 0, d = 0] = octets;
    tail.push((a << 8) | b, (c << 8) | d);
    head = dotted[1] ?? '';
    if (head.endsWith(':') && !head.endsWith('::')) head = head.slice(0, -1);
  }
  const parse = (part: string) => (part === '' ? [] : part.split(':').map((group) => parseInt(group, 16)));
  const doubleColon = head.indexOf('::');
  let groups: number[];
  if (doubleColon === -1) {
    groups = [...parse(head), ...tail];
  } else {
    const left = parse(head.slice(0, doubleColon));
    const right = [...parse(head.slice(doubleColon + 2)), ...tail];
    groups = [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
  }
  return groups.length === 8 ? groups : undefined;
}

function deniedLabel(address: string, family: 4 | 6): string | undefined {
  const type = family === 4 ? 'ipv4' : 'ipv6';
  if (family === 6) {
    const embedded = embeddedIPv4(address);
    if (embedded) {
      const inner = deniedLabel(embedded.ipv4, 4);
      return inner === undefined ? undefined : `${inner} (${embedded.kind} ${embedded.ipv4})`;
    }
  }
  return DENIED.find((rule) => rule.list.check(address, type))?.label;
}

// --- Host names ------------------------------------------------------------

function unbracket(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

function stripTrailingDot(host: string): string {
  return host.endsWith('.') ? host.slice(0, -1) : host;
}

function normalizeHost(host: string): string {
  return stripTrailingDot(unbracket(host).toLowerCase());
}

function isLocalhostName(host: string): boolean {
  return host === 'localhost' || host.endsWith('.localhost');
}

/** Scheme, host and port of a URL, without credentials, path or query (which may hold secrets). */
function origin(url: URL): string {
  return `${url.protocol}//${url.host}/`;
}

type Target = { ok: false; reason: string } | { ok: true; url: URL; host: string; family: 0 | 4 | 6; port: number };

function parseTarget(input: string): Target {
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    return { ok: false, reason: `${JSON.stringify(input)} is not a valid URL` };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return { ok: false, reason: `${url.protocol}// URLs are not allowed, only http:// and https://` };
  }
  if (url.username !== '' || url.password !== '') {
    return {
      ok: false,
      reason: `${origin(url)} includes a user name or password, which are not allowed in webhook URLs`,
    };
  }
  const host = normalizeHost(url.hostname);
  if (host === '') return { ok: false, reason: `${JSON.stringify(input)} has no host` };
  const family = isIP(host);
  const port = url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port);
  return { ok: true, url, host, family: family === 4 || family === 6 ? family : 0, port };
}

const defaultResolve: Resolve = (hostname) => dnsPromises.lookup(hostname, { all: true, verbatim: true });

export function createUrlGuard(options: { allowlist?: string[]; resolve?: Resolve } = {}): UrlGuard {
  const allowlist = parseAllowlist(options.allowlist ?? []);
  const resolve = options.resolve ?? defaultResolve;

  function listed(list: BlockList | undefined, address: string, family: 4 | 6): boolean {
    if (!list) return false;
    if (list.check(address, family === 4 ? 'ipv4' : 'ipv6')) return true;
    // Node 20's BlockList already matches ::ffff:a.b.c.d against IPv4 rules;
    // this does not rely on it.
    const embedded = family === 6 ? embeddedIPv4(address) : undefined;
    return embedded?.kind === 'IPv4-mapped' && list.check(embedded.ipv4, 'ipv4');
  }

  function allowListed(address: string, family: 4 | 6, port: number | undefined): boolean {
    return (
      listed(allowlist.addresses, address, family) ||
      (port !== undefined && listed(allowlist.addressesByPort.get(port), address, family))
    );
  }

  function nameListed(name: string, port: number | undefined): boolean {
    const ports = allowlist.hostnames.get(name);
    return ports === 'any' || (ports !== undefined && port !== undefined && ports.has(port));
  }

  /** Why `address` (resolved from `host`, if given; to be reached on `port`, if known) may not be contacted; undefined when it may. */
  function refusal(address: string, host?: string, port?: number): string | undefined {
    const name = host === undefined ? undefined : normalizeHost(host);
    if (name !== undefined && nameListed(name, port)) return undefined;
    const plain = unbracket(address);
    const family = isIP(plain);
    if (family !== 4 && family !== 6) return 'not an IP address';
    if (allowListed(plain, family, port)) return undefined;
    const label = deniedLabel(plain, family);
    if (label !== undefined) return label;
    if (name !== undefined && isLocalhostName(name))
      return 'the address of a localhost name, which is refused unless allow-listed';
    return undefined;
  }

  function refusedError(hostname: string, address: string, reason: string): UrlRefusedError {
    return new UrlRefusedError(
      `refused to connect to ${hostname}: it resolves to ${address}, ${reason}`,
      hostname,
      address,
    );
  }

  async function check(input: string): Promise<CheckResult> {
    const target = parseTarget(input);
    if (!target.ok) return target;
    const { url, host, family, port } = target;
    if (family !== 0) {
      const reason = refusal(host, undefined, port);
      return reason === undefined
        ? { ok: true }
        : { ok: false, reason: `${origin(url)} resolves to ${host}, ${reason}` };
    }
    if (nameListed(host, port)) return { ok: true };
    let addresses: { address: string }[];
    try {
      addresses = await resolve(host);
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      return { ok: false, reason: `host ${host} does not resolve${typeof code === 'string' ? ` (${code})` : ''}` };
    }
    if (addresses.length === 0) return { ok: false, reason: `host ${host} does not resolve` };
    for (const { address } of addresses) {
      const reason = refusal(address, host, port);
      if (reason !== undefined) return { ok: false, reason: `${origin(url)} resolves to ${address}, ${reason}` };
    }
    return { ok: true };
  }

  const lookupFor =
    (port: number | undefined): LookupFunction =>
    (hostname, lookupOptions, callback) => {
      const host = normalizeHost(hostname);
      const wanted = lookupOptions.family === 'IPv4' ? 4 : lookupOptions.family === 'IPv6' ? 6 : lookupOptions.family;
      const resolved: Promise<{ address: string; family: number }[]> =
        isIP(host) !== 0 ? Promise.resolve([{ address: host, family: isIP(host) }]) : resolve(host);
      resolved.then(
        (addresses) => {
          // Every address is checked, not only the one connected to: a name that
          // resolves to one public and one private address is refused outright.
          for (const { address } of addresses) {
            const reason = refusal(address, host, port);
            if (reason !== undefined) return callback(refusedError(hostname, address, reason), '');
          }
          const usable: LookupAddress[] = addresses
            .filter(({ family }) => wanted === undefined || wanted === 0 || family === wanted)
            .map(({ address, family }) => ({ address, family }));
          const first = usable[0];
          if (first === undefined) {
            const error: NodeJS.ErrnoException = new Error(`getaddrinfo ENOTFOUND ${hostname}`);
            error.code = 'ENOTFOUND';
            return callback(error, '');
          }
          if (lookupOptions.all) callback(null, usable);
          else callback(null, first.address, first.family);
        },
        (error: unknown) => callback(error instanceof Error ? error : new Error(String(error)), ''),
      );
    };

  return {
    check,
    lookup: lookupFor(undefined),
    lookupFor,
    isAllowedAddress: (address, hostname, port) => refusal(address, hostname, port) === undefined,
    async assertSendable(input) {
      const target = parseTarget(input);
      if (!target.ok) throw new UrlRefusedError(target.reason);
      if (target.family === 0) return; // checked by `lookupFor(port)` when the connection is made
      const reason = refusal(target.host, undefined, target.port);
      if (reason !== undefined) {
        throw new UrlRefusedError(
          `${origin(target.url)} resolves to ${target.host}, ${reason}`,
          target.host,
          target.host,
        );
      }
    },
  };
}
