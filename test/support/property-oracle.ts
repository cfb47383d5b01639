import { createHmac } from 'node:crypto';
import { Op, type WhereOptions } from 'sequelize';
import { maskValue, type MaskStrategy } from '@ormai/core';
import type { Dialect } from './databases.js';
import { MAX_ROWS, PROPERTY_SECRET, TENANT_A, type PropertyModels } from './property-schema.js';

/**
 * The differential oracle: what a careful developer would write by hand for tenant A with Sequelize
 * (tenant predicate, the filter translated operator by operator, paranoid rows left to Sequelize),
 * projected and masked as the policy says. OrmAI compiles its own SQL, so agreement is not circular.
 */

/** The policy's masks for the oracle's fields (DEFAULT_PROD's *email* and *phone*, the spec's *loyalty*). */
const MASKS: Record<string, Record<string, MaskStrategy>> = { Customer: { email: 'email', phone: 'last4', loyaltyCode: 'hash' } };

/** Mirrors core's key derivation for the hash mask (an HMAC of the purpose under the instance secret). */
const HASH_KEY = new Uint8Array(createHmac('sha256', PROPERTY_SECRET).update('ormai:mask-hash').digest());

type Filter = { field: string; op: string; value?: unknown } | { and: Filter[] } | { or: Filter[] } | { not: Filter };

const DATE_FIELDS = new Set(['placedAt', 'createdAt', 'updatedAt']);

export function toSequelizeWhere(filter: Filter, dialect: Dialect): WhereOptions {
  if ('and' in filter) return { [Op.and]: filter.and.map((f) => toSequelizeWhere(f, dialect)) };
  if ('or' in filter) return { [Op.or]: filter.or.map((f) => toSequelizeWhere(f, dialect)) };
  if ('not' in filter) return { [Op.not]: toSequelizeWhere(filter.not, dialect) };
  const { field, op } = filter;
  const cast = (v: unknown) => (DATE_FIELDS.has(field) && typeof v === 'string' ? new Date(v) : v);
  const value = Array.isArray(filter.value) ? filter.value.map(cast) : cast(filter.value);
  const like = dialect === 'postgres' ? Op.iLike : Op.like; // SQLite's LIKE ignores ASCII case
  const condition = {
    eq: { [Op.eq]: value },
    ne: { [Op.ne]: value },
    gt: { [Op.gt]: value },
    gte: { [Op.gte]: value },
    lt: { [Op.lt]: value },
    lte: { [Op.lte]: value },
    in: { [Op.in]: value },
    not_in: { [Op.notIn]: value },
    between: { [Op.between]: value },
    is_null: value === false ? { [Op.ne]: null } : { [Op.is]: null },
    contains: { [like]: `%${String(value)}%` },
    starts_with: { [like]: `${String(value)}%` },
    ends_with: { [like]: `%${String(value)}` },
  }[op];
  if (!condition) throw new Error(`oracle: no translation for ${op}`);
  return { [field]: condition };
}

const tenantWhere = (filter: Filter | undefined, dialect: Dialect): WhereOptions =>
  filter ? { [Op.and]: [{ tenantId: TENANT_A }, toSequelizeWhere(filter, dialect)] } : { tenantId: TENANT_A };

/** A row as the agent should see it: the selected fields, masked by the policy, dates as JSON gives them. */
export function project(model: string, row: Record<string, unknown>, fields: string[]): Record<string, unknown> {
  const masks = MASKS[model] ?? {};
  return Object.fromEntries(
    fields.map((field) => {
      const raw = row[field] instanceof Date ? (row[field] as Date).toISOString() : (row[field] ?? null);
      return [field, masks[field] ? maskValue(masks[field]!, raw, HASH_KEY) : raw];
    }),
  );
}

export interface OracleQuery {
  model: keyof PropertyModels;
  select: string[];
  where?: Filter;
  orderBy: Array<{ field: string; direction?: 'asc' | 'desc' }>;
  limit: number;
}

export async function oracleRows(models: PropertyModels, dialect: Dialect, query: OracleQuery): Promise<Record<string, unknown>[]> {
  const rows = await models[query.model].findAll({
    where: tenantWhere(query.where, dialect),
    order: query.orderBy.map((o) => [o.field, (o.direction ?? 'asc').toUpperCase()]),
    limit: Math.min(query.limit, MAX_ROWS),
  });
  return rows.map((r) => project(query.model, r.get({ plain: true }), query.select));
}

export async function oracleCount(models: PropertyModels, dialect: Dialect, model: keyof PropertyModels, where: Filter | undefined): Promise<number> {
  return models[model].count({ where: tenantWhere(where, dialect) });
}
