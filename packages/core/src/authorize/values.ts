import type { Scalar } from '../plan/plan.js';
import type { FieldType } from '../schema-info.js';

/** Which JSON values a field of each type accepts, strictly: what passes here, every dialect can bind. */
export const TYPE_WORDING: Record<FieldType, string> = {
  string: 'a string',
  enum: 'one of the allowed values (a string)',
  uuid: 'a UUID string',
  integer: 'an integer',
  number: 'a number',
  boolean: 'true or false',
  date: 'an ISO-8601 date-time string (e.g. 2026-01-31T09:30:00Z)',
  dateonly: 'a YYYY-MM-DD date string',
  json: 'a JSON value',
  other: 'a value',
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?)?(Z|[+-]\d{2}:?\d{2})?$/;

const validDate = (text: string) => !Number.isNaN(Date.parse(text));

export function fitsType(type: FieldType, value: Scalar): boolean {
  switch (type) {
    case 'string':
    case 'enum':
      return typeof value === 'string';
    case 'uuid':
      return typeof value === 'string' && UUID.test(value);
    case 'integer':
      return typeof value === 'number' && Number.isSafeInteger(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'date':
      return typeof value === 'string' && DATE_TIME.test(value) && validDate(withZone(value));
    case 'dateonly':
      return typeof value === 'string' && DATE_ONLY.test(value) && validDate(value);
    default:
      return false;
  }
}

// A date-time without an offset means UTC on every dialect (not the server's or the process's zone).
const withZone = (text: string) => {
  const iso = text.replace(' ', 'T');
  if (/(Z|[+-]\d{2}:?\d{2})$/.test(iso)) return iso;
  return iso.length === 10 ? `${iso}T00:00:00Z` : `${iso}Z`;
};

/** The canonical form bound to SQL: date-times as UTC ISO strings. Call only on values that passed fitsType. */
export function normalizeValue(type: FieldType, value: Scalar): Scalar {
  if (type === 'date' && typeof value === 'string') return new Date(withZone(value)).toISOString();
  return value;
}
