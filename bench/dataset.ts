import { Sequelize } from 'sequelize';

/**
 * The benchmark's PostgreSQL data, generated server-side (INSERT ... SELECT generate_series) into its own
 * schema. Kept between runs when the schema already holds this DATA_VERSION; `--fresh` rebuilds it,
 * `--drop` removes it. Bump DATA_VERSION whenever the generation below changes.
 */
export const DATA_VERSION = '2';
export const SCHEMA = 'ormai_bench';
export const TENANTS = 50;
export const KINDS = 500;
export const EVENT_ROWS = 1_000_000;
export const ACCOUNTS_PER_TENANT = 200;
export const SKEWED_ROWS = 200_000;

/** Tenant `t0` .. `t49`; kind `k0` .. `k499`; each (tenant, kind) pair holds EVENT_ROWS / (TENANTS * KINDS) = 40 events. */
const eventsSql = (table: string, rows: number) => `
  CREATE TABLE ${table} (id serial PRIMARY KEY, tenant_id varchar(32) NOT NULL, kind varchar(32) NOT NULL, amount integer NOT NULL,
    payload text NOT NULL, created_at timestamptz NOT NULL);
  INSERT INTO ${table} (tenant_id, kind, amount, payload, created_at)
    SELECT 't' || (g % ${TENANTS}), 'k' || ((g / ${TENANTS}) % ${KINDS}), ((g::bigint * 7919) % 10000)::int, md5(g::text),
      timestamptz '2024-01-01' + g * interval '1 minute' FROM generate_series(0, ${rows - 1}) g;
  CREATE INDEX ${table}_tenant_kind ON ${table} (tenant_id, kind);
  CREATE INDEX ${table}_tenant_id ON ${table} (tenant_id, id);`;

const BUILD = `
  ${eventsSql('events', EVENT_ROWS)}
  ${eventsSql('events_10k', 10_000)}
  ${eventsSql('events_100k', 100_000)}
  -- Notes: one for every 4th event, a second for every 8th (has-many, indexed by tenant and event).
  CREATE TABLE notes (id serial PRIMARY KEY, tenant_id varchar(32) NOT NULL, event_id integer NOT NULL, body text NOT NULL);
  INSERT INTO notes (tenant_id, event_id, body)
    SELECT tenant_id, id, 'note ' || id FROM events WHERE abs(hashint4(id)) % 4 = 0
    UNION ALL SELECT tenant_id, id, 'follow-up ' || id FROM events WHERE abs(hashint4(id)) % 8 = 0;
  CREATE INDEX notes_tenant_event ON notes (tenant_id, event_id);
  -- Tags: a has-many whose foreign key has no index.
  CREATE TABLE tags (id serial PRIMARY KEY, tenant_id varchar(32) NOT NULL, event_id integer NOT NULL, label text NOT NULL);
  INSERT INTO tags (tenant_id, event_id, label) SELECT tenant_id, id, 'tag-' || (id % 7) FROM events WHERE abs(hashint4(id + 1)) % 10 = 0;
  -- Skewed: tenant 'big' holds half the rows; status 'done' 90% of them.
  CREATE TABLE skewed_events (id serial PRIMARY KEY, tenant_id varchar(32) NOT NULL, status varchar(16) NOT NULL, amount integer NOT NULL);
  INSERT INTO skewed_events (tenant_id, status, amount)
    SELECT CASE WHEN g % 2 = 0 THEN 'big' ELSE 't' || (g % ${TENANTS}) END, CASE WHEN g % 10 = 0 THEN 'open' ELSE 'done' END, g % 1000
    FROM generate_series(0, ${SKEWED_ROWS - 1}) g;
  CREATE INDEX skewed_tenant_status ON skewed_events (tenant_id, status);
  CREATE INDEX skewed_tenant_id ON skewed_events (tenant_id, id);
  -- Accounts: the write benchmark's rows (a small table, so writes do not disturb the read tables).
  CREATE TABLE accounts (id serial PRIMARY KEY, tenant_id varchar(32) NOT NULL, name text NOT NULL, balance integer NOT NULL);
  INSERT INTO accounts (tenant_id, name, balance)
    SELECT 't' || (g % ${TENANTS}), 'account ' || g, 0 FROM generate_series(0, ${TENANTS * ACCOUNTS_PER_TENANT - 1}) g;
  CREATE INDEX accounts_tenant_id ON accounts (tenant_id, id);
  CREATE TABLE bench_meta (version text NOT NULL);
  INSERT INTO bench_meta VALUES ('${DATA_VERSION}');`;

/** Ensures the schema holds this DATA_VERSION's data; returns whether it was (re)built. */
export async function ensureDataset(url: string, { fresh }: { fresh: boolean }): Promise<{ built: boolean; seconds: number }> {
  const admin = new Sequelize(url, { logging: false });
  const started = performance.now();
  try {
    const [rows] = await admin.query(`SELECT to_regclass('${SCHEMA}.bench_meta') IS NOT NULL AS "exists"`);
    let current: string | undefined;
    if ((rows as Array<{ exists: boolean }>)[0]?.exists) {
      const [meta] = await admin.query(`SELECT version FROM ${SCHEMA}.bench_meta`);
      current = (meta as Array<{ version: string }>)[0]?.version;
    }
    if (current === DATA_VERSION && !fresh) return { built: false, seconds: 0 };
    await admin.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`);
    await admin.query(`CREATE SCHEMA ${SCHEMA}`);
    await admin.query(`SET search_path = ${SCHEMA}; ${BUILD}`);
    for (const table of ['events', 'events_10k', 'events_100k', 'notes', 'tags', 'skewed_events', 'accounts']) {
      await admin.query(`VACUUM ANALYZE ${SCHEMA}.${table}`);
    }
    return { built: true, seconds: (performance.now() - started) / 1000 };
  } finally {
    await admin.close();
  }
}

export async function dropDataset(url: string): Promise<void> {
  const admin = new Sequelize(url, { logging: false });
  try {
    await admin.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`);
  } finally {
    await admin.close();
  }
}
