import { z } from 'zod';
import type { AuditPolicy, ApprovalRule, Budgets, FieldRule, GenericToolName, MaskStrategy, ModelPolicy, PartialBudgets, Policy, QuotaName, Quotas, ReadToolName, TenantScope, WriteOperation, WritePolicy } from '../spec/policy.js';
import type { ToolName } from '../spec/tools.js';
import type { Assert, Same } from '../spec/type-assert.js';

const MASK_STRATEGIES = ['email', 'last4', 'full', 'hash', 'sanitize'] as const;
const FIELD_RULES = ['allow', 'deny', ...MASK_STRATEGIES] as const;
export const READ_TOOL_NAMES = ['db_describe_schema', 'db_query', 'db_get', 'db_aggregate'] as const;
export const WRITE_OPERATIONS = ['create', 'update', 'delete', 'bulk_update'] as const;
export const GENERIC_TOOL_NAMES = [...READ_TOOL_NAMES, 'db_create', 'db_update', 'db_delete', 'db_bulk_update', 'db_preview_write', 'db_approval_status'] as const;

const name = z.string().min(1).max(128);
const positiveInt = z.number().int().positive();

export const maskStrategySchema = z.enum(MASK_STRATEGIES);
const fieldRuleSchema = z.enum(FIELD_RULES);

export const budgetsSchema = z.strictObject({
  maxRows: positiveInt.max(10_000),
  maxScanRows: positiveInt,
  statementTimeoutMs: positiveInt.max(600_000),
  maxJoinDepth: z.number().int().min(0).max(3),
});

export const partialBudgets = budgetsSchema.partial();

/** A tool switch: the generic tools offered (`[]`: none). */
export const toolSwitchSchema = z.array(z.enum(GENERIC_TOOL_NAMES));

export const tenantScopeSchema = z.union([z.strictObject({ field: name }), z.literal(false)]);

/** A filter tree as plain data; approval predicates use the same shape as db_query's `where`. */
const filterData: z.ZodType<unknown> = z.lazy(() =>
  z.union([
    z.strictObject({ field: name, op: z.string(), value: z.unknown().optional() }),
    z.strictObject({ and: z.array(filterData) }),
    z.strictObject({ or: z.array(filterData) }),
    z.strictObject({ not: filterData }),
  ]),
);

const approvalRuleSchema = z.strictObject({
  name: name,
  operations: z.array(z.enum(WRITE_OPERATIONS)).min(1),
  /** Gate only when one of these fields gets a new value. */
  fieldsChanged: z.array(name).min(1).optional(),
  /** Gate only when the row's new values match (same tree as db_query's where). */
  when: filterData.optional(),
  approverRoles: z.array(name).min(1),
  slaMs: z.number().int().positive(),
});

const writePolicySchema = z.strictObject({
  create: z.boolean().optional(),
  update: z.boolean().optional(),
  delete: z.union([z.boolean(), z.literal('soft')]).optional(),
  bulkUpdate: z.boolean().optional(),
  /** Allow-list of fields the agent may set. The tenant field and primary key never are. */
  writableFields: z.array(name),
  /** Masked fields (email/last4/full) the agent may set without ever reading them in clear; each is also in writableFields. */
  maskedWritableFields: z.array(name).optional(),
  /** Writable fields under a unique constraint whose answer (value taken or free) the agent may learn; see the README. */
  acknowledgeUniqueOracle: z.array(name).optional(),
  /** Set to now (date) or true (boolean) by a soft delete; rows where it is set are invisible to reads. */
  softDeleteField: name.optional(),
  requireReason: z.boolean().optional(),
  maxAffectedRows: positiveInt.max(10_000).optional(),
  maxWritesPerMinute: positiveInt.optional(),
  dryRunAbove: z.number().int().min(0).optional(),
  approvals: z.array(approvalRuleSchema).optional(),
});

