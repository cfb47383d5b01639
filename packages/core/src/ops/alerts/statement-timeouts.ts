import type { AlertDetector } from './alert.js';
import { perWindow, rateDetector, type RateThresholds } from './rate-detector.js';

/** Alerts when statement timeouts per window reach the threshold (default 5 per 5 minutes): slow queries, a missing index, a loaded database. */
export function statementTimeoutDetector(options: Omit<RateThresholds, 'baselineMultiple' | 'baselineWindows'> = {}): AlertDetector {
  return rateDetector(
    {
      name: 'statement-timeouts',
      kind: 'statement_timeouts',
      severity: 'warning',
      measure: (event) => (event.decision === 'statement_timeout' ? 1 : 0),
      message: (count, windowMs) => `${count} statement timeouts in ${perWindow(windowMs)}`,
      defaults: { windowMs: 300_000, threshold: 5, baselineMultiple: 0, baselineWindows: 0 },
    },
    { ...options, baselineMultiple: 0 },
  );
}
