import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { clientIpOf, ipBudgetOf, ormaiRateLimit, type OrmaiRateLimitOptions, type RateLimitErrorBody } from './ratelimit.js';
import { closedPort, REDIS_URL, upstashClient, useRedis } from './test-support/redis.js';

const { redis, bridge, prefix, upstash } = await useRedis('ratelimit');
const SECRET = 'test-secret-for-rate-limits';
const HOUR_MS = 3_600_000;
let handlers = 0;
/** A handler with a key prefix of its own, so tests never share counts. */
const limiter = (options: Partial<OrmaiRateLimitOptions> = {}) =>
  ormaiRateLimit({ redis: upstash(), secret: SECRET, prefix: `${prefix}${handlers++}`, timeoutMs: 15_000, sessionOf: (r) => r.headers.get('x-session-id'), ...options });

const request = (ip: string | null, session?: string) =>
  new Request('http://app.test/api/chat', {
    method: 'POST',
    headers: { ...(ip ? { 'x-forwarded-for': `${ip}, 10.0.0.1` } : {}), ...(session ? { 'x-session-id': session } : {}) },
  });

const bodyOf = async (response: Response) => (await response.json()) as RateLimitErrorBody;

/** The library's sliding window weighs the previous fixed window: stay clear of a window's edge so counts are exact. */
async function awayFromWindowEdge(windowMs: number) {
  const left = windowMs - (Date.now() % windowMs);
  if (left < 2_000) await new Promise((resolve) => setTimeout(resolve, left + 50));
}

/** Sends `n` requests one after the other and returns the statuses (200 for "let through"). */
async function statuses(handler: (r: Request) => Promise<Response | null>, n: number, make: () => Request) {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push((await handler(make()))?.status ?? 200);
  return out;
}

