import { describe, expect, it } from 'vitest';
import { longestInList } from './in-list.js';
import { estimateSqliteRowsRead, indexSearches } from './sqlite-plan-estimate.js';

describe('estimateSqliteRowsRead', () => {
  it('counts a SCAN as the whole table and a primary-key SEARCH as one row', () => {
    expect(estimateSqliteRowsRead(['SCAN t', 'USE TEMP B-TREE FOR ORDER BY'], 50_000, {})).toBe(50_000);
    expect(estimateSqliteRowsRead(['SEARCH t USING INTEGER PRIMARY KEY (rowid=?)'], 50_000, {})).toBe(1);
  });

  it('counts primary-key ranges as the table and IN lists once per key', () => {
    expect(estimateSqliteRowsRead(['SEARCH t USING INTEGER PRIMARY KEY (rowid>?)'], 50_000, {})).toBe(50_000);
    expect(estimateSqliteRowsRead(['SEARCH t USING INTEGER PRIMARY KEY (rowid=?)'], 50_000, {}, 40)).toBe(40);
    expect(estimateSqliteRowsRead(['SEARCH t USING INDEX ix_kind (kind=?)'], 50_000, { 'ix_kind/1': 250 }, 100)).toBe(25_000);
    expect(estimateSqliteRowsRead(['SEARCH t USING INDEX ix_kind (kind>?)'], 50_000, { 'ix_kind/1': 250 })).toBe(50_000);
    expect(longestInList('SELECT 1 WHERE a IN ($1, $2, $3) AND b IN ($4)')).toBe(3);
    expect(longestInList('SELECT 1')).toBe(1);
  });

  it('bounds an index search by the largest group sharing its equality prefix, and by the table when unknown', () => {
    // One tenant holds 150,000 of 153,000 rows: a search for any one tenant may read 150,000.
    const maxima = { 'tickets_tenant_id_status/1': 150_000, 'tickets_tenant_id_status/2': 135_000 };
    expect(estimateSqliteRowsRead(['SEARCH t USING INDEX tickets_tenant_id_status (tenant_id=?)'], 153_000, maxima)).toBe(150_000);
    expect(estimateSqliteRowsRead(['SEARCH t USING COVERING INDEX tickets_tenant_id_status (tenant_id=? AND status=?)'], 153_000, maxima)).toBe(135_000);
    // A range after the equalities narrows within the prefix: still bounded by it.
    expect(estimateSqliteRowsRead(['SEARCH t USING INDEX tickets_tenant_id_status (tenant_id=? AND status>?)'], 153_000, maxima)).toBe(150_000);
    expect(estimateSqliteRowsRead(['SEARCH t USING INDEX other (tenant_id=?)'], 153_000, maxima)).toBe(153_000);
  });

  it('lists the index searches whose prefixes must be measured', () => {
    const plan = ['SEARCH t USING INDEX a (x=? AND y=?)', 'SEARCH t USING INDEX b (x>?)', 'SCAN t', 'SEARCH t USING INTEGER PRIMARY KEY (rowid=?)', 'SEARCH s USING INDEX c (x=?)'];
    expect(indexSearches(plan)).toEqual([{ index: 'a', equalities: 2 }]);
  });
});
