import type { AuditHealth } from '../../spec/audit.js';
import { alertAt, type Alert, type AlertDetector } from './alert.js';

export interface AuditSinkDetectorOptions {
  /** `ormai.audit` (or anything with its `health()`). */
  audit: { health(): AuditHealth | null };
  /** After an `audit_unavailable` or `audit_records_dropped` alert, the same kind stays quiet this long. Default 60 s. */
  cooldownMs?: number | undefined;
}

/**
 * Audit trouble, from two sources: the sink's health (read on every call and on `alerts.check()`,
 * which is the only way to notice while a fail-closed audit refuses every call before it starts), and
 * `audit_unavailable` decisions (a write's record that could not be written, a full queue).
 * Alerts: `audit_sink_failing` and `audit_sink_recovered` on health changes, `audit_records_dropped`
 * when records were lost since the last such alert, `audit_unavailable` on refusals the sink's
 * health does not explain. A call's own record is queued after the middleware sees the call, so a
 * drop it causes shows on the next call or check.
 */
export function auditSinkDetector(options: AuditSinkDetectorOptions): AlertDetector {
  const cooldownMs = options.cooldownMs ?? 60_000;
  let failing = false;
  /** Drops already alerted (or there when the detector first looked: not news). */
  let droppedSeen: number | null = null;
  let dropsQuietUntil = -Infinity;
  let refusalsQuietUntil = -Infinity;

  const check = (now: number): Alert[] => {
    const health = options.audit.health();
    if (!health) return [];
    const alerts: Alert[] = [];
    const sink = health.sink;
    if (health.healthy === failing) {
      alerts.push(
        failing
          ? alertAt(now, { kind: 'audit_sink_recovered', severity: 'info', message: `audit sink '${sink}' is writing again`, details: { sink, queued: health.queued } })
          : alertAt(now, { kind: 'audit_sink_failing', severity: 'critical', message: `audit sink '${sink}' is failing`, details: { sink, queued: health.queued } }),
      );
      failing = !health.healthy;
    }
    droppedSeen ??= health.dropped;
    if (health.dropped > droppedSeen && now >= dropsQuietUntil) {
      const lost = health.dropped - droppedSeen;
      alerts.push(alertAt(now, { kind: 'audit_records_dropped', severity: 'critical', message: `${lost} audit records dropped`, details: { sink, dropped: lost, total: health.dropped } }));
      droppedSeen = health.dropped;
      dropsQuietUntil = now + cooldownMs;
    }
    return alerts;
  };

  return {
    name: 'audit-sink',
    check,
    observe(event, now) {
      const alerts = check(now);
      if (event.decision !== 'audit_unavailable' || failing || now < refusalsQuietUntil) return alerts;
      refusalsQuietUntil = now + cooldownMs;
      return [...alerts, alertAt(now, { kind: 'audit_unavailable', severity: 'critical', message: `a call was refused because it could not be audited (${event.action})`, details: { action: event.action } })];
    },
  };
}
