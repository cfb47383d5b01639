import { createOrmAI } from '../create-ormai.js';
import { PolicyDefinitionError } from '../errors.js';
import type { AuditOptions } from '../spec/audit.js';
import type { RunContext } from '../spec/context.js';
import type { CreateOrmAIOptions, OrmAI } from '../spec/ormai.js';
import type { Policy } from '../spec/policy.js';
import { AdminConfigError } from './admin-config-error.js';
import { adminOnlyMiddleware } from './admin-only-middleware.js';

export interface CreateAdminOrmAIOptions extends Omit<CreateOrmAIOptions<Policy>, 'audit'> {
  /** A tenant-free policy: `tenantScope: false` at the top and on every model that states one. */
  policy: Policy;
  /** Every call's principal must hold one of these roles (`context.roles`); others get `invalid_context`. */
  adminRoles: readonly string[];
  /** The admin channel: required, and a sink of its own (not the tenant-scoped instances' sink). */
  audit: AuditOptions;
}

/** Where the policy is tenant-scoped: an admin instance reads across tenants, so it must say so everywhere. */
function tenantScopeProblems(policy: Policy): string[] {
  const problems = policy.tenantScope === false ? [] : ['tenantScope: an admin policy must be tenant-free (tenantScope: false)'];
  for (const [model, rules] of Object.entries(policy.models)) {
    if (rules.tenantScope !== undefined && rules.tenantScope !== false) problems.push(`models.${model}.tenantScope: an admin policy must be tenant-free (remove it or set false)`);
  }
  return problems;
}

/**
 * An OrmAI instance for admin and cross-tenant operations: a tenant-free policy, refused to any principal
 * without one of `adminRoles`, and audited to its own channel (`audit` is required). Everything else is
 * `createOrmAI`: the same tools, budgets, quotas and approvals. Keep it apart from the agent's instance:
 * give it its own sink (another table prefix or chain), so the tenant-scoped trail never holds an admin
 * record and vice versa.
 */
export function createAdminOrmAI(options: CreateAdminOrmAIOptions): OrmAI<RunContext> {
  const problems = tenantScopeProblems(options.policy);
  if (problems.length) throw new PolicyDefinitionError(problems);
  if (!Array.isArray(options.adminRoles) || !options.adminRoles.length || options.adminRoles.some((role) => typeof role !== 'string' || !role)) {
    throw new AdminConfigError('createAdminOrmAI: adminRoles must name at least one role (non-empty strings)');
  }
  if (!options.audit?.sink) throw new AdminConfigError('createAdminOrmAI: audit.sink is required: admin calls are recorded in a channel of their own');
  const { adminRoles, ...rest } = options;
  // Inside the audit (which createOrmAI keeps outermost), ahead of the host's middleware.
  return createOrmAI({ ...rest, middleware: [adminOnlyMiddleware(adminRoles), ...(options.middleware ?? [])] }) as OrmAI<RunContext>;
}
