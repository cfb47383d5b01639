import { describe, expect, it } from 'vitest';
import { CLEAN_SAMPLES, SENSITIVE_SAMPLES } from './scrub-text.corpus.js';
import { foldForScrub, scrubText } from './scrub-text.js';

describe('scrubText removes secrets and PII from model output', () => {
  for (const { kind, text, secret } of SENSITIVE_SAMPLES) {
    it(`${kind}: ${JSON.stringify(text)}`, () => {
      expect(text).toContain(secret);
      expect(scrubText(text)).not.toContain(secret);
    });
  }
});

describe('scrubText sees through fullwidth forms, invisible characters and other digits', () => {
  it('no sample keeps its secret in the form a reader would see it either', () => {
    for (const { text, secret } of SENSITIVE_SAMPLES) expect(scrubText(text), text).not.toContain(foldForScrub(secret));
  });

  it('comes back folded only where folding found something', () => {
    expect(scrubText('card ４２４２ ４２４２ ４２４２ ４２４２, ｓｉｚｅ Ｌ')).toBe('card [card], size L');
    expect(scrubText('ｓｉｚｅ Ｌ, ４２ items\u200b, 12\u00a0345 €')).toBe('ｓｉｚｅ Ｌ, ４２ items\u200b, 12\u00a0345 €');
  });
});

describe('scrubText leaves ordinary text alone', () => {
  for (const { kind, text } of CLEAN_SAMPLES) {
    it(`${kind}: ${JSON.stringify(text)}`, () => expect(scrubText(text)).toBe(text));
  }

  it('keeps the words around what it removes', () => {
    expect(scrubText('Write to jane@acme.test or call 01 23 45 67 89 before Friday.')).toBe('Write to [email] or call [phone] before Friday.');
    expect(scrubText('the password for jane is hunter2, she said')).toBe('the password for jane is [credential], she said');
  });

  it('leaves its own placeholders alone', () => {
    for (const { text } of SENSITIVE_SAMPLES) {
      const once = scrubText(text);
      expect(once, text).not.toMatch(/\]\]|\[\[/);
      expect(scrubText(once), text).toBe(once);
    }
  });
});

describe('scrubText on hostile input', () => {
  // Patterns that backtrack would take minutes on these; the test timeout is the bound.
  const hostile = [
    'a'.repeat(100_000) + '@',
    '1 '.repeat(50_000),
    'a.'.repeat(50_000) + '@',
    '"'.repeat(100_000) + '@',
    '1-'.repeat(50_000) + 'x',
    '+1 '.repeat(30_000),
    '(1)'.repeat(30_000),
    'password for '.repeat(10_000),
    'password: '.repeat(10_000),
    '-----BEGIN PRIVATE KEY-----'.repeat(5_000),
    '-----BEGIN PRIVATE KEY-----\n' + 'A'.repeat(100_000),
    'eyJ'.repeat(30_000) + '.',
    'a/'.repeat(50_000),
    'DE89 '.repeat(20_000),
    'x://a:'.repeat(20_000),
  ];
  for (const text of hostile) {
    it(`scrubs ${JSON.stringify(text.slice(0, 24))}... (${text.length} chars)`, () => {
      expect(typeof scrubText(text)).toBe('string');
    });
  }
});
