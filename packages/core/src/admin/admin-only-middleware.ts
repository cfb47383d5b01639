import { errors } from '../errors.js';
import type { RunContext } from '../spec/context.js';
import type { CallMiddleware } from '../spec/pipeline.js';

/** The pipeline's own record of an approval that expired: it already happened, and its context is the system's. */
const SYSTEM_ACTIONS = new Set(['approvals.expire']);

const holdsRole = (context: RunContext | null, roles: ReadonlySet<string>): boolean =>
  Array.isArray(context?.roles) && context.roles.some((role) => roles.has(role));

/**
 * Refuses every call (tools and approval decisions) whose principal holds none of `adminRoles`, with
 * `invalid_context`: the host handed the admin instance a context it must not, nothing the agent can fix.
 * It runs inside the audit, so each refusal is a record of the admin channel.
 */
export function adminOnlyMiddleware(adminRoles: readonly string[]): CallMiddleware {
  const roles = new Set(adminRoles);
  return {
    name: 'admin-only',
    wrapCall(call, next) {
      if (SYSTEM_ACTIONS.has(call.action) || holdsRole(call.context, roles)) return next();
      return Promise.resolve({ ok: false, error: errors.invalidContext().toJSON() });
    },
  };
}
