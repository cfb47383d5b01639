import type { PartialBudgets } from '@ormai/core';
import type { LintFinding } from './lint-finding.js';
import type { ModelView } from './policy-view.js';

export const HUGE_SCAN_ROWS = 1_000_000;
export const MAX_JOIN_DEPTH = 3;
export const MAX_WRITES_PER_MINUTE = 20;

/** The budget layers as a file states them: loose, so a policy that fails validation is still checked. */
export interface BudgetLayers {
  budgets?: PartialBudgets | undefined;
  toolBudgets?: Partial<Record<string, PartialBudgets | undefined>> | undefined;
  models?: Record<string, { budgets?: PartialBudgets | undefined } | undefined> | undefined;
}

const asLayers = (value: unknown): BudgetLayers => (typeof value === 'object' && value !== null ? (value as BudgetLayers) : {});

/**
 * maxScanRows above a million (the scan budget then stops nothing a database can survive) or unset in the
 * file as written (the profile's applies, which for DEV is a million), and maxJoinDepth above 3, at every layer.
 */
export function lintBudgets(policy: unknown, stated?: unknown): LintFinding[] {
  const layers = asLayers(policy);
  const at: Array<[string, PartialBudgets | undefined]> = [
    ['budgets', layers.budgets],
    ...Object.entries(layers.toolBudgets ?? {}).map(([tool, b]): [string, PartialBudgets | undefined] => [`toolBudgets.${tool}`, b]),
    ...Object.entries(layers.models ?? {}).map(([model, spec]): [string, PartialBudgets | undefined] => [`models.${model}.budgets`, spec?.budgets]),
  ];
  const findings: LintFinding[] = [];
  for (const [where, budgets] of at) {
    const scan = budgets?.maxScanRows;
    if (typeof scan === 'number' && scan > HUGE_SCAN_ROWS) {
      findings.push({ rule: 'scan-budget', severity: 'error', at: `${where}.maxScanRows`, message: `${where}.maxScanRows is ${scan}: above ${HUGE_SCAN_ROWS}, an unbounded query runs before anything stops it; lower it` });
    }
    const depth = budgets?.maxJoinDepth;
    if (typeof depth === 'number' && depth > MAX_JOIN_DEPTH) {
      findings.push({ rule: 'join-depth', severity: 'error', at: `${where}.maxJoinDepth`, message: `${where}.maxJoinDepth is ${depth}: above ${MAX_JOIN_DEPTH}, nested includes multiply rows and reach far from the asked model` });
    }
  }
  if (stated !== undefined && asLayers(stated).budgets?.maxScanRows === undefined) {
    const inherited = layers.budgets?.maxScanRows;
    findings.push({ rule: 'scan-budget', severity: 'warning', at: 'budgets.maxScanRows', message: `budgets.maxScanRows is not stated: the profile's ${inherited ?? 'default'} applies; state the scan budget your tables need` });
  }
  return findings;
}

/** Writes without a required reason, and write rates above the conservative default. */
export function lintWrites(models: ModelView[]): LintFinding[] {
  const findings: LintFinding[] = [];
  for (const model of models) {
    const write = model.write;
    if (!write || !write.operations.length) continue;
    const at = `${model.name}.write`;
    if (!write.requireReason) {
      findings.push({ rule: 'write-without-reason', severity: 'error', at: `${at}.requireReason`, message: `${model.name} allows ${write.operations.join(', ')} without a reason: set requireReason: true so every change is explained in the audit log` });
    }
    if (write.maxWritesPerMinute > MAX_WRITES_PER_MINUTE) {
      findings.push({ rule: 'write-rate', severity: 'warning', at: `${at}.maxWritesPerMinute`, message: `${model.name} allows ${write.maxWritesPerMinute} writes per minute (above ${MAX_WRITES_PER_MINUTE}): a runaway agent changes that many rows before anyone looks` });
    }
  }
  return findings;
}
