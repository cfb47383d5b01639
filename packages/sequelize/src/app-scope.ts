import type { ModelInfo } from '@ormai/core';
import type { ModelStatic } from 'sequelize';

/**
 * What the application hides from its own reads of a model: paranoid (soft-deleted) rows, and what
 * its defaultScope filters out or leaves out. OrmAI compiles its own SQL, so it must apply the same
 * rules itself; anything it cannot express is reported, and binding refuses the model.
 */
export interface AppScope {
  softDelete?: ModelInfo['softDelete'];
  defaultFilter?: ModelInfo['defaultFilter'];
  /** Attributes the default scope leaves out. */
  hidden: Set<string>;
  unsupported: string[];
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;

const isEqualityValue = (value: unknown): value is string | number | boolean | null =>
  value === null || typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value));

const CANNOT = (what: string) =>
  `its defaultScope ${what}, which OrmAI cannot apply to its own queries: keep the defaultScope to plain equalities in \`where\` and \`attributes.exclude\`, or leave the model out of the policy`;

function paranoidField(model: ModelStatic<any>, unsupported: string[]): AppScope['softDelete'] {
  const field = (model as unknown as { _timestampAttributes?: { deletedAt?: string } })._timestampAttributes?.deletedAt;
  if (!field) return undefined;
  if (model.getAttributes()[field]?.defaultValue !== undefined) {
    // Sequelize then treats "equals the default" as not deleted; OrmAI only knows "is null".
    unsupported.push(`its paranoid field '${field}' has a defaultValue, which OrmAI cannot apply: remove the defaultValue`);
  }
  return { field, type: 'date' };
}

/** `where: { attr: value }` with literal values only; operators, nested objects and raw SQL are refused. */
function equalities(where: unknown, attributes: Set<string>, unsupported: string[]): AppScope['defaultFilter'] {
  if (!isPlainObject(where) || Object.getOwnPropertySymbols(where).length) {
    unsupported.push(CANNOT('has a `where` with operators'));
    return undefined;
  }
  const filter: NonNullable<AppScope['defaultFilter']> = [];
  for (const [field, value] of Object.entries(where)) {
    if (!attributes.has(field) || !isEqualityValue(value)) unsupported.push(CANNOT(`has a \`where\` on '${field}' that is not a plain equality on an attribute`));
    else filter.push({ field, value });
  }
  return filter;
}

/** `attributes: [...]` or `{ exclude: [...] }` of attribute names: what is left out is hidden. */
function hiddenAttributes(spec: unknown, attributes: Set<string>, unsupported: string[]): Set<string> {
  const names = (list: unknown) => (Array.isArray(list) && list.every((a) => typeof a === 'string' && attributes.has(a)) ? (list as string[]) : null);
  if (Array.isArray(spec)) {
    const kept = names(spec);
    if (kept) return new Set([...attributes].filter((a) => !kept.includes(a)));
  } else if (isPlainObject(spec) && Object.keys(spec).every((k) => k === 'exclude' || k === 'include')) {
    const excluded = names(spec.exclude ?? []);
    const included = names(spec.include ?? []);
    if (excluded && included && included.length === 0) return new Set(excluded);
  }
  unsupported.push(CANNOT('selects `attributes` other than existing attribute names or `{ exclude: [...] }`'));
  return new Set();
}

export function appScopeOf(model: ModelStatic<any>, attributes: Set<string>): AppScope {
  const unsupported: string[] = [];
  const scope: AppScope = { hidden: new Set(), unsupported };
  const softDelete = paranoidField(model, unsupported);
  if (softDelete) scope.softDelete = softDelete;
  const defaultScope: unknown = model.options.defaultScope ?? {};
  if (!isPlainObject(defaultScope)) {
    unsupported.push(CANNOT('is not a plain object'));
    return scope;
  }
  for (const [key, value] of Object.entries(defaultScope)) {
    if (key === 'where') scope.defaultFilter = equalities(value, attributes, unsupported);
    else if (key === 'attributes') scope.hidden = hiddenAttributes(value, attributes, unsupported);
    else if (key !== 'order') unsupported.push(CANNOT(`uses \`${key}\``)); // ordering hides nothing; everything else might
  }
  if (Object.getOwnPropertySymbols(defaultScope).length) unsupported.push(CANNOT('has operator keys'));
  return scope;
}
