import type { ReasonFlag } from './reasons.js';
import type { ApprovalSummary, ApprovalTurnaround } from './approvals.js';
import type { RegressionResult } from './regression.js';

/** Everything the quarterly review reports, as data: rendered to Markdown and HTML, or printed with --json. */
export interface Review {
  generatedAt: string;
  period: { days: number; since: string; until: string };
  chain: string;
  currentPolicyHash: string;
  totals: { calls: number; denials: number; writes: number; approvalRequests: number };
  denials: { byCode: DenialCount[]; byPrincipal: DenialByPrincipal[] };
  longestCalls: LongCall[];
  writes: { entries: WriteEntry[]; flagged: number; truncated: boolean };
  approvals: { summary: ApprovalSummary; requests: ApprovalTurnaround[] };
  policyHashes: PolicyHashSeen[];
  regression: RegressionResult;
}

export interface DenialCount {
  code: string;
  count: number;
  users: number;
}

export interface DenialByPrincipal {
  code: string;
  tenantId: string | null;
  userId: string | null;
  count: number;
}

export interface LongCall {
  id: string;
  at: string;
  durationMs: number;
  action: string;
  model: string | null;
  decision: string;
  tenantId: string | null;
  userId: string | null;
}

export interface WriteEntry {
  id: string;
  at: string;
  action: string;
  model: string | null;
  decision: string;
  tenantId: string | null;
  userId: string | null;
  rowsAffected: number | null;
  reason: string | null;
  /** The subject's payload was erased: the reason is gone, which is not the writer's fault. */
  erased: boolean;
  approvalId: string | null;
  flags: ReasonFlag[];
}

export interface PolicyHashSeen {
  hash: string;
  calls: number;
  firstAt: string;
  lastAt: string;
  current: boolean;
}
