import type { LookupAddress } from 'node:dns';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  createUrlGuard,
  parseAllowlist,
  URL_REFUSED,
  UrlRefusedError,
  type Resolve,
  type UrlGuard,
} from './url-guard.js';
import { createHttpSender } from './http-sender.js';

/** A resolver answering from a table; unknown names fail like dns.lookup does. */
function resolver(table: Record<string, string[]>): Resolve {
  return vi.fn(async (hostname: string) => {
    const addresses = table[hostname];
    if (addresses === undefined) {
      throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    }
    return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  });
}

/** A resolver that fails the test when called: literal IPs need no DNS. */
const noDns: Resolve = async (hostname) => {
  throw new Error(`unexpected DNS lookup of ${hostname}`);
};

function lookupAsync(
  guard: UrlGuard,
  hostname: string,
  options: { all?: boolean; family?: number },
): Promise<{ address: string | LookupAddress[]; family?: number }> {
  return new Promise((resolve, reject) => {
    guard.lookup(hostname, options, (error, address, family) => (error ? reject(error) : resolve({ address, family })));
  });
}

describe('isAllowedAddress', () => {
  const guard = createUrlGuard({ resolve: noDns });

  it.each([
    '127.0.0.1',
    '127.255.255.254',
    '::1',
    '0:0:0:0:0:0:0:1',
    '10.0.0.5',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '100.64.0.1',
    '169.254.169.254',
    '169.254.1.1',
    'fd00:ec2::254',
    'fe80::1',
    'fc00::1',
    '0.0.0.0',
    '::',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '::ffff:10.0.0.1',
    '::ffff:169.254.169.254',
    '64:ff9b::7f00:1',
    '64:ff9b::10.0.0.1',
    '::127.0.0.1',
    '2002:7f00:1::1',
    '192.0.2.10',
    '198.18.0.1',
    '224.0.0.1',
    '240.0.0.1',
    '255.255.255.255',
    'ff02::1',
    '2001:db8::1',
    // IPv4-translated (RFC 2765), local-use NAT64 (RFC 8215), Teredo (RFC 4380): issue 18.
    '::ffff:0:7f00:1',
    '::ffff:0:127.0.0.1',
    '::ffff:0:10.0.0.1',
    '::ffff:0:169.254.169.254',
    '64:ff9b:1::a00:1',
    '64:ff9b:1:ffff::8.8.8.8',
    '2001::1',
    '2001:0:4136:e378:8000:63bf:3fff:fdd2',
    'not-an-address',
  ])('refuses %s', (address) => {
    expect(guard.isAllowedAddress(address)).toBe(false);
  });

  it.each([
    '93.184.216.34',
    '8.8.8.8',
    '1.1.1.1',
    '172.32.0.1',
    '100.128.0.1',
    '169.253.255.255',
    '11.0.0.1',
    '2606:4700:4700::1111',
    '2a00:1450:4001:80b::200e',
    '::ffff:93.184.216.34',
    '::ffff:0:93.184.216.34',
    '64:ff9b::8.8.8.8',
    '2001:4860:4860::8888',
  ])('allows %s', (address) => {
    expect(guard.isAllowedAddress(address)).toBe(true);
  });

  it('refuses any address of a localhost name unless allow-listed', () => {
    expect(guard.isAllowedAddress('93.184.216.34', 'localhost')).toBe(false);
    expect(guard.isAllowedAddress('93.184.216.34', 'api.localhost')).toBe(false);
    expect(guard.isAllowedAddress('93.184.216.34', 'example.com')).toBe(true);
  });
});

