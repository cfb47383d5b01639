/** 850 ms, 12.4 s, 3 min, 2.5 h, 1.2 d: the unit a reader would say. */
export function duration(ms: number | null): string {
  if (ms === null) return '';
  const abs = Math.abs(ms);
  const round = (n: number) => (n >= 10 ? Math.round(n).toString() : n.toFixed(1).replace(/\.0$/, ''));
  if (abs < 1_000) return `${Math.round(ms)} ms`;
  if (abs < 60_000) return `${round(ms / 1_000)} s`;
  if (abs < 3_600_000) return `${round(ms / 60_000)} min`;
  if (abs < 86_400_000) return `${round(ms / 3_600_000)} h`;
  return `${round(ms / 86_400_000)} d`;
}

/** `2026-03-04 09:30` (UTC): precise enough for a review, short enough for a table. */
export const when = (isoTime: string | null): string => (isoTime ? `${isoTime.slice(0, 10)} ${isoTime.slice(11, 16)}` : '');

export const shortHash = (hash: string): string => hash.slice(0, 12);

export const principal = (tenantId: string | null, userId: string | null): string => `${userId ?? '(none)'}${tenantId ? ` @ ${tenantId}` : ''}`;

export const sla = (withinSla: boolean | null, outcome: string): string =>
  withinSla === true ? 'within SLA' : withinSla === false ? (outcome === 'pending' ? 'overdue' : 'breached') : outcome === 'pending' ? 'open' : 'no SLA';
