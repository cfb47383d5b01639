import type { ErrorCode } from '../../spec/errors.js';
import type { AlertDetector } from './alert.js';
import { againstBaseline, perWindow, rateDetector, type RateThresholds } from './rate-detector.js';

/** Refusals that mean "the policy said no": a burst of them is an agent probing, or a policy change gone wrong. */
export const POLICY_DENIALS: readonly ErrorCode[] = [
  'model_not_allowed',
  'field_not_allowed',
  'relation_not_allowed',
  'operator_not_allowed',
  'tenant_mismatch',
  'write_not_allowed',
  'reason_required',
  'approver_not_allowed',
];

export interface DenialSpikeOptions extends RateThresholds {
  /** Which decisions count. Default: `POLICY_DENIALS`. */
  codes?: readonly ErrorCode[] | undefined;
}

/** Alerts when policy denials per window reach the threshold and (by default) 3x their usual rate. Defaults: 20 per minute, baseline over 30 minutes. */
export function denialSpikeDetector(options: DenialSpikeOptions = {}): AlertDetector {
  const codes = new Set<string>(options.codes ?? POLICY_DENIALS);
  return rateDetector(
    {
      name: 'denial-spike',
      kind: 'denial_spike',
      severity: 'warning',
      measure: (event) => (codes.has(event.decision) ? 1 : 0),
      message: (count, windowMs, baseline) => `${count} policy denials in ${perWindow(windowMs)}${againstBaseline(baseline)}`,
      defaults: { windowMs: 60_000, threshold: 20, baselineMultiple: 3, baselineWindows: 30 },
    },
    options,
  );
}
