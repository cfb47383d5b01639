import { describe, expect, it } from 'vitest';
import { matchesGlob } from './glob.js';

describe('word globs', () => {
  it('match whole words at camelCase, separator and letter/digit boundaries', () => {
    for (const name of ['otp', 'otpSeed', 'user_otp', 'OTP-CODE', 'lastOTPCode', 'otp2']) expect(matchesGlob(name, '<* otp *>'), name).toBe(true);
    for (const name of ['footprint', 'topic', 'options', 'hotpink', 'otps']) expect(matchesGlob(name, '<* otp *>'), name).toBe(false);
  });

  it('anchor at both ends: a lone * is any number of words', () => {
    expect(matchesGlob('session', '<session>')).toBe(true);
    expect(matchesGlob('sessionCount', '<session>')).toBe(false);
    expect(matchesGlob('chat_session_id', '<* session id>')).toBe(true);
    expect(matchesGlob('sessionIdHash', '<* session id>')).toBe(false);
    expect(matchesGlob('userSalt', '<* salt>')).toBe(true);
    expect(matchesGlob('saltContent', '<* salt>')).toBe(false);
  });

  it('ignore number words at either end: salt2 is the salt, session_1 the session', () => {
    for (const name of ['salt2', 'user_salt_1', 'userSalt2', '2_salt']) expect(matchesGlob(name, '<* salt>'), name).toBe(true);
    for (const name of ['session2', 'session_1_2', '1session']) expect(matchesGlob(name, '<session>'), name).toBe(true);
    expect(matchesGlob('session2Count', '<session>')).toBe(false);
    expect(matchesGlob('salt2Content', '<* salt>')).toBe(false);
    expect(matchesGlob('fa', '<* 2fa *>')).toBe(false);
  });

  it('a * inside a word is any letters of that word; the glob splits like a name', () => {
    expect(matchesGlob('ibans', '<* iban* *>')).toBe(true);
    expect(matchesGlob('payout_iban_number', '<* iban* *>')).toBe(true);
    expect(matchesGlob('caribbean', '<* iban* *>')).toBe(false);
    expect(matchesGlob('private_key', '<privateKey>')).toBe(true);
  });

  it('leave the character form unchanged', () => {
    expect(matchesGlob('footprint', '*otp*')).toBe(true);
    expect(matchesGlob('userApiKey', '*api_key*')).toBe(true);
  });
});

describe('names are normalized before matching, so spelling tricks do not hide a secret', () => {
  const disguised = {
    'zero-width space': 'pass\u200bword',
    'soft hyphen': 'pass\u00adword',
    'word joiner': 'api\u2060key',
    fullwidth: '\uff50\uff41\uff53\uff53\uff57\uff4f\uff52\uff44',
    'combining accent': 'pa\u0301ssword',
    'dot separator': 'pass.word',
    'dotted words': 'api.key',
    'other punctuation': 'api:key',
  };

  for (const [trick, name] of Object.entries(disguised)) {
    it(`${trick}: ${JSON.stringify(name)}`, () => {
      expect(['*password*', '*api_key*'].some((glob) => matchesGlob(name, glob))).toBe(true);
    });
  }

  it('in the whole-word form too: invisible characters join, punctuation separates', () => {
    expect(matchesGlob('user\u200bSalt', '<* salt>')).toBe(true);
    expect(matchesGlob('\uff4f\uff54\uff50_seed', '<* otp *>')).toBe(true);
    expect(matchesGlob('db.pass', '<* pass>')).toBe(true);
    expect(matchesGlob('foot\u200bprint', '<* otp *>')).toBe(false);
  });
});
