/** One difference between two policies, in words. `grant`: the agent can do or see more; `restrict`: less. */
export type ChangeEffect = 'grant' | 'restrict' | 'change';

export const DIFF_GROUPS = ['profile', 'models', 'tools', 'tenancy', 'fields', 'relations', 'writes', 'reasons', 'approvals', 'budgets', 'quotas', 'audit'] as const;
export type DiffGroup = (typeof DIFF_GROUPS)[number];

export interface PolicyChange {
  group: DiffGroup;
  effect: ChangeEffect;
  /** Where: `Customer.email`, `budgets.maxRows`, `Order.write.approvals.refund`... */
  at: string;
  message: string;
}

/** Higher is more permissive: a number going up grants, down restricts. */
export function byNumber(group: DiffGroup, at: string, what: string, before: number | undefined, after: number | undefined): PolicyChange[] {
  if (before === after) return [];
  if (before === undefined) return [{ group, effect: 'restrict', at, message: `${what}: limited to ${after} (was not limited)` }];
  if (after === undefined) return [{ group, effect: 'grant', at, message: `${what}: no longer limited (was ${before})` }];
  return [{ group, effect: after > before ? 'grant' : 'restrict', at, message: `${what}: ${after > before ? 'raised' : 'lowered'} from ${before} to ${after}` }];
}
