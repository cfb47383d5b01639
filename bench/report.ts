import { mkdir, readFile, writeFile } from 'node:fs/promises';

/** One scenario's results: a table (rows of equal keys) with notes on how it was measured. */
export interface Section {
  id: string;
  title: string;
  notes: string[];
  rows: Array<Record<string, string | number | boolean>>;
}

export interface Report {
  generatedAt: string;
  durationSeconds: number;
  machine: Record<string, unknown>;
  dataset: Record<string, unknown>;
  goals: Array<{ goal: string; measured: string; met: boolean | null }>;
  sections: Section[];
  notMeasured: string[];
}

function table(rows: Section['rows']): string {
  if (!rows.length) return '_no rows_';
  const keys = Object.keys(rows[0]!);
  const cell = (v: unknown) => String(v ?? '').replace(/\|/g, '\\|');
  return [`| ${keys.join(' | ')} |`, `|${keys.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${keys.map((k) => cell(r[k])).join(' | ')} |`)].join('\n');
}

export function toMarkdown(report: Report): string {
  const goal = (met: boolean | null) => (met === null ? 'n/a' : met ? 'met' : 'missed');
  return [
    '# OrmAI benchmark results',
    '',
    `Generated ${report.generatedAt} by \`npm run bench\` in ${report.durationSeconds} s. Ratios compare contenders of the same run.`,
    '',
    `Machine: ${Object.entries(report.machine).map(([k, v]) => `${k} ${Array.isArray(v) ? v.join('/') : v}`).join(', ')}.`,
    `Dataset: ${Object.entries(report.dataset).map(([k, v]) => `${k} ${v}`).join(', ')}.`,
    '',
    '## Goals',
    '',
    table(report.goals.map((g) => ({ goal: g.goal, measured: g.measured, status: goal(g.met) }))),
    '',
    ...report.sections.flatMap((s) => [`## ${s.title}`, '', ...s.notes.map((n) => `- ${n}`), '', table(s.rows), '']),
    '## Not measured yet',
    '',
    ...report.notMeasured.map((n) => `- ${n}`),
    '',
  ].join('\n');
}

/**
 * A partial run (`--only`) replaces its own sections in the last full report and keeps the others, each
 * new one saying when it was measured, so the published table never loses scenarios nobody re-ran.
 */
export function mergeWithPrevious(previous: Section[], fresh: Section[], measuredAt: string): Section[] {
  if (!previous.length) return fresh; // no earlier report
  const stamped = fresh.map((section) => ({ ...section, notes: [...section.notes, `Measured in a partial run at ${measuredAt}.`] }));
  const byId = new Map(stamped.map((section) => [section.id, section]));
  const merged = previous.map((section) => byId.get(section.id) ?? section);
  return [...merged, ...stamped.filter((section) => !previous.some((p) => p.id === section.id))];
}

/** The sections of the last report written to `directory` (none when there is none). */
export async function previousSections(directory: URL): Promise<Section[]> {
  try {
    return (JSON.parse(await readFile(new URL('latest.json', directory), 'utf8')) as Report).sections;
  } catch {
    return [];
  }
}

export async function writeReport(directory: URL, report: Report): Promise<void> {
  await mkdir(directory, { recursive: true });
  await writeFile(new URL('latest.json', directory), `${JSON.stringify(report, null, 2)}\n`);
  await writeFile(new URL('latest.md', directory), toMarkdown(report));
}
