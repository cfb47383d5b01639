/** Small Markdown helpers for the reports: cells escaped so a name with `|` cannot break a table. */

const cell = (value: string | number | boolean) => String(value).replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function mdTable(columns: string[], rows: Array<Array<string | number | boolean>>): string {
  const head = `| ${columns.map(cell).join(' | ')} |`;
  const rule = `|${columns.map(() => '---').join('|')}|`;
  return [head, rule, ...rows.map((row) => `| ${row.map(cell).join(' | ')} |`)].join('\n');
}

export const code = (text: string) => `\`${text.replace(/`/g, "'")}\``;

export const list = (items: string[], empty = 'none') => (items.length ? items.map(code).join(', ') : empty);

/** 90000 -> "1 h 30 min", 2000 -> "2 s": SLAs and timeouts read as durations. */
export function duration(ms: number): string {
  const units: Array<[string, number]> = [['d', 86_400_000], ['h', 3_600_000], ['min', 60_000], ['s', 1_000], ['ms', 1]];
  const parts: string[] = [];
  let rest = ms;
  for (const [unit, size] of units) {
    const count = Math.floor(rest / size);
    if (count > 0) parts.push(`${count} ${unit}`);
    rest -= count * size;
  }
  return parts.slice(0, 2).join(' ') || '0 ms';
}

export const count = (n: number) => n.toLocaleString('en-US');
