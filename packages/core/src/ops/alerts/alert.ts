import type { CallEvent } from '../call-event.js';

/** Something an operator should look at. Counts and thresholds only: no tenant data, no values. */
export interface Alert {
  /** `audit_sink_failing`, `audit_sink_recovered`, `audit_records_dropped`, `audit_unavailable`, `denial_spike`, `write_rate_high`, `statement_timeouts`, or a custom detector's. */
  kind: string;
  severity: 'info' | 'warning' | 'critical';
  /** When it was detected (the alert middleware's clock), ISO-8601. */
  time: string;
  message: string;
  details: Record<string, number | string | null>;
}

/**
 * Watches finished calls (and, with `check`, state outside them) and says when something is wrong.
 * Each detector keeps its own counts; `now` is the alert middleware's clock, so tests drive time.
 */
export interface AlertDetector {
  readonly name: string;
  observe(event: CallEvent, now: number): Alert[];
  /** For state no call shows (an audit sink failing while every call is refused before it starts): run by `alerts.check()`. */
  check?(now: number): Alert[];
}

export const alertAt = (now: number, alert: Omit<Alert, 'time'>): Alert => ({ ...alert, time: new Date(now).toISOString() });
