/** Caches a per-table row estimate briefly: it decides whether a statement needs a scan estimate at all. */
export class TableSizeCache {
  private readonly entries = new Map<string, { rows: number; at: number }>();
  constructor(private readonly ttlMs = 30_000) {}

  async rows(table: string, load: () => Promise<number>): Promise<number> {
    const hit = this.entries.get(table);
    if (hit && Date.now() - hit.at < this.ttlMs) return hit.rows;
    const rows = await load();
    this.entries.set(table, { rows, at: Date.now() });
    return rows;
  }
}
