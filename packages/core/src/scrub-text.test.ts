import { describe, expect, it } from 'vitest';
import { scrubText } from './scrub-text.js';

describe('scrubText', () => {
  const secrets: Array<[string, string]> = [
    ['Reach jane.doe@acme.test', 'jane.doe'],
    ['or jane@localhost', 'jane@'],
    ['call +1-555-010-4242', '4242'],
    ['or (030) 1234 5678', '1234 5678'],
    ['or +15550104242', '15550104242'],
    ['or 5550104242', '5550104242'],
    ['card 4242 4242 4242 4242 expired', '4242'],
    ['amex 3782 822463 10005', '822463'],
    ['SSN 123-45-6789', '6789'],
    ['key sk-live_abcdefghijklmnop1234', 'sk-live'],
    ['google AIzaSyA1234567890abcdefghijklmnopqrstuvw', 'AIzaSy'],
    ['token=abc123def456', 'abc123def456'],
    ['password: hunter2', 'hunter2'],
    ['the password is hunter2', 'hunter2'],
    ['Authorization: Bearer abcdefghijklmnop', 'abcdefghijklmnop'],
    ['JWT eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c', 'eyJhbGci'],
    ['hash $argon2id$v=19$m=65536$c2FsdA$aGFzaA', 'argon2id$v'],
    ['hash $6$rounds=5000$salt$abcdefghij', 'rounds'],
    ['django pbkdf2_sha256$260000$salt$hashvalue', '260000$salt'],
    ['md5 5f4dcc3b5aa765d61d8327deb882cf99', '5f4dcc3b'],
  ];

  for (const [text, secret] of secrets) {
    it(`scrubs "${text}"`, () => expect(scrubText(text)).not.toContain(secret));
  }

  it('leaves ordinary prose and numbers alone', () => {
    const text =
      'Acme has 3 open orders totalling 4038 dollars in 2026; 12 customers live in Lisbon. ' +
      'Prices rose 12.345% to 10.000 units over 2020-2023. Orders 1042 1043 shipped on 2026-01-05. ' +
      'The secret ingredient is salt; the token expired, so log in again. Steps 1 2 3 4 5 6 7 8 9 10 11 12 13 done at 1764000000000 ms.';
    expect(scrubText(text)).toBe(text);
  });
});