export const modelPolicySchema = z.strictObject({
  fields: z.record(name, fieldRuleSchema).optional(),
  defaultField: z.enum(['allow', 'deny']).optional(),
  relations: z.array(name).optional(),
  tenantScope: tenantScopeSchema.optional(),
  budgets: partialBudgets.optional(),
  write: writePolicySchema.optional(),
  tools: toolSwitchSchema.optional(),
});

const days = z.number().int().positive().max(36_500);

export const auditRetentionSchema = z.strictObject({ hotDays: days, warmDays: days, coldDays: days });

export const DEFAULT_AUDIT_RETENTION = { hotDays: 90, warmDays: 365, coldDays: 7 * 365 };

export const auditPolicySchema = z.strictObject({
  onFailure: z.enum(['fail_closed', 'continue']),
  retention: auditRetentionSchema,
  subjects: z.record(name, z.strictObject({ references: z.record(name, name).optional() })),
});

export const QUOTA_NAMES = ['toolCallsPerMinute', 'rowsPerHour', 'rowsPerDay', 'writesPerDay'] as const;

export const quotasSchema = z.strictObject({
  toolCallsPerMinute: positiveInt.optional(),
  rowsPerHour: positiveInt.optional(),
  rowsPerDay: positiveInt.optional(),
  writesPerDay: positiveInt.optional(),
  // A policy serialized without it fails closed.
  onStoreFailure: z.enum(['fail_closed', 'continue']).default('fail_closed'),
});

/** The serialized policy: plain JSON, the artifact an auditor reads. `definePolicy` always returns this shape. */
export const policySchema = z.strictObject({
  version: z.literal(1),
  profile: z.enum(['prod', 'internal', 'dev']),
  readOnly: z.boolean(),
  requireReason: z.boolean(),
  tenantScope: tenantScopeSchema,
  denyFields: z.array(z.string().min(1)),
  maskFields: z.record(z.string().min(1), maskStrategySchema),
  budgets: budgetsSchema,
  toolBudgets: z.partialRecord(z.enum(READ_TOOL_NAMES), partialBudgets),
  models: z.record(name, modelPolicySchema),
  // A policy serialized before audit settings existed fails closed.
  audit: auditPolicySchema.default({ onFailure: 'fail_closed', retention: DEFAULT_AUDIT_RETENTION, subjects: {} }),
  quotas: quotasSchema.optional(),
  tools: toolSwitchSchema.optional(),
});

// The schemas implement the types of spec/policy.ts: these fail to compile if the two drift apart.
type SchemaChecks = [
  Assert<Same<z.infer<typeof maskStrategySchema>, MaskStrategy>>,
  Assert<Same<z.infer<typeof fieldRuleSchema>, FieldRule>>,
  Assert<Same<z.infer<typeof budgetsSchema>, Budgets>>,
  Assert<Same<z.infer<typeof partialBudgets>, PartialBudgets>>,
  Assert<Same<z.infer<typeof tenantScopeSchema>, TenantScope>>,
  Assert<Same<z.infer<typeof approvalRuleSchema>, ApprovalRule>>,
  Assert<Same<z.infer<typeof writePolicySchema>, WritePolicy>>,
  Assert<Same<z.infer<typeof modelPolicySchema>, ModelPolicy>>,
  Assert<Same<z.infer<typeof auditPolicySchema>, AuditPolicy>>,
  Assert<Same<z.infer<typeof quotasSchema>, Quotas>>,
  Assert<Same<(typeof QUOTA_NAMES)[number], QuotaName>>,
  Assert<Same<z.infer<typeof policySchema>, Policy>>,
  Assert<Same<(typeof READ_TOOL_NAMES)[number], ReadToolName>>,
  Assert<Same<(typeof WRITE_OPERATIONS)[number], WriteOperation>>,
  Assert<Same<(typeof GENERIC_TOOL_NAMES)[number], GenericToolName>>,
  Assert<Same<GenericToolName, ToolName>>,
];
