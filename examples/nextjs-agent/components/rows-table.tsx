type Row = Record<string, unknown>;

/** Included rows of a to-one relation become `relation.field` columns; to-many ones show as a count. */
function flatten(row: Row): Row {
  const flat: Row = {};
  for (const [key, value] of Object.entries(row)) {
    if (Array.isArray(value)) flat[key] = `${value.length} row(s)`;
    else if (value && typeof value === 'object') for (const [inner, v] of Object.entries(value as Row)) flat[`${key}.${inner}`] = v;
    else flat[key] = value;
  }
  return flat;
}

const cell = (value: unknown) => (value === null || value === undefined ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value));

/** Rows exactly as OrmAI returned them: only readable fields, masked values stay masked. */
export function RowsTable({ rows }: { rows: Row[] }) {
  if (rows.length === 0) return <p className="muted">No rows.</p>;
  const flat = rows.map(flatten);
  const columns = [...new Set(flat.flatMap((row) => Object.keys(row)))];
  return (
    <div className="table-wrap">
      <table data-testid="rows-table">
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c}>{c}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {flat.map((row, i) => (
            <tr key={i}>
              {columns.map((c) => (
                <td key={c} data-column={c}>
                  {cell(row[c])}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
