import type { AlertDetector } from './alert.js';
import { againstBaseline, perWindow, rateDetector, type RateThresholds } from './rate-detector.js';

/** Calls that change rows when they succeed (a preview changes nothing). */
const WRITE_ACTIONS = new Set(['db_create', 'db_update', 'db_delete', 'db_bulk_update', 'approvals.execute']);

export interface WriteRateOptions extends RateThresholds {
  /** Count write calls, or the rows they changed. Default 'calls'. */
  unit?: 'calls' | 'rows' | undefined;
}

/** Alerts when successful writes per window reach the threshold and (by default) 3x their usual rate. Defaults: 30 per minute, baseline over an hour. */
export function writeRateDetector(options: WriteRateOptions = {}): AlertDetector {
  const unit = options.unit ?? 'calls';
  return rateDetector(
    {
      name: 'write-rate',
      kind: 'write_rate_high',
      severity: 'warning',
      measure: (event) => {
        if (event.decision !== 'allowed' || !WRITE_ACTIONS.has(event.action)) return 0;
        return unit === 'rows' ? (event.rowsAffected ?? 0) : 1;
      },
      message: (count, windowMs, baseline) => `${count} ${unit === 'rows' ? 'rows written' : 'writes'} in ${perWindow(windowMs)}${againstBaseline(baseline)}`,
      defaults: { windowMs: 60_000, threshold: 30, baselineMultiple: 3, baselineWindows: 60 },
    },
    options,
  );
}
