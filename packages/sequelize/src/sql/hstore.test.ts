import { describe, expect, it } from 'vitest';
import { hstoreObject } from './hstore.js';

describe('hstore text', () => {
  it('parses PostgreSQL output, escapes and NULLs included', () => {
    expect(hstoreObject('"region"=>"eu", "db_password"=>"x"')).toEqual({ region: 'eu', db_password: 'x' });
    expect(hstoreObject('"a \\"b\\""=>"c\\\\d, \\"e\\"=>f", "gone"=>NULL')).toEqual({ 'a "b"': 'c\\d, "e"=>f', gone: null });
    expect(Object.getPrototypeOf(hstoreObject('"__proto__"=>"x"'))).toBe(Object.prototype);
  });

  it('answers null for anything that is not hstore in full', () => {
    for (const text of ['', 'plain text', '"a"=>"b" trailing', '"a"=>b', '{"a":1}', '"a"']) expect(hstoreObject(text), text).toBeNull();
  });
});