describe(`ormaiRateLimit on the real Redis at ${REDIS_URL} (through the REST bridge)`, () => {
  it('per IP: the limit+1th request gets a 429 with Retry-After up to the window end, and other IPs are unaffected', async () => {
    await awayFromWindowEdge(HOUR_MS);
    const handler = limiter({ perIp: { limit: 3, window: '1 h' } });
    expect(await statuses(handler, 3, () => request('203.0.113.7'))).toEqual([200, 200, 200]);
    const before = Date.now();
    const refused = await handler(request('203.0.113.7'));
    const after = Date.now();
    expect(refused?.status).toBe(429);
    const windowEnd = (Math.floor(before / HOUR_MS) + 1) * HOUR_MS;
    const body = await bodyOf(refused!);
    expect(body.error).toMatchObject({ code: 'rate_limited', retryable: true, details: { scope: 'ip' } });
    expect(body.error.message).toEqual(expect.any(String));
    expect(body.error.suggestion).toContain('Wait');
    const { retryAfterMs } = body.error.details as { retryAfterMs: number };
    expect(retryAfterMs).toBeGreaterThanOrEqual(windowEnd - after);
    expect(retryAfterMs).toBeLessThanOrEqual(windowEnd - before);
    expect(refused!.headers.get('retry-after')).toBe(String(Math.ceil(retryAfterMs / 1000)));
    expect(refused!.headers.get('content-type')).toBe('application/json');
    expect(await handler(request('198.51.100.23'))).toBeNull();
    expect((await handler(request('203.0.113.7')))?.status).toBe(429); // still refused
  });

  it('reads x-real-ip when there is no x-forwarded-for, and requests without any IP share one budget', async () => {
    const handler = limiter({ perIp: { limit: 1, window: '1 h' } });
    const realIp = () => new Request('http://app.test/', { headers: { 'x-real-ip': '192.0.2.44' } });
    expect(await statuses(handler, 2, realIp)).toEqual([200, 429]);
    expect(await statuses(handler, 2, () => request(null))).toEqual([200, 429]);
  });

  it('per IP: the textual forms of one IPv4, and the addresses of one IPv6 /64, share one budget', async () => {
    await awayFromWindowEdge(HOUR_MS);
    const v4 = limiter({ perIp: { limit: 1, window: '1 h' } });
    expect(await statuses(v4, 1, () => request('203.0.113.51'))).toEqual([200]);
    for (const form of ['::ffff:203.0.113.51', '::ffff:cb00:7133', '[::ffff:203.0.113.51]']) expect((await v4(request(form)))?.status).toBe(429);
    const v6 = limiter({ perIp: { limit: 2, window: '1 h' } });
    let host = 1;
    expect(await statuses(v6, 10, () => request(`2001:db8:1:2::${(host++).toString(16)}`))).toEqual([200, 200, 429, 429, 429, 429, 429, 429, 429, 429]);
    for (const form of ['2001:DB8:1:2::1', '2001:db8:1:2:0:0:0:1', '2001:0db8:0001:0002::0001', '[2001:db8:1:2::1]']) expect((await v6(request(form)))?.status).toBe(429);
    expect(await v6(request('2001:db8:1:3::1'))).toBeNull(); // the next /64 is another client
  });

  it('per session: the limit+1th request of a session gets a 429, another session on the same IP does not', async () => {
    await awayFromWindowEdge(HOUR_MS);
    const handler = limiter({ perIp: { limit: 100, window: '1 h' }, perSession: { limit: 2, window: '1 h' } });
    expect(await statuses(handler, 3, () => request('203.0.113.7', 'session-a'))).toEqual([200, 200, 429]);
    const refused = await handler(request('203.0.113.7', 'session-a'));
    expect(refused?.headers.get('retry-after')).toMatch(/^\d+$/);
    expect((await bodyOf(refused!)).error).toMatchObject({ code: 'rate_limited', details: { scope: 'session' } });
    expect(await statuses(handler, 2, () => request('203.0.113.7', 'session-b'))).toEqual([200, 200]);
    expect(await handler(request('203.0.113.7'))).toBeNull(); // no session: limited per IP only
  });

  it('a request refused by one limit does not spend the other', async () => {
    await awayFromWindowEdge(HOUR_MS);
    const keys = `${prefix}refunds`;
    const handler = limiter({ perIp: { limit: 3, window: '1 h' }, perSession: { limit: 1, window: '1 h' }, prefix: keys });
    expect(await statuses(handler, 4, () => request('203.0.113.9', 'session-x'))).toEqual([200, 429, 429, 429]);
    // The three refusals gave their IP take back: the IP has two requests left.
    let fresh = 0;
    expect(await statuses(handler, 3, () => request('203.0.113.9', `fresh-${fresh++}`))).toEqual([200, 200, 429]);
    const refused = await handler(request('203.0.113.9', 'session-y'));
    expect((await bodyOf(refused!)).error.details).toMatchObject({ scope: 'ip' });
    // ...and the IP's refusal gave session-y's take back: from an IP with budget left it still goes through once.
    expect(await statuses(handler, 2, () => request('198.51.100.1', 'session-y'))).toEqual([200, 429]);
  });

  it('instances sharing the secret share the counts; another secret counts apart', async () => {
    const shared = `${prefix}shared`;
    const a = limiter({ perIp: { limit: 2, window: '1 h' }, prefix: shared });
    const b = limiter({ perIp: { limit: 2, window: '1 h' }, prefix: shared });
    const other = limiter({ perIp: { limit: 2, window: '1 h' }, prefix: shared, secret: 'another-secret' });
    await awayFromWindowEdge(HOUR_MS);
    expect(await a(request('203.0.113.50'))).toBeNull();
    expect(await b(request('203.0.113.50'))).toBeNull();
    expect((await a(request('203.0.113.50')))?.status).toBe(429);
    expect(await other(request('203.0.113.50'))).toBeNull();
  });

  it('one request per check once the script is cached: EVALSHA hits, no EVAL', async () => {
    const handler = limiter({ perIp: { limit: 100, window: '1 h' } });
    expect(await handler(request('203.0.113.60'))).toBeNull();
    const before = bridge.requests;
    expect(await handler(request('203.0.113.61'))).toBeNull();
    expect(bridge.requests - before).toBe(1);
  });

  it('no key or value under the prefix holds an IP or a session id in clear', async () => {
    const scanPrefix = `${prefix}scan`;
    const handler = limiter({ perIp: { limit: 2, window: '1 h' }, perSession: { limit: 2, window: '1 h' }, prefix: scanPrefix });
    const ips = ['203.0.113.77', '2001:db8::1f', '198.51.100.99'];
    const sessions = ['sess_9f8e7d6c5b4a', 'user-42-session', 'cookie-value-abc'];
    for (const ip of ips) for (const session of sessions) await handler(request(ip, session));
    const keys = await redis.keys(`${scanPrefix}*`);
    expect(keys.length).toBeGreaterThanOrEqual(ips.length + sessions.length);
    const written: string[] = [];
    for (const key of keys) {
      expect(key).toMatch(new RegExp(`^${scanPrefix}:(ip|session):[0-9a-f]{64}:\\d+$`));
      expect(await redis.type(key)).toBe('string');
      const value = (await redis.get(key))!;
      expect(value).toMatch(/^-?\d+$/); // counts only
      written.push(key, value);
    }
    const everything = written.join('\n');
    for (const secretish of [...ips, ...sessions, '203.0.113', 'sess_', SECRET]) expect(everything).not.toContain(secretish);
  });

  describe('fails closed', () => {
    const hanging: Server[] = [];
    afterAll(() => {
      for (const server of hanging) {
        server.closeAllConnections();
        server.close();
      }
    });

    const expectUnavailable = async (response: Response | null) => {
      expect(response?.status).toBe(503);
      expect(response!.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
      expect((await bodyOf(response!)).error).toMatchObject({ code: 'budget_unavailable', retryable: true, details: {} });
    };

    it('answers 503 budget_unavailable when Redis is unreachable (closed port), and reports the error', async () => {
      const errors: unknown[] = [];
      const handler = ormaiRateLimit({
        redis: upstashClient(`http://127.0.0.1:${await closedPort()}`, 't'),
        secret: SECRET,
        perIp: { limit: 5, window: '1 m' },
        perSession: { limit: 5, window: '1 m' },
        sessionOf: () => 'session-a',
        timeoutMs: 500,
        onError: (error) => errors.push(error),
      });
      await expectUnavailable(await handler(request('203.0.113.7')));
      expect(errors).toHaveLength(1);
    });

    it('answers 503 when Redis does not answer within timeoutMs, where @upstash/ratelimit would let the request through', async () => {
      let received = 0;
      const server = createServer(() => {
        received += 1; // never answers
      });
      hanging.push(server);
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const errors: unknown[] = [];
      const handler = ormaiRateLimit({
        redis: upstashClient(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, 't'),
        secret: SECRET,
        perIp: { limit: 5, window: '1 m' },
        timeoutMs: 300,
        onError: (error) => errors.push(error),
      });
      await expectUnavailable(await handler(request('203.0.113.7')));
      expect(received).toBe(1);
      expect(errors.map((e) => (e as Error).name)).toEqual(['RateLimitTimeout']);
    });
  });
});

describe('ormaiRateLimit configuration', () => {
  it('refuses a missing secret, no limit at all, perSession without perIp or sessionOf, and a limit below 1', () => {
    const redisClient = upstashClient('http://127.0.0.1:1', 't');
    expect(() => ormaiRateLimit({ redis: redisClient, secret: '', perIp: { limit: 1, window: '1 m' } })).toThrow(TypeError);
    expect(() => ormaiRateLimit({ redis: redisClient, secret: SECRET })).toThrow(TypeError);
    // perSession alone would let every request without a session through unlimited.
    const sessionOf = () => 'session-a';
    expect(() => ormaiRateLimit({ redis: redisClient, secret: SECRET, perSession: { limit: 1, window: '1 m' }, sessionOf })).toThrow(/perSession needs perIp/);
    expect(() => ormaiRateLimit({ redis: redisClient, secret: SECRET, perIp: { limit: 1, window: '1 m' }, perSession: { limit: 1, window: '1 m' } })).toThrow(/sessionOf/);
    expect(() => ormaiRateLimit({ redis: redisClient, secret: SECRET, perIp: { limit: 0, window: '1 m' } })).toThrow(/positive integer/);
  });

  it('ipBudgetOf: one budget per IPv4 whatever its form, one per IPv6 /64 whatever its text', () => {
    for (const form of ['203.0.113.50', ' 203.0.113.50 ', '203.0.113.50:4711', '::ffff:203.0.113.50', '::FFFF:cb00:7132', '0:0:0:0:0:ffff:cb00:7132', '[::ffff:203.0.113.50]:443']) {
      expect(ipBudgetOf(form)).toBe('203.0.113.50');
    }
    for (const form of ['2001:db8:1:2::1', '2001:DB8:1:2::1', '2001:db8:1:2:0:0:0:1', '2001:0db8:0001:0002::0001', '[2001:db8:1:2::1]', '[2001:db8:1:2::1]:8080', '2001:db8:1:2:ffff:ffff:ffff:ffff', '2001:db8:1:2::9%eth0']) {
      expect(ipBudgetOf(form)).toBe('2001:db8:1:2::/64');
    }
    expect(ipBudgetOf('2001:db8:1:3::1')).toBe('2001:db8:1:3::/64');
    expect(ipBudgetOf('::1')).toBe('0:0:0:0::/64');
    expect(ipBudgetOf('64:ff9b::203.0.113.50')).toBe('64:ff9b:0:0::/64');
    // Not an address: kept (trimmed, lowercased), never merged with one.
    for (const junk of ['not-an-ip', '1:2:3', '1::2::3', '256.1.1.1', '2001:db8::12345']) expect(ipBudgetOf(junk)).toBe(junk);
  });

  it('clientIpOf reads the first hop of x-forwarded-for, then x-real-ip', () => {
    const at = (headers: Record<string, string>) => clientIpOf(new Request('http://app.test/', { headers }));
    expect(at({ 'x-forwarded-for': ' 203.0.113.7 , 10.0.0.1', 'x-real-ip': '192.0.2.1' })).toBe('203.0.113.7');
    expect(at({ 'x-real-ip': '192.0.2.1' })).toBe('192.0.2.1');
    expect(at({})).toBeNull();
  });
});
