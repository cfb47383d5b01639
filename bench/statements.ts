import { recordStatements } from '../test/support/pg-rows-read.js';
import type { Contender } from './measure.js';

/** Statements each contender sends per call, by their first words (values and identifiers left out). */
export async function statementsPerCall<V>(contenders: Contender<V>[], draw: () => V): Promise<Record<string, string>> {
  const counter = recordStatements();
  const out: Record<string, string> = {};
  try {
    for (const contender of contenders) {
      counter.take();
      const calls = 50;
      for (let i = 0; i < calls; i++) await contender.run(draw());
      const sent = counter.take().map((s) => s.text);
      const kinds = new Map<string, number>();
      for (const sql of sent) {
        const kind = sql.replace(/^\/\*.*?\*\/\s*/, '').split(/\s+/).slice(0, 2).join(' ').replace(/;$/, '');
        kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
      }
      out[contender.name] = `${sent.length / calls}: ${[...kinds].map(([kind, n]) => (n === calls ? kind : `${kind} x${n / calls}`)).join(', ')}`;
    }
  } finally {
    counter.stop();
  }
  return out;
}
