import os from 'node:os';
import pg from 'pg';
import { Sequelize } from 'sequelize';
import type { OrmAIAdapter } from '@ormai/core';
import { sequelizeAdapter, type SequelizeAdapterOptions } from '@ormai/sequelize';
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
  /**
   * The OrmAI adapter with these options, one per setting for the whole run: each opens a read pool of up
   * to 16 connections that stays open until the process ends, and PostgreSQL allows 100 in all.
   */
  adapter(options?: Pick<SequelizeAdapterOptions, 'genericPlans'>): OrmAIAdapter;
}

export async function openEnvironment(url: string, scale: number): Promise<BenchEnvironment> {
  const options = `-c search_path=${SCHEMA}`;
  const sequelize = new Sequelize(url, { logging: false, dialectOptions: { options }, pool: { max: 16 } });
  const raw = new pg.Pool({ connectionString: url, options, max: 16 });
  const adapters = new Map<string, OrmAIAdapter>();
  const models = defineModels(sequelize);
  const adapter = (options: Pick<SequelizeAdapterOptions, 'genericPlans'> = {}) => {
    const key = String(options.genericPlans ?? 'auto');
    if (!adapters.has(key)) adapters.set(key, sequelizeAdapter(sequelize, options));
    return adapters.get(key)!;
  };
  return { url, sequelize, raw, models, scale, adapter };
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