describe('check', () => {
  it('names the host, the address and the rule', async () => {
    const guard = createUrlGuard({ resolve: noDns });
    expect(await guard.check('http://10.0.0.5/')).toEqual({
      ok: false,
      reason: 'http://10.0.0.5/ resolves to 10.0.0.5, a private address',
    });
  });

  it.each([
    ['http://127.0.0.1:8080/hooks', 'a loopback address'],
    ['http://[::1]/', 'a loopback address'],
    ['https://192.168.0.10/', 'a private address'],
    ['http://172.20.1.1/', 'a private address'],
    ['http://169.254.169.254/latest/meta-data/', 'a cloud metadata address'],
    ['http://[fd00:ec2::254]/', 'a cloud metadata address'],
    ['http://0.0.0.0:3000/', 'an unspecified address'],
    ['http://[::]/', 'an unspecified address'],
    ['http://[::ffff:127.0.0.1]/', 'a loopback address (IPv4-mapped 127.0.0.1)'],
    ['http://[::ffff:7f00:1]/', 'a loopback address (IPv4-mapped 127.0.0.1)'],
    ['http://[64:ff9b::a9fe:a9fe]/', 'a cloud metadata address (NAT64 169.254.169.254)'],
    ['http://0x7f000001/', 'a loopback address'],
    ['http://2130706433/', 'a loopback address'],
    ['http://127.1/', 'a loopback address'],
    ['http://0177.0.0.1/', 'a loopback address'],
    ['http://%31%32%37.0.0.1/', 'a loopback address'],
    ['http://0xa9fea9fe/', 'a cloud metadata address'],
  ])('refuses the literal address in %s without DNS', async (url, rule) => {
    const resolve = vi.fn(noDns);
    const result = await createUrlGuard({ resolve }).check(url);
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.reason).toContain(rule);
    expect(resolve).not.toHaveBeenCalled();
  });

  it('keeps the path and query (which may hold secrets) out of the reason', async () => {
    const result = await createUrlGuard({ resolve: noDns }).check('http://10.0.0.5:8080/hooks?token=s3cret');
    expect(result).toEqual({ ok: false, reason: 'http://10.0.0.5:8080/ resolves to 10.0.0.5, a private address' });
  });

  it('allows a public literal address without DNS', async () => {
    expect(await createUrlGuard({ resolve: noDns }).check('https://93.184.216.34/hooks')).toEqual({ ok: true });
    expect(await createUrlGuard({ resolve: noDns }).check('https://[2606:4700:4700::1111]/')).toEqual({ ok: true });
  });

  it.each(['http://localhost:8080/', 'http://LOCALHOST./', 'http://api.localhost/'])('refuses %s', async (url) => {
    const guard = createUrlGuard({
      resolve: resolver({ localhost: ['127.0.0.1', '::1'], 'api.localhost': ['127.0.0.1'] }),
    });
    const result = await guard.check(url);
    expect(result).toEqual({
      ok: false,
      reason: expect.stringMatching(/resolves to 127\.0\.0\.1, a loopback address$/),
    });
  });

  it('refuses a localhost name even when it resolves to a public address', async () => {
    const guard = createUrlGuard({ resolve: resolver({ 'odd.localhost': ['93.184.216.34'] }) });
    const result = await guard.check('http://odd.localhost/');
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.reason).toContain('localhost name');
  });

  it('refuses a name resolving to 127.0.0.1', async () => {
    const guard = createUrlGuard({ resolve: resolver({ 'rebind.example': ['127.0.0.1'] }) });
    expect(await guard.check('https://rebind.example/hooks')).toEqual({
      ok: false,
      reason: 'https://rebind.example/ resolves to 127.0.0.1, a loopback address',
    });
  });

  it('allows a name resolving to a public address', async () => {
    const resolve = resolver({ 'erp.example': ['93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946'] });
    expect(await createUrlGuard({ resolve }).check('https://erp.example/hooks')).toEqual({ ok: true });
    expect(resolve).toHaveBeenCalledWith('erp.example');
  });

  it('refuses a name resolving to one public and one private address', async () => {
    const guard = createUrlGuard({ resolve: resolver({ 'mixed.example': ['93.184.216.34', '10.1.2.3'] }) });
    expect(await guard.check('https://mixed.example/')).toEqual({
      ok: false,
      reason: 'https://mixed.example/ resolves to 10.1.2.3, a private address',
    });
  });

  it('refuses a name that does not resolve', async () => {
    const guard = createUrlGuard({ resolve: resolver({ 'empty.example': [] }) });
    expect(await guard.check('https://nowhere.invalid/')).toEqual({
      ok: false,
      reason: 'host nowhere.invalid does not resolve (ENOTFOUND)',
    });
    expect(await guard.check('https://empty.example/')).toEqual({
      ok: false,
      reason: 'host empty.example does not resolve',
    });
  });

  it.each(['ftp://example.com/hooks', 'file:///etc/passwd', 'gopher://example.com/', 'ws://example.com/'])(
    'refuses the scheme of %s',
    async (url) => {
      const result = await createUrlGuard({ resolve: noDns }).check(url);
      expect(result).toEqual({
        ok: false,
        reason: expect.stringMatching(/URLs are not allowed, only http:\/\/ and https:\/\/$/),
      });
    },
  );

  it.each(['https://user:s3cret@example.com/hooks', 'https://user@example.com/', 'https://:s3cret@example.com/'])(
    'refuses credentials in %s without repeating them',
    async (url) => {
      const result = await createUrlGuard({ resolve: noDns }).check(url);
      expect(result).toEqual({
        ok: false,
        reason: 'https://example.com/ includes a user name or password, which are not allowed in webhook URLs',
      });
    },
  );

  it('refuses what is not a URL', async () => {
    expect(await createUrlGuard({ resolve: noDns }).check('not a url')).toEqual({
      ok: false,
      reason: '"not a url" is not a valid URL',
    });
  });
});

