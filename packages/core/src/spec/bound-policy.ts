import type { FilterNode } from './plan.js';
import type { ApprovalRule, Budgets, FieldRule, Policy, ReadToolName, WriteOperation } from './policy.js';
import type { FieldType, RelationInfo } from '../schema-info.js';
import type { FieldSanitizer } from './domain-tools.js';

/** A policy resolved against the adapter's schema by `bindPolicy`: what every tool checks against. */

/** How a key inside a JSON value is shown ('allow' when no deny or mask glob matches it). */
export type NestedKeyRule = (key: string) => FieldRule;

export interface BoundField {
  name: string;
  type: FieldType;
  rule: FieldRule;
  indexed: boolean;
  allowNull: boolean;
  values?: string[];
  /**
   * How keys inside a structured value (object or array) are shown: the policy's deny/mask globs, at any
   * depth. Set on every field, not only JSON ones: an array of JSONB or an unknown type can hold secrets too.
   */
  nested?: NestedKeyRule;
  integerBits?: 16 | 32 | 64;
  /** The field's own sanitizer (rule `sanitize`), run before core's scrub. */
  sanitizer?: FieldSanitizer;
}

/** A policy model resolved against the real schema: every list here is an allow-list the tools check against. */
export interface BoundModel {
  name: string;
  primaryKey: string;
  /** Attribute holding the tenant id, or null for tenant-free reference data. Never readable by the agent. */
  tenantField: string | null;
  fields: Record<string, BoundField>;
  readable: string[];
  filterable: string[];
  indexedFilterable: string[];
  relations: Record<string, RelationInfo>;
  relationNames: string[];
  /** Rows with this field set are soft-deleted: invisible to every read. */
  softDeleteField: { name: string; type: 'date' | 'boolean' } | null;
  /** The rows the application's default scope shows (e.g. `published = true`): part of every statement's scope. */
  applicationFilter: FilterNode | null;
  write: BoundWrite | null;
  /** Attributes holding a data subject's key (see the policy's `audit.subjects`): fetched for the audit, never returned. */
  subjectKeys: Array<{ subject: string; field: string }>;
}

export interface BoundPolicy {
  policy: Policy;
  models: Record<string, BoundModel>;
  modelNames: string[];
  anyTenantScoped: boolean;
  budgetsFor(model: BoundModel, tool: ReadToolName): Budgets;
}

export interface BoundApprovalRule extends ApprovalRule {
  whenFilter: FilterNode | null;
  /** Fields the rule looks at (fieldsChanged and those in `when`). */
  fields: string[];
  /** fieldsChanged the agent cannot read in clear: they count as changed whenever they are written. */
  blindFields: string[];
}

/** A writable foreign key into tenant-scoped data: the referenced row must exist in the caller's tenant. */
export interface BoundReference {
  field: string;
  model: string;
  targetKey: string;
}

export interface BoundWrite {
  operations: WriteOperation[];
  references: BoundReference[];
  /** `delete` marks rows instead of removing them. */
  softDelete: boolean;
  writableFields: string[];
  requireReason: boolean;
  maxAffectedRows: number;
  maxWritesPerMinute: number;
  dryRunAbove: number;
  approvals: BoundApprovalRule[];
}
