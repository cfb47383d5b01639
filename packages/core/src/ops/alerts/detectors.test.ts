import { describe, expect, it } from 'vitest';
import type { CallEvent } from '../call-event.js';
import type { AuditDecision } from '../../spec/audit.js';
import type { AlertDetector } from './alert.js';
import { denialSpikeDetector } from './denial-spike.js';
import { statementTimeoutDetector } from './statement-timeouts.js';
import { writeRateDetector } from './write-rate.js';

// Aligned to the detectors' slices (a tenth of a minute), so "one event per slice" is exact.
const T0 = 6_000 * 100_000_000;
const MINUTE = 60_000;

function event(action: string, decision: AuditDecision, rowsAffected: number | null = null): CallEvent {
  return {
    type: 'ormai.call', time: new Date(T0).toISOString(), callId: 'c', action, decision, durationMs: 1, model: 'Order', rowsReturned: null, rowsAffected,
    tenantId: null, userId: null, sessionId: null, requestId: null, traceId: null, spanId: null, runId: null, toolCallId: null, approvalId: null,
  };
}

/** Feeds events at the given times and returns the alerts' kinds and counts, in order. */
function feed(detector: AlertDetector, events: Array<[number, CallEvent]>) {
  return events.flatMap(([at, e]) => detector.observe(e, at).map((a) => ({ at, kind: a.kind, count: a.details.count, baseline: a.details.baseline })));
}

const denied = event('db_get', 'field_not_allowed');

describe('denial spike detector', () => {
  it('alerts once when denials in a window reach the threshold, then stays quiet for the cooldown', () => {
    const detector = denialSpikeDetector({ threshold: 5, baselineMultiple: 0 });
    const alerts = feed(detector, [
      ...Array.from({ length: 4 }, (_, i) => [T0 + i * 1000, denied] as [number, CallEvent]),
      [T0 + 5000, event('db_get', 'allowed')],
      [T0 + 5000, event('db_query', 'rate_limited')], // not a policy denial
      [T0 + 6000, denied],
      [T0 + 7000, denied],
    ]);
    expect(alerts).toEqual([{ at: T0 + 6000, kind: 'denial_spike', count: 5, baseline: null }]);
  });

  it('counts a sliding window: denials spread thinner than the threshold never alert', () => {
    const detector = denialSpikeDetector({ threshold: 5, baselineMultiple: 0 });
    // Four per minute for ten minutes.
    const events = Array.from({ length: 40 }, (_, i) => [T0 + i * 15_000, denied] as [number, CallEvent]);
    expect(feed(detector, events)).toEqual([]);
  });

  it('against a baseline: a steady rate alerts only before there is history; a burst past the multiple alerts', () => {
    const detector = denialSpikeDetector({ threshold: 5, baselineMultiple: 3, baselineWindows: 5 });
    // Ten per minute (one per slice) for six minutes.
    const steady = Array.from({ length: 60 }, (_, i) => [T0 + i * 6_000, denied] as [number, CallEvent]);
    const warmUp = feed(detector, steady);
    expect(warmUp).toEqual([{ at: T0 + 4 * 6_000, kind: 'denial_spike', count: 5, baseline: null }]);
    // Then thirty at once in the seventh minute: the window holds 9 steady ones + the burst.
    const burstAt = T0 + 60 * 6_000;
    const burst = feed(detector, Array.from({ length: 30 }, () => [burstAt, denied] as [number, CallEvent]));
    expect(burst).toEqual([{ at: burstAt, kind: 'denial_spike', count: 30, baseline: 10 }]);
  });

  it('counts only the codes it is given', () => {
    const detector = denialSpikeDetector({ threshold: 2, baselineMultiple: 0, codes: ['tenant_mismatch'] });
    expect(feed(detector, [[T0, denied], [T0, denied], [T0, event('db_get', 'tenant_mismatch')]])).toEqual([]);
    expect(feed(detector, [[T0 + 1, event('db_get', 'tenant_mismatch')]])).toHaveLength(1);
  });

  it('a clock stepping back counts as standing still', () => {
    const detector = denialSpikeDetector({ threshold: 3, baselineMultiple: 0 });
    expect(feed(detector, [[T0 + MINUTE, denied], [T0, denied], [T0 - MINUTE, denied]]).map((a) => a.count)).toEqual([3]);
  });
});

describe('write rate detector', () => {
  it('counts successful writes only (not previews, reads or refusals), by calls or by rows', () => {
    const writes: Array<[number, CallEvent]> = [
      [T0, event('db_update', 'allowed', 1)],
      [T0, event('db_preview_write', 'allowed', 40)],
      [T0, event('db_update', 'reason_required')],
      [T0, event('db_query', 'allowed')],
      [T0, event('db_bulk_update', 'allowed', 40)],
      [T0, event('approvals.execute', 'allowed', 1)],
    ];
    expect(feed(writeRateDetector({ threshold: 3, baselineMultiple: 0 }), writes).map((a) => [a.kind, a.count])).toEqual([['write_rate_high', 3]]);
    expect(feed(writeRateDetector({ threshold: 4, baselineMultiple: 0 }), writes)).toEqual([]);
    expect(feed(writeRateDetector({ threshold: 42, baselineMultiple: 0, unit: 'rows' }), writes).map((a) => a.count)).toEqual([42]);
  });

  it('alerts again after the cooldown when the rate stays high', () => {
    const detector = writeRateDetector({ threshold: 2, baselineMultiple: 0, windowMs: MINUTE, cooldownMs: 5 * MINUTE });
    const write = event('db_create', 'allowed', 1);
    const atMinutes = [0, 0, 1, 1, 2, 2, 5, 5, 6, 6];
    const alerts = feed(detector, atMinutes.map((m, i) => [T0 + m * MINUTE + i, write] as [number, CallEvent]));
    expect(alerts.map((a) => (a.at - T0) / MINUTE).map(Math.floor)).toEqual([0, 5]);
  });
});

describe('statement timeout detector', () => {
  it('alerts when timeouts in the window reach the threshold', () => {
    const detector = statementTimeoutDetector({ threshold: 3, windowMs: 5 * MINUTE });
    const timeout = event('db_query', 'statement_timeout');
    expect(feed(detector, [[T0, timeout], [T0 + 2 * MINUTE, timeout], [T0 + 6 * MINUTE, timeout]])).toEqual([]); // the first left the window
    expect(feed(detector, [[T0 + 6 * MINUTE + 1, event('db_query', 'scan_budget_exceeded')]])).toEqual([]);
    expect(feed(detector, [[T0 + 6 * MINUTE + 2, timeout]])).toEqual([{ at: T0 + 6 * MINUTE + 2, kind: 'statement_timeouts', count: 3, baseline: null }]);
  });

  it('rejects a window that cannot work', () => {
    expect(() => statementTimeoutDetector({ windowMs: 0 })).toThrow(RangeError);
  });
});
