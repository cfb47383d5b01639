import type { Scalar } from '../spec/plan.js';
import type { FieldInfo, FieldType } from '../schema-info.js';

/** Which JSON values a field of each type accepts, strictly: what passes here, every dialect can bind. */
const TYPE_WORDING: Record<FieldType, string> = {
  string: 'a string',
  enum: 'one of the allowed values (a string)',
  uuid: 'a UUID string',
  integer: 'an integer',
  number: 'a number',
  boolean: 'true or false',
  date: 'an ISO-8601 date-time string of a real date, years 0001-9999 (e.g. 2026-01-31T09:30:00Z)',
  dateonly: 'a YYYY-MM-DD string of a real date, years 0001-9999',
  json: 'a JSON value',
  other: 'a value',
};

/** What a value is checked against: the field's type and, for integers, the column's width. */
export type ValueShape = Pick<FieldInfo, 'type' | 'integerBits'>;

/** The values a field accepts, in words, with the integer range when the column is narrower than a JS safe integer. */
export function expectedValue(field: ValueShape): string {
  const range = integerRange(field);
  return range ? `an integer from ${range.min} to ${range.max}` : TYPE_WORDING[field.type];
}

const integerRange = (field: ValueShape) =>
  field.type === 'integer' && field.integerBits && field.integerBits < 53 ? { min: -(2 ** (field.integerBits - 1)), max: 2 ** (field.integerBits - 1) - 1 } : null;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?)?(Z|([+-])(\d{2}):?(\d{2}))?$/;
const MAX_OFFSET_MINUTES = 14 * 60;

const isLeapYear = (year: number) => year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);

/** Days in a month of the proleptic Gregorian calendar (month 1-12). */
const daysIn = (year: number, month: number) => (month === 2 ? (isLeapYear(year) ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31);

/** Years 0001-9999: what every dialect stores and reads back the same way (PostgreSQL refuses year 0). */
const validDay = (year: number, month: number, day: number) => year >= 1 && year <= 9999 && month >= 1 && month <= 12 && day >= 1 && day <= daysIn(year, month);

/**
 * The instant a date-time string names, or null when it is not a real one. Checked field by field, not
 * with Date.parse, which rolls 2026-02-31 over to March 3. No offset means UTC on every dialect.
 */
function instantOf(text: string): Date | null {
  const m = DATE_TIME.exec(text);
  if (!m) return null;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map((part) => Number(part ?? 0)) as [number, number, number, number, number, number];
  if (!validDay(year, month, day) || hour > 23 || minute > 59 || second > 59) return null;
  const offset = m[9] ? (m[9] === '-' ? -1 : 1) * (Number(m[10]) * 60 + Number(m[11])) : 0;
  if (Number(m[11] ?? 0) > 59 || Math.abs(offset) > MAX_OFFSET_MINUTES) return null;
  const millis = Number((m[7] ?? '').padEnd(3, '0').slice(0, 3));
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day); // not Date.UTC: it reads years 0-99 as 1900-1999
  date.setUTCHours(hour, minute - offset, second, millis);
  const utcYear = date.getUTCFullYear();
  return utcYear >= 1 && utcYear <= 9999 ? date : null;
}

function validDateOnly(text: string): boolean {
  const m = DATE_ONLY.exec(text);
  return m !== null && validDay(Number(m[1]), Number(m[2]), Number(m[3]));
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** True when `value` is one `field` can hold: right type, no NUL characters, integers within the column, real calendar dates. */
export function fitsType(field: ValueShape, value: Scalar): boolean {
  switch (field.type) {
    case 'string':
    case 'enum':
      // PostgreSQL cannot store NUL in text (and Sequelize would write it as "\0"), and a lone surrogate is
      // silently stored as U+FFFD: both refused everywhere alike.
      return typeof value === 'string' && !value.includes('\u0000') && !LONE_SURROGATE.test(value);
    case 'uuid':
      return typeof value === 'string' && UUID.test(value);
    case 'integer': {
      const range = integerRange(field);
      return typeof value === 'number' && Number.isSafeInteger(value) && (!range || (value >= range.min && value <= range.max));
    }
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'date':
      return typeof value === 'string' && instantOf(value) !== null;
    case 'dateonly':
      return typeof value === 'string' && validDateOnly(value);
    default:
      return false;
  }
}

/** The canonical form bound to SQL: date-times as UTC ISO strings. Call only on values that passed fitsType. */
export function normalizeValue(type: FieldType, value: Scalar): Scalar {
  if (type === 'date' && typeof value === 'string') return instantOf(value)!.toISOString();
  return value;
}
