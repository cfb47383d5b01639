import { describe, expect, it } from 'vitest';
import { estimateSqliteRowsRead, longestInList, parseStat } from './sqlite-plan-estimate.js';

describe('estimateSqliteRowsRead', () => {
  it('counts a SCAN as the whole table and a primary-key SEARCH as one row', () => {
    expect(estimateSqliteRowsRead(['SCAN t', 'USE TEMP B-TREE FOR ORDER BY'], 50_000, {})).toBe(50_000);
    expect(estimateSqliteRowsRead(['SEARCH t USING INTEGER PRIMARY KEY (rowid=?)'], 50_000, {})).toBe(1);
  });

  it('counts primary-key ranges as the table and IN lists once per key', () => {
    expect(estimateSqliteRowsRead(['SEARCH t USING INTEGER PRIMARY KEY (rowid>?)'], 50_000, {})).toBe(50_000);
    expect(estimateSqliteRowsRead(['SEARCH t USING INTEGER PRIMARY KEY (rowid=?)'], 50_000, {}, 40)).toBe(40);
    const stats = { ix_kind: parseStat('50000 250') };
    expect(estimateSqliteRowsRead(['SEARCH t USING INDEX ix_kind (kind=?)'], 50_000, stats, 100)).toBe(25_000);
    expect(estimateSqliteRowsRead(['SEARCH t USING INDEX ix_kind (kind>?)'], 50_000, stats)).toBe(50_000);
    expect(longestInList('SELECT 1 WHERE a IN ($1, $2, $3) AND b IN ($4)')).toBe(3);
    expect(longestInList('SELECT 1')).toBe(1);
  });

  it('uses ANALYZE statistics for index searches, and the table size without them', () => {
    const stats = { orders_tenant_id_status: parseStat('50000 25000 800') };
    expect(estimateSqliteRowsRead(['SEARCH t USING INDEX orders_tenant_id_status (tenant_id=?)'], 50_000, stats)).toBe(25_000);
    expect(estimateSqliteRowsRead(['SEARCH t USING INDEX orders_tenant_id_status (tenant_id=? AND status=?)'], 50_000, stats)).toBe(800);
    expect(estimateSqliteRowsRead(['SEARCH t USING INDEX other (tenant_id=?)'], 50_000, stats)).toBe(50_000);
  });
});
