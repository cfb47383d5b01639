import type { OrmAI, RunContext, TenantRunContext } from '@ormai/core';
import type { Sequelize } from 'sequelize';

/** What one command works on: an OrmAI instance as your app builds it, and how to release it. */
export interface OrmAISetup {
  ormai: OrmAI;
  /** Closes what `setup` opened (database pools...). */
  close?: () => Promise<void>;
  /**
   * Where the SQL audit sink keeps its tables: pass `sink.location` of your `sequelizeAuditSink`.
   * `ormai audit query` and `ormai review` read them (as the audit reader role, ideally).
   */
  audit?: { sequelize: Sequelize; chain?: string | undefined; tablePrefix?: string | undefined; schema?: string | undefined } | undefined;
}

/**
 * `ormai.config.ts` (or .js/.mjs) at the project root, default export: how the CLI builds your setup and
 * which principals it probes with. Build everything inside `setup`: each command calls it once.
 */
export interface OrmAIConfig {
  setup(): Promise<OrmAISetup> | OrmAISetup;
  /** Two principals of different tenants: the probes act as `a` and look for anything of `b`. */
  principals: { a: TenantRunContext; b: TenantRunContext };
  /** A principal holding the approver roles of the policy's approval rules (probe 5 only reads their triggers). */
  approver?: RunContext;
}

/** Types the config file's default export. */
export const defineConfig = (config: OrmAIConfig): OrmAIConfig => config;
