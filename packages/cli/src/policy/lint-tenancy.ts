import type { Policy, SchemaInfo } from '@ormai/core';
import type { LintFinding } from './lint-finding.js';
import type { ModelView } from './policy-view.js';

/** The model has the attribute (or column) the policy scopes tenants on: its rows belong to tenants. */
function hasTenantField(schema: SchemaInfo, model: string, tenantFields: Set<string>): string | null {
  const fields = Object.values(schema.models[model]?.fields ?? {});
  return fields.find((f) => tenantFields.has(f.name) || (f.column !== undefined && tenantFields.has(f.column)))?.name ?? null;
}

/**
 * A tenant-scoped model joined to a tenant-free one: the joined rows are every tenant's. Fine for real
 * reference data (a product catalogue), an error when the target holds a tenant field after all.
 */
export function lintTenancy(models: ModelView[], policy: Policy, schema: SchemaInfo | undefined): LintFinding[] {
  const byName = new Map(models.map((m) => [m.name, m]));
  const tenantFields = new Set(models.map((m) => m.tenantField).filter((f): f is string => f !== null));
  if (policy.tenantScope !== false) tenantFields.add(policy.tenantScope.field);
  const findings: LintFinding[] = [];
  const scopedButFree = new Set<string>();
  if (schema) {
    for (const model of models.filter((m) => m.tenantField === null)) {
      const field = hasTenantField(schema, model.name, tenantFields);
      if (field) {
        scopedButFree.add(model.name);
        findings.push({ rule: 'unscoped-tenant-data', severity: 'error', at: model.name, message: `${model.name} has the tenant field '${field}' but is marked tenant-free: the agent reads every tenant's rows; scope it` });
      }
    }
  }
  for (const model of models.filter((m) => m.tenantField !== null)) {
    for (const relation of model.relations) {
      // Without a schema the target is unknown (null): nothing to check.
      const target = relation.target === null ? undefined : byName.get(relation.target);
      if (!target || target.tenantField !== null) continue;
      const at = `${model.name}.${relation.name}`;
      if (scopedButFree.has(target.name)) {
        findings.push({ rule: 'tenant-join', severity: 'error', at, message: `${at} joins tenant-scoped ${model.name} to ${target.name}, which holds tenant data without a tenant scope: included rows may be another tenant's` });
      } else {
        findings.push({ rule: 'tenant-join', severity: 'warning', at, message: `${at} joins tenant-scoped ${model.name} to ${target.name}, which has no tenant field: every tenant sees the same ${target.name} rows; make sure it is shared reference data` });
      }
    }
  }
  return findings;
}
