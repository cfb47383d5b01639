import os from 'node:os';
import pg from 'pg';
import { Sequelize } from 'sequelize';
import { SCHEMA } from './dataset.js';
import { defineModels, type BenchModels } from './models.js';

/** What every scenario runs against: one Sequelize instance (pool of 16), one raw pg pool (16), the models. */
export interface BenchEnvironment {
  url: string;
  sequelize: Sequelize;
  raw: pg.Pool;
  models: BenchModels;
  /** Scales iteration counts (`--quick` runs a fraction, for checking the harness). */
  scale: number;
}

export async function openEnvironment(url: string, scale: number): Promise<BenchEnvironment> {
  const options = `-c search_path=${SCHEMA}`;
  const sequelize = new Sequelize(url, { logging: false, dialectOptions: { options }, pool: { max: 16 } });
  const raw = new pg.Pool({ connectionString: url, options, max: 16 });
  return { url, sequelize, raw, models: defineModels(sequelize), scale };
}

export async function closeEnvironment(env: BenchEnvironment): Promise<void> {
  await env.sequelize.close();
  await env.raw.end();
}

export async function machine(env: BenchEnvironment) {
  const { rows } = await env.raw.query('SHOW server_version');
  const cpus = os.cpus();
  return {
    cpu: `${cpus.length} x ${cpus[0]?.model ?? 'unknown'}`,
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    postgres: String(rows[0]?.server_version ?? 'unknown'),
    loadAverage: os.loadavg().map((n) => Number(n.toFixed(2))),
  };
}

/**
 * Counts statements sent to PostgreSQL by any pg client in this process (OrmAI's read pool included,
 * whatever path they take), by wrapping `pg.Client.prototype.query`. Not for timing runs.
 */
export function countStatements(): { take(): string[]; stop(): void } {
  const proto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = proto.query;
  let seen: string[] = [];
  proto.query = function (this: unknown, ...args: unknown[]) {
    const first = args[0] as string | { text?: string };
    seen.push(typeof first === 'string' ? first : (first?.text ?? ''));
    return original.apply(this, args);
  };
  return {
    take: () => {
      const out = seen;
      seen = [];
      return out;
    },
    stop: () => {
      proto.query = original;
    },
  };
}
