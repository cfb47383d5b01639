import { z } from 'zod';
import { PolicyDefinitionError } from '../errors.js';
import { canonicalJson } from './canonical-json.js';
import { sha256Hex } from '../crypto.js';
import { auditPolicySchema, auditRetentionSchema, DEFAULT_AUDIT_RETENTION, maskStrategySchema, modelPolicySchema, partialBudgets, policySchema, quotasSchema, READ_TOOL_NAMES, tenantScopeSchema, toolSwitchSchema } from './policy-schema.js';
import type { AuditPolicy, AuditRetention, GenericToolName, MaskStrategy, ModelPolicy, PartialBudgets, Policy, Quotas, ReadToolName, TenantFreePolicy, TenantScope } from '../spec/policy.js';
import { PROFILES, type PolicyProfile } from './profiles.js';
import { mergeBudgets } from './merge-budgets.js';

/** What a developer writes. Anything left out comes from the profile (DEFAULT_PROD when no profile is given). */
export interface PolicySpec {
  profile?: PolicyProfile | Policy['profile'];
  readOnly?: boolean;
  requireReason?: boolean;
  tenantScope?: TenantScope;
  /** Added to the profile's globs; they never replace them. */
  denyFields?: string[];
  maskFields?: Record<string, MaskStrategy>;
  budgets?: PartialBudgets;
  toolBudgets?: { [T in ReadToolName]?: PartialBudgets };
  models: Record<string, ModelPolicy>;
  /** Audit settings: failure mode (default: fail_closed in PROD, continue otherwise), retention (90d/1y/7y), subject models. */
  audit?: { onFailure?: AuditPolicy['onFailure']; retention?: Partial<AuditRetention>; subjects?: AuditPolicy['subjects'] };
  /** The generic tools offered (`[]`: domain tools only); each model's `tools` narrows it further. Absent: all. */
  tools?: GenericToolName[] | undefined;
  /**
   * Per-tenant quotas counted in the budget store (see `Quotas`). `onStoreFailure` (what reads do when
   * the store cannot answer; the issue's `budgets.onStoreFailure`) defaults to fail_closed in PROD,
   * continue otherwise. Absent: no quotas.
   */
  quotas?: (Omit<Quotas, 'onStoreFailure'> & { onStoreFailure?: Quotas['onStoreFailure'] | undefined }) | undefined;
}

/** A spec whose type shows that no model is tenant-scoped. */
interface TenantFreeSpec {
  tenantScope: false;
  models: Record<string, { tenantScope?: false | undefined }>;
}

/**
 * The policy type `definePolicy` returns for a spec type: `TenantFreePolicy` when the spec states
 * `tenantScope: false` and no model sets a `{ field }`, else `Policy` (whose calls need a `tenantId`).
 * A spec typed loosely (`any`, a JSON parse, `PolicySpec`) gets `Policy`: fail closed.
 */
export type PolicyFor<S> = 0 extends 1 & S ? Policy : [S] extends [TenantFreeSpec] ? TenantFreePolicy : Policy;

const specSchema = z.strictObject({
  profile: z.unknown().optional(),
  version: z.literal(1).optional(),
  readOnly: z.boolean().optional(),
  requireReason: z.boolean().optional(),
  tenantScope: tenantScopeSchema.optional(),
  denyFields: z.array(z.string().min(1)).optional(),
  maskFields: z.record(z.string().min(1), maskStrategySchema).optional(),
  budgets: partialBudgets.optional(),
  toolBudgets: z.partialRecord(z.enum(READ_TOOL_NAMES), partialBudgets).optional(),
  models: z.record(z.string(), modelPolicySchema),
  audit: z.strictObject({ onFailure: auditPolicySchema.shape.onFailure.optional(), retention: auditRetentionSchema.partial().optional(), subjects: auditPolicySchema.shape.subjects.optional() }).optional(),
  quotas: quotasSchema.extend({ onStoreFailure: z.enum(['fail_closed', 'continue']).optional() }).optional(),
  tools: toolSwitchSchema.optional(),
});

function resolveProfile(profile: unknown): PolicyProfile {
  if (profile === undefined) return PROFILES.prod;
  if (typeof profile === 'string' && profile in PROFILES) return PROFILES[profile as Policy['profile']];
  if (typeof profile === 'object' && profile !== null && 'name' in profile) {
    const named = (profile as PolicyProfile).name;
    if (named in PROFILES) return profile as PolicyProfile;
  }
  throw new PolicyDefinitionError(['profile must be DEFAULT_PROD, DEFAULT_INTERNAL, DEFAULT_DEV or one of their names']);
}

const issuesToProblems = (error: z.ZodError) =>
  error.issues.map((issue) => `${issue.path.join('.') || '(policy)'}: ${issue.message}`);

/**
 * Merges a spec over its profile into a complete, plain-JSON policy. The result is idempotent under
 * `definePolicy(JSON.parse(JSON.stringify(policy)))`, so the file an auditor reads is the policy that runs.
 */
export function definePolicy<S extends PolicySpec>(spec: S): PolicyFor<S> {
  const parsed = specSchema.safeParse(spec);
  if (!parsed.success) throw new PolicyDefinitionError(issuesToProblems(parsed.error));
  const input = parsed.data;
  const profile = resolveProfile(input.profile);
  if (profile.name === 'prod' && input.tenantScope === undefined) {
    // Forgetting tenant scoping must not silently mean "no scoping" in production.
    throw new PolicyDefinitionError(['tenantScope: a PROD policy must state it: { field } for multi-tenant data, or false']);
  }

  const policy: Policy = {
    version: 1,
    profile: profile.name,
    readOnly: input.readOnly ?? profile.readOnly,
    requireReason: input.requireReason ?? profile.requireReason,
    tenantScope: input.tenantScope ?? false,
    denyFields: [...new Set([...profile.denyFields, ...(input.denyFields ?? [])])],
    maskFields: { ...profile.maskFields, ...input.maskFields },
    budgets: mergeBudgets(profile.budgets, input.budgets),
    toolBudgets: { ...input.toolBudgets },
    models: input.models,
    audit: {
      onFailure: input.audit?.onFailure ?? (profile.name === 'prod' ? 'fail_closed' : 'continue'),
      retention: {
        hotDays: input.audit?.retention?.hotDays ?? DEFAULT_AUDIT_RETENTION.hotDays,
        warmDays: input.audit?.retention?.warmDays ?? DEFAULT_AUDIT_RETENTION.warmDays,
        coldDays: input.audit?.retention?.coldDays ?? DEFAULT_AUDIT_RETENTION.coldDays,
      },
      subjects: input.audit?.subjects ?? {},
    },
    ...(input.tools ? { tools: [...new Set(input.tools)] } : {}),
    ...(input.quotas ? { quotas: { ...input.quotas, onStoreFailure: input.quotas.onStoreFailure ?? (profile.name === 'prod' ? 'fail_closed' : 'continue') } } : {}),
  };
  const checked = policySchema.safeParse(policy);
  if (!checked.success) throw new PolicyDefinitionError(issuesToProblems(checked.error));
  // The runtime agrees with the type: a TenantFreeSpec binds no tenant field (and the context check stays regardless).
  return checked.data as PolicyFor<S>;
}

/** Stable sha-256 (hex) of the policy's canonical JSON: independent of key order. */
export function policyHash(policy: Policy): string {
  return sha256Hex(canonicalJson(policy));
}