describe('the allow-list', () => {
  it('admits an allow-listed host name whatever it resolves to', async () => {
    const resolve = resolver({ 'receiver.test': ['127.0.0.1'], 'other.test': ['127.0.0.1'] });
    const guard = createUrlGuard({ allowlist: ['Receiver.TEST.'], resolve });
    expect(await guard.check('http://receiver.test:8080/')).toEqual({ ok: true });
    expect(await guard.check('http://other.test:8080/')).toMatchObject({ ok: false });
    expect(guard.isAllowedAddress('10.0.0.1', 'receiver.test')).toBe(true);
    expect(guard.isAllowedAddress('10.0.0.1', 'other.test')).toBe(false);
  });

  it('admits an allow-listed address, and localhost when all its addresses are allow-listed', async () => {
    const v4only = createUrlGuard({ allowlist: ['127.0.0.1'], resolve: resolver({ localhost: ['127.0.0.1'] }) });
    expect(await v4only.check('http://127.0.0.1:8080/')).toEqual({ ok: true });
    expect(await v4only.check('http://[::ffff:127.0.0.1]:8080/')).toEqual({ ok: true });
    expect(await v4only.check('http://localhost:8080/')).toEqual({ ok: true });
    expect(await v4only.check('http://127.0.0.2:8080/')).toMatchObject({ ok: false });

    const dualStack = createUrlGuard({
      allowlist: ['127.0.0.1'],
      resolve: resolver({ localhost: ['127.0.0.1', '::1'] }),
    });
    expect(await dualStack.check('http://localhost:8080/')).toEqual({
      ok: false,
      reason: 'http://localhost:8080/ resolves to ::1, a loopback address',
    });
    expect(
      await createUrlGuard({
        allowlist: ['127.0.0.1', '[::1]'],
        resolve: resolver({ localhost: ['127.0.0.1', '::1'] }),
      }).check('http://localhost/'),
    ).toEqual({ ok: true });
  });

  it('admits addresses in an allow-listed CIDR range', async () => {
    const guard = createUrlGuard({
      allowlist: ['10.0.0.0/8', 'fd00::/8'],
      resolve: resolver({ 'svc.internal': ['10.20.30.40'] }),
    });
    expect(await guard.check('http://10.1.2.3/')).toEqual({ ok: true });
    expect(await guard.check('http://svc.internal/')).toEqual({ ok: true });
    expect(await guard.check('http://[fd12::1]/')).toEqual({ ok: true });
    expect(await guard.check('http://192.168.1.1/')).toMatchObject({ ok: false });
    expect(await guard.check('http://[fe80::1]/')).toMatchObject({ ok: false });
  });

  it('parses host names, addresses and CIDR ranges', () => {
    const allowlist = parseAllowlist([
      ' receiver.test ',
      '',
      'bücher.example',
      '127.0.0.1',
      '::1',
      '10.0.0.0/8',
      '[fd00::]/8',
      '127.1',
    ]);
    expect([...allowlist.hostnames.keys()]).toEqual(['receiver.test', 'xn--bcher-kva.example']);
    expect(allowlist.size).toBe(7);
    expect(allowlist.addresses.check('127.0.0.1', 'ipv4')).toBe(true);
    expect(allowlist.addresses.check('::1', 'ipv6')).toBe(true);
    expect(allowlist.addresses.check('10.9.8.7', 'ipv4')).toBe(true);
    expect(allowlist.addresses.check('fdff::1', 'ipv6')).toBe(true);
    expect(allowlist.addresses.check('11.0.0.1', 'ipv4')).toBe(false);
  });

  it('parses entries with a port, which admit that port only', () => {
    const allowlist = parseAllowlist([
      '127.0.0.1:4000',
      '[::1]:4000',
      'receiver.test:8443',
      'receiver.test:9443',
      'any.test',
      'any.test:1',
    ]);
    expect(allowlist.size).toBe(6);
    expect(allowlist.addresses.check('127.0.0.1', 'ipv4')).toBe(false);
    expect(allowlist.addressesByPort.get(4000)?.check('127.0.0.1', 'ipv4')).toBe(true);
    expect(allowlist.addressesByPort.get(4000)?.check('::1', 'ipv6')).toBe(true);
    expect(allowlist.hostnames.get('receiver.test')).toEqual(new Set([8443, 9443]));
    expect(allowlist.hostnames.get('any.test')).toBe('any');
  });

  it.each([
    'http://receiver.test',
    'localhost:',
    'localhost:0',
    '127.0.0.1:65536',
    '127.0.0.1:http',
    '10.0.0.0/8:443',
    '10.0.0.0/33',
    '10.0.0.0/abc',
    '10.0.0.0/',
    '::1/129',
    'nothing/8',
    'foo bar',
    '*.example.com',
    '300.1.1.1',
    'a..b',
    '-a.example',
    'fe80::1%eth0',
  ])('throws naming the bad entry %s', (entry) => {
    expect(() => parseAllowlist(['127.0.0.1', entry])).toThrow(`"${entry}"`);
    expect(() => createUrlGuard({ allowlist: [entry] })).toThrow(`HOOKLINE_URL_ALLOWLIST: "${entry}"`);
  });
});

