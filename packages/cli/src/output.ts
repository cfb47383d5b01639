import Table from 'cli-table3';
import pc from 'picocolors';

/** How a command prints: a colored table for people, or `--json` for machines (one JSON document on stdout). */
export interface Output {
  json: boolean;
  write(text: string): void;
}

export const stdoutOutput = (json: boolean): Output => ({ json, write: (text) => void process.stdout.write(text.endsWith('\n') ? text : `${text}\n`) });

/** A table of rows with the given columns; `pass`/`fail` cells colored. */
export function table(columns: string[], rows: Array<Array<string | number>>): string {
  const t = new Table({ head: columns.map((c) => pc.bold(c)), style: { head: [], border: [] } });
  for (const row of rows) t.push(row.map((cell) => (cell === 'pass' ? pc.green(cell) : cell === 'fail' ? pc.red(cell) : String(cell))));
  return t.toString();
}
