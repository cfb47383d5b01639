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
