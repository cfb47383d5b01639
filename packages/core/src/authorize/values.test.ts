import { describe, expect, it } from 'vitest';
import { expectedValue, fitsType, normalizeValue } from './values.js';

const DATE = { type: 'date' } as const;
const DATE_ONLY = { type: 'dateonly' } as const;

describe('fitsType: values every dialect stores as given', () => {
  it('refuses NUL characters in strings and enums (PostgreSQL cannot store them, Sequelize would write "\\0")', () => {
    for (const type of ['string', 'enum'] as const) {
      expect(fitsType({ type }, 'open')).toBe(true);
      expect(fitsType({ type }, 'open\u0000')).toBe(false);
      expect(fitsType({ type }, '\u0000')).toBe(false);
    }
  });

  it('keeps integers within the column width', () => {
    const int4 = { type: 'integer', integerBits: 32 } as const;
    expect(fitsType(int4, 2_147_483_647)).toBe(true);
    expect(fitsType(int4, -2_147_483_648)).toBe(true);
    expect(fitsType(int4, 2_147_483_648)).toBe(false);
    expect(fitsType(int4, -2_147_483_649)).toBe(false);
    const int2 = { type: 'integer', integerBits: 16 } as const;
    expect(fitsType(int2, 32_767)).toBe(true);
    expect(fitsType(int2, 32_768)).toBe(false);
    expect(fitsType(int2, -32_769)).toBe(false);
    // int8 and unknown widths: any safe integer (JSON numbers beyond 2^53 are already rounded).
    for (const field of [{ type: 'integer', integerBits: 64 } as const, { type: 'integer' } as const]) {
      expect(fitsType(field, Number.MAX_SAFE_INTEGER)).toBe(true);
      expect(fitsType(field, 2 ** 53)).toBe(false);
    }
    expect(expectedValue(int4)).toBe('an integer from -2147483648 to 2147483647');
    expect(expectedValue({ type: 'integer', integerBits: 64 })).toBe('an integer');
  });

  it('refuses calendar dates that do not exist instead of rolling them over', () => {
    for (const text of ['2026-02-31', '2026-02-29', '2025-04-31', '2026-13-01', '2026-00-10', '2026-01-00', '1900-02-29']) {
      expect(fitsType(DATE_ONLY, text), text).toBe(false);
      expect(fitsType(DATE, text), text).toBe(false);
      expect(fitsType(DATE, `${text}T10:00:00Z`), text).toBe(false);
    }
    for (const text of ['2028-02-29', '2000-02-29', '2026-04-30', '2026-12-31']) {
      expect(fitsType(DATE_ONLY, text), text).toBe(true);
      expect(fitsType(DATE, `${text}T10:00:00Z`), text).toBe(true);
    }
  });

  it('refuses times and offsets out of range (no leap second, no 24:00, offsets within ±14:00)', () => {
    for (const text of ['2026-01-31T24:00:00Z', '2026-01-31T10:60:00Z', '2026-01-31T10:00:60Z', '2026-01-31T10:00:00+15:00', '2026-01-31T10:00:00+14:30', '2026-01-31T10:00:00-0960']) {
      expect(fitsType(DATE, text), text).toBe(false);
    }
    for (const text of ['2026-01-31T23:59:59.999999Z', '2026-01-31 00:00', '2026-01-31T10:00:00+14:00', '2026-01-31T10:00:00-1200', '2026-01-31T10:00:00+05:45']) {
      expect(fitsType(DATE, text), text).toBe(true);
    }
  });

  it('accepts years 0001 to 9999 only, after the offset is applied', () => {
    expect(fitsType(DATE_ONLY, '0000-01-01')).toBe(false);
    expect(fitsType(DATE, '0000-01-01T00:00:00Z')).toBe(false);
    expect(fitsType(DATE, '0001-01-01T00:30:00+01:00')).toBe(false); // 0000-12-31T23:30Z
    expect(fitsType(DATE, '9999-12-31T23:00:00-02:00')).toBe(false); // 10000-01-01T01:00Z
    expect(fitsType(DATE_ONLY, '0001-01-01')).toBe(true);
    expect(fitsType(DATE, '0001-01-01T00:00:00Z')).toBe(true);
    expect(fitsType(DATE, '9999-12-31T23:59:59Z')).toBe(true);
  });
});

describe('normalizeValue', () => {
  it('binds date-times as the UTC instant they name, early years included', () => {
    expect(normalizeValue('date', '2026-01-31T09:30:00+05:30')).toBe('2026-01-31T04:00:00.000Z');
    expect(normalizeValue('date', '2026-01-31 09:30')).toBe('2026-01-31T09:30:00.000Z');
    expect(normalizeValue('date', '2026-01-31')).toBe('2026-01-31T00:00:00.000Z');
    expect(normalizeValue('date', '0050-06-01T12:00:00.1234Z')).toBe('0050-06-01T12:00:00.123Z');
    expect(normalizeValue('dateonly', '2026-01-31')).toBe('2026-01-31');
  });
});
