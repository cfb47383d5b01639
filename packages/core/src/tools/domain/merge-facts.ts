import type { CallFacts } from '../../spec/pipeline.js';

/** A record names at most this many subjects (as collectSubjects does for one read). */
const MAX_SUBJECTS = 1_000;

/**
 * Folds what one data-handle call learned into its domain tool call's facts, for the one record of that
 * call: the first model touched, rows returned and changed (by calls that succeeded), every subject, and
 * the last write's reason and approval.
 */
export function mergeFacts(into: CallFacts, from: CallFacts, succeeded: boolean): void {
  if (into.model === undefined && from.model !== undefined) into.model = from.model;
  if (succeeded && from.rowsReturned !== undefined) into.rowsReturned = (into.rowsReturned ?? 0) + from.rowsReturned;
  if (succeeded && from.rowsAffected !== undefined) into.rowsAffected = (into.rowsAffected ?? 0) + from.rowsAffected;
  if (from.subjects?.length) {
    const all = new Map([...(into.subjects ?? []), ...from.subjects].map((s) => [`${s.model}\u0000${s.id}`, s]));
    into.subjects = [...all.values()].slice(0, MAX_SUBJECTS);
  }
  if (from.reason !== undefined) into.reason = from.reason;
  if (from.approvalId !== undefined) into.approvalId = from.approvalId;
}
