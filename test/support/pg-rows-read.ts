import pg from 'pg';

// What a PostgreSQL statement really read, measured with EXPLAIN ANALYZE on the plan it ran: for the scan
// guard's tests and the benchmark's estimator accuracy.

type PlanNode = Record<string, unknown> & { Plans?: PlanNode[] };

const num = (node: PlanNode, key: string) => Number(node[key] ?? 0);

/**
 * Rows a plan read: what each scan node produced plus what its filter removed, over all its loops (a bitmap
 * index scan's entries, and the rows a lossy bitmap made its heap scan recheck).
 */
export function rowsRead(node: PlanNode): number {
  const loops = Number(node['Actual Loops'] ?? 1);
  let own = 0;
  switch (node['Node Type']) {
    case 'Seq Scan':
    case 'Index Scan':
    case 'Index Only Scan':
      own = (num(node, 'Actual Rows') + num(node, 'Rows Removed by Filter')) * loops;
      break;
    case 'Bitmap Index Scan':
      own = num(node, 'Actual Rows') * loops;
      break;
    case 'Bitmap Heap Scan':
      own = num(node, 'Rows Removed by Index Recheck') * loops;
      break;
  }
  return own + (node.Plans ?? []).reduce((sum, child) => sum + rowsRead(child), 0);
}

export interface RanStatement {
  text: string;
  values: unknown[];
  /** The connection was running generic plans when the statement was sent. */
  generic: boolean;
  /** With `actualPlans`: the rows the execution itself read (undefined until it finished, or if it ran no plan). */
  rowsRead?: number;
}

// auto_explain, per session: every executed plan comes back to the client as a notice message, with its
// EXPLAIN ANALYZE figures and its text (EXPLAIN without ANALYZE executes nothing: the guard's probes send none).
const AUTO_EXPLAIN = [
  "LOAD 'auto_explain'",
  'SET auto_explain.log_min_duration = 0',
  'SET auto_explain.log_analyze = on',
  'SET auto_explain.log_timing = off',
  'SET auto_explain.log_format = json',
  'SET auto_explain.log_level = warning', // Sequelize's connections hide NOTICEs (client_min_messages = warning)
].join('; ');

type Notified = { on(event: 'notice', listener: (notice: { message?: string }) => void): void };

/** The text and plan of an auto_explain message; undefined for any other notice. */
function executedPlan(message: string | undefined): { text: string; plan: PlanNode } | undefined {
  const start = message?.indexOf('{') ?? -1;
  if (!message || start < 0 || !message.includes('plan:')) return undefined;
  const { 'Query Text': text, Plan: plan } = JSON.parse(message.slice(start)) as { 'Query Text': string; Plan: PlanNode };
  return { text, plan };
}

// The read pool's session set-up and its switches (not the scan probe's SET LOCAL, which lasts one text).
const PLAN_MODE = /(?:^|; )SET plan_cache_mode = (force_generic_plan|auto)\b/;

/**
 * Records every text any pg client of this process sends, with its values and the plan mode its connection
 * was in then, as far as the recording saw it set (wrapping pg.Client.prototype.query; `stop()` unwraps it).
 * With `actualPlans` (superuser only), each client first loads auto_explain, and each recorded statement gets
 * the rows its own execution read: what really ran, not a re-run that later statistics could plan differently.
 */
export function recordStatements({ actualPlans = false }: { actualPlans?: boolean } = {}): { take(): RanStatement[]; stop(): void } {
  const proto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = proto.query;
  const generic = new WeakMap<object, boolean>();
  // Per client, its statements not yet matched to an executed plan: a client runs them one at a time, in order.
  const pending = new WeakMap<object, RanStatement[]>();
  let seen: RanStatement[] = [];
  const explained = (client: object) => (notice: { message?: string }) => {
    const ran = executedPlan(notice.message);
    if (!ran) return;
    const queue = pending.get(client)!;
    const index = queue.findIndex((s) => s.text === ran.text);
    if (index < 0) return;
    queue[index]!.rowsRead = rowsRead(ran.plan);
    queue.splice(0, index + 1); // the ones before it ran no plan (SET, DEALLOCATE, a failed statement)
  };
  proto.query = function (this: object, ...args: unknown[]) {
    if (actualPlans && !pending.has(this)) {
      pending.set(this, []);
      (this as unknown as Notified).on('notice', explained(this));
      void (original.call(this, AUTO_EXPLAIN) as Promise<unknown>).catch(() => undefined); // queued ahead of this statement
    }
    const first = args[0] as string | { text?: string; values?: unknown[] };
    const text = typeof first === 'string' ? first : (first?.text ?? '');
    const mode = PLAN_MODE.exec(text)?.[1];
    if (mode) generic.set(this, mode === 'force_generic_plan');
    const values = (typeof first === 'object' ? first?.values : (args[1] as unknown[] | undefined)) ?? [];
    const statement: RanStatement = { text, values, generic: generic.get(this) ?? false };
    seen.push(statement);
    pending.get(this)?.push(statement);
    return original.apply(this, args);
  };
  return {
    take: () => {
      const out = seen;
      seen = [];
      return out;
    },
    stop: () => {
      proto.query = original;
    },
  };
}

const literal = (client: pg.Client, value: unknown) =>
  value === null ? 'NULL' : typeof value === 'number' || typeof value === 'bigint' ? String(value) : client.escapeLiteral(String(value));

/**
 * Runs the statement under EXPLAIN ANALYZE as it ran: the generic plan of its text (prepared and executed
 * in generic mode, values as literal arguments) or the plan for its values; returns the rows it read.
 */
export async function measureRowsRead(client: pg.Client, { text, values, generic }: RanStatement): Promise<number> {
  if (!generic) return rowsRead((await client.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${text}`, values)).rows[0]['QUERY PLAN'][0].Plan);
  const args = values.map((v) => literal(client, v)).join(', ');
  const results = (await client.query(
    `SET LOCAL plan_cache_mode = force_generic_plan; PREPARE ormai_measured AS ${text}; EXPLAIN (ANALYZE, FORMAT JSON) EXECUTE ormai_measured(${args}); DEALLOCATE ormai_measured`,
  )) as unknown as Array<{ rows: Array<Record<string, any>> }>;
  return rowsRead(results.flatMap((r) => r.rows)[0]!['QUERY PLAN'][0].Plan);
}
