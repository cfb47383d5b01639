import { afterEach, describe, expect, it } from 'vitest';
import { appSecret } from '../lib/app-secret';
import { trustedClientIp } from '../lib/client-ip';

const configured = process.env.ORMAI_SECRET;
afterEach(() => {
  if (configured === undefined) delete process.env.ORMAI_SECRET;
  else process.env.ORMAI_SECRET = configured;
});

describe('what the app believes from its environment', () => {
  it('refuses a short ORMAI_SECRET: one signed cookie would let anyone guess it offline and sign sessions', () => {
    process.env.ORMAI_SECRET = 'changeme';
    expect(() => appSecret()).toThrow(/ORMAI_SECRET is too short/);
    process.env.ORMAI_SECRET = 'a'.repeat(64);
    expect(appSecret()).toBe('a'.repeat(64));
  });

  it('reads the client IP only from a header its proxy writes: x-real-ip on Vercel, CLIENT_IP_HEADER behind a proxy of yours, none on a bare server', () => {
    const request = new Request('http://app.test/api/chat', { headers: { 'x-forwarded-for': '203.0.113.7, 198.51.100.2', 'x-real-ip': '192.0.2.9' } });
    expect(trustedClientIp({ VERCEL: '1' })(request)).toBe('192.0.2.9');
    expect(trustedClientIp({ CLIENT_IP_HEADER: 'x-forwarded-for' })(request)).toBe('198.51.100.2');
    expect(trustedClientIp({})(request)).toBeNull();
  });
});