describe('allow-list entries with a port (issue 18)', () => {
  it('admit the port named and no other, for addresses and names', async () => {
    const guard = createUrlGuard({
      allowlist: ['127.0.0.1:4000', '[::1]:4000', 'receiver.test:8443'],
      resolve: resolver({ 'receiver.test': ['10.0.0.5'] }),
    });
    expect(await guard.check('http://127.0.0.1:4000/hook')).toEqual({ ok: true });
    expect(await guard.check('http://[::1]:4000/hook')).toEqual({ ok: true });
    expect(await guard.check('https://receiver.test:8443/hook')).toEqual({ ok: true });
    for (const url of [
      'http://127.0.0.1:3000/marketplace/projects',
      'http://127.0.0.1/hook',
      'http://[::1]:3000/',
      'https://receiver.test/hook',
      'http://receiver.test/',
    ]) {
      expect(await guard.check(url), url).toMatchObject({ ok: false });
    }
    await expect(guard.assertSendable('http://127.0.0.1:4000/')).resolves.toBeUndefined();
    await expect(guard.assertSendable('http://127.0.0.1:3000/')).rejects.toMatchObject({ code: URL_REFUSED });
    expect(guard.isAllowedAddress('127.0.0.1', undefined, 4000)).toBe(true);
    expect(guard.isAllowedAddress('127.0.0.1', undefined, 4001)).toBe(false);
    expect(guard.isAllowedAddress('127.0.0.1')).toBe(false);
  });

  it('the send-time lookup is per port: the plain lookup admits no port-scoped entry', async () => {
    const guard = createUrlGuard({
      allowlist: ['127.0.0.1:4000'],
      resolve: resolver({ 'rebound.example': ['127.0.0.1'] }),
    });
    expect(await lookupAsync({ ...guard, lookup: guard.lookupFor(4000) }, 'rebound.example', {})).toEqual({
      address: '127.0.0.1',
      family: 4,
    });
    await expect(lookupAsync({ ...guard, lookup: guard.lookupFor(3000) }, 'rebound.example', {})).rejects.toMatchObject(
      { code: URL_REFUSED },
    );
    await expect(lookupAsync(guard, 'rebound.example', {})).rejects.toMatchObject({ code: URL_REFUSED });
  });
});

