import { existsSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Sequelize } from 'sequelize';
import { DATA_VERSION, EVENT_ROWS, KINDS, SKEWED_ROWS, TENANTS } from '../dataset.js';

/**
 * The PostgreSQL dataset's read tables (events, notes, tags, skewed_events) in a SQLite file, same rows
 * and indexes (md5 and hashint4 replaced by a multiplicative hash), for the SQLite estimator accuracy.
 * Kept in the system's temporary directory per DATA_VERSION. Not analyzed: sqlite_stat1 stays empty,
 * as in an application that never runs ANALYZE.
 */
const HASH = (x: string) => `((${x} * 2654435761) % 4294967296)`;
const SERIES = (rows: number) => `WITH RECURSIVE g(x) AS (SELECT 0 UNION ALL SELECT x + 1 FROM g WHERE x < ${rows - 1})`;

const BUILD = [
  `CREATE TABLE events (id INTEGER PRIMARY KEY, tenant_id VARCHAR(32) NOT NULL, kind VARCHAR(32) NOT NULL, amount INTEGER NOT NULL, payload TEXT NOT NULL, created_at DATETIME NOT NULL)`,
  `${SERIES(EVENT_ROWS)} INSERT INTO events SELECT x + 1, 't' || (x % ${TENANTS}), 'k' || ((x / ${TENANTS}) % ${KINDS}), (x * 7919) % 10000,
    printf('%08x%08x', ${HASH('x')}, ${HASH('(x + 7)')}), strftime('%Y-%m-%d %H:%M:%S.000 +00:00', '2024-01-01', '+' || x || ' minutes') FROM g`,
  `CREATE INDEX events_tenant_kind ON events (tenant_id, kind)`,
  `CREATE INDEX events_tenant_id ON events (tenant_id, id)`,
  `CREATE TABLE notes (id INTEGER PRIMARY KEY, tenant_id VARCHAR(32) NOT NULL, event_id INTEGER NOT NULL, body TEXT NOT NULL)`,
  `INSERT INTO notes (tenant_id, event_id, body) SELECT tenant_id, id, 'note ' || id FROM events WHERE ${HASH('id')} % 4 = 0
    UNION ALL SELECT tenant_id, id, 'follow-up ' || id FROM events WHERE ${HASH('id')} % 8 = 0`,
  `CREATE INDEX notes_tenant_event ON notes (tenant_id, event_id)`,
  `CREATE TABLE tags (id INTEGER PRIMARY KEY, tenant_id VARCHAR(32) NOT NULL, event_id INTEGER NOT NULL, label TEXT NOT NULL)`,
  `INSERT INTO tags (tenant_id, event_id, label) SELECT tenant_id, id, 'tag-' || (id % 7) FROM events WHERE ${HASH('(id + 1)')} % 10 = 0`,
  `CREATE TABLE skewed_events (id INTEGER PRIMARY KEY, tenant_id VARCHAR(32) NOT NULL, status VARCHAR(16) NOT NULL, amount INTEGER NOT NULL)`,
  `${SERIES(SKEWED_ROWS)} INSERT INTO skewed_events SELECT x + 1, CASE WHEN x % 2 = 0 THEN 'big' ELSE 't' || (x % ${TENANTS}) END,
    CASE WHEN x % 10 = 0 THEN 'open' ELSE 'done' END, x % 1000 FROM g`,
  `CREATE INDEX skewed_tenant_status ON skewed_events (tenant_id, status)`,
  `CREATE INDEX skewed_tenant_id ON skewed_events (tenant_id, id)`,
];

/** The SQLite file, built when missing; returns its path. */
export async function ensureSqliteDataset(): Promise<string> {
  const dir = path.join(os.tmpdir(), 'ormai-bench');
  const file = path.join(dir, `data-v${DATA_VERSION}.sqlite`);
  if (existsSync(file)) return file;
  await mkdir(dir, { recursive: true });
  const building = `${file}.${process.pid}.building`;
  const sequelize = new Sequelize({ dialect: 'sqlite', storage: building, logging: false });
  try {
    for (const statement of BUILD) await sequelize.query(statement);
  } finally {
    await sequelize.close();
  }
  await rename(building, file).catch(async (error) => {
    await rm(building, { force: true });
    throw error;
  });
  return file;
}
