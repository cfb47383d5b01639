import type { CallEvent } from '../call-event.js';
import { alertAt, type Alert, type AlertDetector } from './alert.js';
import { RateWindow } from './rate-window.js';

/** When a rate alerts: at `threshold` or more per window, and (with `baselineMultiple`) at that multiple of the usual rate or more. */
export interface RateThresholds {
  windowMs?: number | undefined;
  /** The least amount per window that alerts, whatever the baseline. */
  threshold?: number | undefined;
  /** Also require the window to reach this multiple of the baseline (the average over `baselineWindows` earlier windows). 0: the threshold alone. */
  baselineMultiple?: number | undefined;
  baselineWindows?: number | undefined;
  /** After an alert, the same detector stays quiet this long. Default: one window. */
  cooldownMs?: number | undefined;
}

export interface RateDetectorSpec {
  name: string;
  kind: string;
  severity: Alert['severity'];
  /** How much an event adds (0: not counted). */
  measure(event: CallEvent): number;
  message(count: number, windowMs: number, baseline: number | null): string;
  defaults: { windowMs: number; threshold: number; baselineMultiple: number; baselineWindows: number };
}

/** A detector of "too much of something per window", the shape of every built-in rate alert. */
export function rateDetector(spec: RateDetectorSpec, thresholds: RateThresholds = {}): AlertDetector {
  const windowMs = thresholds.windowMs ?? spec.defaults.windowMs;
  const threshold = thresholds.threshold ?? spec.defaults.threshold;
  const baselineMultiple = thresholds.baselineMultiple ?? spec.defaults.baselineMultiple;
  const baselineWindows = thresholds.baselineWindows ?? spec.defaults.baselineWindows;
  const cooldownMs = thresholds.cooldownMs ?? windowMs;
  const window = new RateWindow(windowMs, baselineMultiple > 0 ? baselineWindows : 0);
  let quietUntil = -Infinity;
  return {
    name: spec.name,
    observe(event, now) {
      const amount = spec.measure(event);
      if (amount <= 0) return [];
      // The baseline is read before this event lands in the window's history.
      const baseline = window.baseline(now);
      window.add(now, amount);
      const count = window.current(now);
      if (count < threshold || now < quietUntil) return [];
      if (baselineMultiple > 0 && baseline !== null && count < baselineMultiple * baseline) return [];
      quietUntil = now + cooldownMs;
      return [
        alertAt(now, {
          kind: spec.kind,
          severity: spec.severity,
          message: spec.message(count, windowMs, baseline),
          details: { count, windowMs, threshold, baseline, baselineMultiple },
        }),
      ];
    },
  };
}

export const perWindow = (windowMs: number): string => (windowMs % 60_000 === 0 ? `${windowMs / 60_000} min` : `${windowMs / 1000} s`);
export const againstBaseline = (baseline: number | null): string => (baseline === null ? '' : ` (usual: ${Math.round(baseline * 10) / 10})`);
