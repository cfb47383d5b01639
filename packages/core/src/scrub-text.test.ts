import { describe, expect, it } from 'vitest';
import { scrubText } from './scrub-text.js';

describe('scrubText', () => {
  it('removes emails, phones, cards, tokens and password hashes', () => {
    const text = [
      'Reach jane.doe@acme.test or +1-555-010-4242 / (030) 1234 5678.',
      'Card 4242 4242 4242 4242 expired.',
      'Key sk-live_abcdefghijklmnop1234 and token=abc123def456ghi7.',
      'JWT eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c',
      'hash $argon2id$v=19$m=65536$c2FsdA$aGFzaA and 5f4dcc3b5aa765d61d8327deb882cf99',
    ].join(' ');
    const scrubbed = scrubText(text);
    for (const secret of ['jane.doe', '4242', '555', '1234 5678', 'sk-live', 'abc123def', 'eyJhbGci', 'argon2id', '5f4dcc3b']) {
      expect(scrubbed).not.toContain(secret);
    }
    expect(scrubbed).toContain('[email]');
    expect(scrubbed).toContain('[card]');
  });

  it('leaves ordinary prose and small numbers alone', () => {
    const text = 'Acme has 3 open orders totalling 4038 dollars in 2026; 12 customers live in Lisbon.';
    expect(scrubText(text)).toBe(text);
  });
});