describe('lookup', () => {
  it('fails a refused name with the coded error naming host and address (real localhost)', async () => {
    const guard = createUrlGuard({});
    const error = await lookupAsync(guard, 'localhost', { all: true }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UrlRefusedError);
    expect(error).toMatchObject({ code: URL_REFUSED, hostname: 'localhost' });
    expect((error as Error).message).toMatch(
      /^refused to connect to localhost: it resolves to (127\.0\.0\.1|::1), a loopback address$/,
    );
  });

  it('passes on allowed addresses in both callback forms (real localhost, allow-listed)', async () => {
    const guard = createUrlGuard({ allowlist: ['127.0.0.0/8', '::1'] });
    const all = await lookupAsync(guard, 'localhost', { all: true });
    expect(all.address).toEqual(
      expect.arrayContaining([expect.objectContaining({ address: expect.stringMatching(/^(127\.0\.0\.1|::1)$/) })]),
    );
    const one = await lookupAsync(guard, 'localhost', {});
    expect(one.address).toMatch(/^(127\.0\.0\.1|::1)$/);
    expect(one.family).toBe(one.address === '::1' ? 6 : 4);
  });

  it('checks every resolved address, not only the first', async () => {
    const guard = createUrlGuard({ resolve: resolver({ 'mixed.example': ['93.184.216.34', '169.254.169.254'] }) });
    await expect(lookupAsync(guard, 'mixed.example', { all: true })).rejects.toMatchObject({
      code: URL_REFUSED,
      message: 'refused to connect to mixed.example: it resolves to 169.254.169.254, a cloud metadata address',
    });
    await expect(lookupAsync(guard, 'mixed.example', { family: 4 })).rejects.toMatchObject({ code: URL_REFUSED });
  });

  it('resolves a public name, honouring the requested family', async () => {
    const guard = createUrlGuard({ resolve: resolver({ 'erp.example': ['2606:2800:220:1::1', '93.184.216.34'] }) });
    expect(await lookupAsync(guard, 'erp.example', { all: true })).toEqual({
      address: [
        { address: '2606:2800:220:1::1', family: 6 },
        { address: '93.184.216.34', family: 4 },
      ],
      family: undefined,
    });
    expect(await lookupAsync(guard, 'erp.example', {})).toEqual({ address: '2606:2800:220:1::1', family: 6 });
    expect(await lookupAsync(guard, 'erp.example', { family: 4 })).toEqual({ address: '93.184.216.34', family: 4 });
    await expect(lookupAsync(guard, 'nowhere.invalid', {})).rejects.toMatchObject({ code: 'ENOTFOUND' });
  });
});

