import { z } from 'zod';
import { PolicyDefinitionError } from '../errors.js';
import { canonicalJson } from './canonical-json.js';
import { sha256Hex } from '../crypto.js';
import { maskStrategySchema, modelPolicySchema, partialBudgets, policySchema, READ_TOOL_NAMES, tenantScopeSchema } from './policy-schema.js';
import type { Budgets, MaskStrategy, ModelPolicy, Policy, ReadToolName, TenantScope } from './policy-schema.js';
import { PROFILES, type PolicyProfile } from './profiles.js';

/** What a developer writes. Anything left out comes from the profile (DEFAULT_PROD when no profile is given). */
export interface PolicySpec {
  profile?: PolicyProfile | Policy['profile'];
  readOnly?: boolean;
  requireReason?: boolean;
  tenantScope?: TenantScope;
  /** Added to the profile's globs; they never replace them. */
  denyFields?: string[];
  maskFields?: Record<string, MaskStrategy>;
  budgets?: Partial<Budgets>;
  toolBudgets?: Partial<Record<ReadToolName, Partial<Budgets>>>;
  models: Record<string, ModelPolicy>;
}

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
export function definePolicy(spec: PolicySpec): Policy {
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
    budgets: { ...profile.budgets, ...input.budgets },
    toolBudgets: { ...input.toolBudgets },
    models: input.models,
  };
  const checked = policySchema.safeParse(policy);
  if (!checked.success) throw new PolicyDefinitionError(issuesToProblems(checked.error));
  return checked.data;
}

/** Stable sha-256 (hex) of the policy's canonical JSON: independent of key order. */
export function policyHash(policy: Policy): string {
  return sha256Hex(canonicalJson(policy));
}
