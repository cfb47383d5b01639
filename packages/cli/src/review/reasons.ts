/** Why a write's reason says too little to explain the change to an auditor. */
export type ReasonFlag = 'empty' | 'short' | 'generic' | 'repeated';

/** Shorter than this (after trimming) explains nothing: 'fix', 'per ticket'. */
export const MIN_REASON_CHARS = 10;
/** The same reason, verbatim, on this many distinct writes reads as pasted boilerplate. */
export const REPEATED_AT = 3;

const GENERIC = new Set([
  'fix', 'fixed', 'fixes', 'bug fix', 'bugfix', 'data fix', 'update', 'updated', 'updates', 'update record', 'change', 'changed', 'changes',
  'edit', 'edited', 'correction', 'correct', 'cleanup', 'clean up', 'adjust', 'adjustment', 'misc', 'test', 'testing', 'n/a', 'na', 'none',
  'ok', 'done', 'wip', 'todo', 'as requested', 'per request', 'requested', 'customer request', 'per customer', 'user request', 'see ticket',
  'agent update', 'automated update', 'no reason', 'reason', 'because',
]);

const normalized = (reason: string) => reason.trim().toLowerCase().replace(/[.!\s]+$/, '').replace(/\s+/g, ' ');

interface Reasoned {
  id: string;
  reason: string | null;
  erased: boolean;
  /** Writes of one approval (the request, its execution) share a reason: they count once. */
  approvalId: string | null;
}

/** Flags each write's reason; an erased payload's missing reason is not flagged. */
export function flagReasons<T extends Reasoned>(writes: readonly T[]): Array<T & { flags: ReasonFlag[] }> {
  const writesByReason = new Map<string, Set<string>>();
  for (const w of writes) {
    if (!w.reason?.trim()) continue;
    const key = w.reason.trim();
    const seen = writesByReason.get(key) ?? new Set<string>();
    seen.add(w.approvalId ?? w.id);
    writesByReason.set(key, seen);
  }
  return writes.map((w) => {
    const flags: ReasonFlag[] = [];
    const text = w.reason?.trim() ?? '';
    if (!text) {
      if (!w.erased) flags.push('empty');
    } else {
      if (text.length < MIN_REASON_CHARS) flags.push('short');
      if (GENERIC.has(normalized(text))) flags.push('generic');
      if ((writesByReason.get(text)?.size ?? 0) >= REPEATED_AT) flags.push('repeated');
    }
    return { ...w, flags };
  });
}