describe('assertSendable', () => {
  it('refuses literal addresses, schemes and credentials with the coded error', async () => {
    const guard = createUrlGuard({ resolve: noDns });
    await expect(guard.assertSendable('http://127.0.0.1:8080/')).rejects.toMatchObject({
      code: URL_REFUSED,
      message: 'http://127.0.0.1:8080/ resolves to 127.0.0.1, a loopback address',
    });
    await expect(guard.assertSendable('http://[::ffff:a9fe:a9fe]/')).rejects.toBeInstanceOf(UrlRefusedError);
    await expect(guard.assertSendable('ftp://example.com/')).rejects.toMatchObject({ code: URL_REFUSED });
    await expect(guard.assertSendable('https://u:p@example.com/')).rejects.toMatchObject({ code: URL_REFUSED });
  });

  it('leaves host names to lookup (no DNS) and lets public or allow-listed literals through', async () => {
    await expect(
      createUrlGuard({ resolve: noDns }).assertSendable('https://erp.example/hooks'),
    ).resolves.toBeUndefined();
    await expect(createUrlGuard({ resolve: noDns }).assertSendable('https://93.184.216.34/')).resolves.toBeUndefined();
    await expect(
      createUrlGuard({ allowlist: ['127.0.0.1'], resolve: noDns }).assertSendable('http://127.0.0.1:1/'),
    ).resolves.toBeUndefined();
  });
});

describe('with undici', () => {
  let server: Server;
  let port: number;

  beforeAll(async () => {
    server = createServer((_request, response) => response.end('received'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  async function send(guard: UrlGuard, url: string): Promise<string> {
    const agent = new Agent({ connect: { lookup: guard.lookup } });
    try {
      const response = await request(url, { dispatcher: agent });
      return `${response.statusCode} ${await response.body.text()}`;
    } finally {
      await agent.close();
    }
  }

  it('refuses localhost when it is not allow-listed: request rejects with the guard error itself', async () => {
    const error = await send(createUrlGuard({}), `http://localhost:${port}/`).catch((caught: unknown) => caught);
    // undici rejects with the error the lookup gave net.connect, unwrapped (no `cause`).
    expect(error).toBeInstanceOf(UrlRefusedError);
    expect(error).toMatchObject({ code: URL_REFUSED, hostname: 'localhost', address: '127.0.0.1' });
    expect((error as Error).cause).toBeUndefined();
    expect((error as Error).message).toContain('refused to connect to localhost: it resolves to 127.0.0.1');
  });

  it('delivers to localhost when 127.0.0.1 is allow-listed', async () => {
    expect(await send(createUrlGuard({ allowlist: ['127.0.0.1'] }), `http://localhost:${port}/`)).toBe('200 received');
  });

  it("the webhook sender connects only to the allow-listed port of a name (a rebound name cannot reach the platform's own port)", async () => {
    const other = createServer((_request, response) => response.end('not for webhooks'));
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    const otherPort = (other.address() as AddressInfo).port;
    const guard = createUrlGuard({
      allowlist: [`127.0.0.1:${port}`],
      resolve: resolver({ 'rebound.example': ['127.0.0.1'] }),
    });
    const sender = createHttpSender({ guard });
    try {
      expect(await sender.post(`http://rebound.example:${port}/hook`, {}, '{}', 2000)).toMatchObject({
        status: 200,
        responseBody: 'received',
      });
      const refused = await sender.post(`http://rebound.example:${otherPort}/hook`, {}, '{}', 2000);
      expect(refused.status).toBeUndefined();
      expect(refused.error).toContain(URL_REFUSED);
      expect((await sender.post(`http://127.0.0.1:${otherPort}/hook`, {}, '{}', 2000)).error).toContain(URL_REFUSED);
    } finally {
      await sender.close();
      await new Promise((resolve) => other.close(resolve));
    }
  });

  it('does not call lookup for a literal IP: assertSendable must run before sending', async () => {
    const guard = createUrlGuard({});
    const lookup = vi.spyOn(guard, 'lookup');
    const url = `http://127.0.0.1:${port}/`;
    expect(await send(guard, url)).toBe('200 received');
    expect(lookup).not.toHaveBeenCalled();
    await expect(guard.assertSendable(url)).rejects.toMatchObject({ code: URL_REFUSED });
  });
});
