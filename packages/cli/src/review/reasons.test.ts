import { describe, expect, it } from 'vitest';
import { flagReasons } from './reasons.js';

const write = (id: string, reason: string | null, extra: { erased?: boolean; approvalId?: string } = {}) => ({
  id, reason, erased: extra.erased ?? false, approvalId: extra.approvalId ?? null,
});
const flagsOf = (writes: ReturnType<typeof write>[]) => Object.fromEntries(flagReasons(writes).map((w) => [w.id, w.flags]));

describe('flagReasons', () => {
  it('flags empty, short and generic reasons; passes an explanation', () => {
    expect(flagsOf([
      write('none', null), write('blank', '   '), write('fix', 'Fix.'), write('update', 'update record'), write('tiny', 'per tkt'),
      write('good', 'Customer 41 moved to Lyon (ticket 8812)'),
    ])).toEqual({ none: ['empty'], blank: ['empty'], fix: ['short', 'generic'], update: ['generic'], tiny: ['short'], good: [] });
  });

  it('does not blame the writer for a reason erased with its subject', () => {
    expect(flagsOf([write('erased', null, { erased: true })])).toEqual({ erased: [] });
  });

  it('flags a reason repeated verbatim on three writes, counting an approval request and its execution once', () => {
    const reason = 'Customer asked to change the delivery city';
    expect(flagsOf([write('a', reason), write('b', reason), write('c', reason)])).toEqual({ a: ['repeated'], b: ['repeated'], c: ['repeated'] });
    const approval = [write('request', reason, { approvalId: 'apr_1' }), write('execute', reason, { approvalId: 'apr_1' }), write('other', reason)];
    expect(flagsOf(approval)).toEqual({ request: [], execute: [], other: [] });
  });
});
