import { RowsTable } from './rows-table';

type Output = {
  rows?: Array<Record<string, unknown>>;
  row?: Record<string, unknown> | null;
  value?: unknown;
  groups?: Array<{ key: Record<string, unknown>; value: unknown }>;
  models?: Array<{ name: string }>;
};

/** An allowed call's result: rows as a table, an aggregate as its value, anything else as JSON. */
export function ToolResult({ output }: { output: unknown }) {
  const data = (output ?? {}) as Output;
  if (Array.isArray(data.rows)) return <RowsTable rows={data.rows} />;
  if (data.row) return <RowsTable rows={[data.row]} />;
  if (Array.isArray(data.groups)) return <RowsTable rows={data.groups.map((g) => ({ ...g.key, value: g.value }))} />;
  if ('value' in data) return <p data-testid="aggregate-value">Result: {String(data.value)}</p>;
  // A domain tool's answer holding one list of rows (search_tickets: `{ tickets }`).
  const lists = Object.values(data).filter(Array.isArray);
  if (lists.length === 1 && Object.keys(data).length === 1) return <RowsTable rows={lists[0] as Array<Record<string, unknown>>} />;
  if (Array.isArray(data.models)) return <p>Models the agent may read: {data.models.map((m) => m.name).join(', ')}</p>;
  return <pre className="json">{JSON.stringify(output, null, 2)}</pre>;
}
