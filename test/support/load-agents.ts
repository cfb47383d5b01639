import type { OrmAI, RunContext, ToolResult } from '@ormai/core';
import { FORBIDDEN_MARKERS, type SeededShop } from './shop.js';

/** Text an agent of `tenant` must never see: the other tenant's rows and every secret. */
const forbiddenFor = (tenant: string | undefined) =>
  tenant === 'acme' ? FORBIDDEN_MARKERS : [...FORBIDDEN_MARKERS.filter((m) => !/globex/i.test(m)), 'Acme Customer', 'acme.test'];

/** One simulated agent's next call: a tool, its input, varied the way a model varies them. */
type NextCall = (pick: <T>(values: readonly T[]) => T) => [tool: string, input: unknown];

const STATUSES = ['open', 'shipped', 'cancelled'];

/** The mix of a support agent's traffic: mostly reads, some writes, and the mistakes models make. */
function callMix(own: number[], customers: number[]): Array<[weight: number, next: NextCall]> {
  return [
    [30, (pick) => ['db_query', { model: 'Order', where: { field: 'status', op: 'eq', value: pick(STATUSES) }, orderBy: [{ field: 'id', direction: 'desc' }], limit: pick([5, 10, 20]) }]],
    [10, (pick) => ['db_query', { model: 'Customer', where: { field: 'id', op: 'in', value: [pick(customers), pick(customers)] }, include: [{ relation: 'orders', limit: 5 }] }]],
    [15, (pick) => ['db_get', { model: 'Customer', id: pick(customers) }]],
    [5, () => ['db_aggregate', { model: 'Order', op: 'count', groupBy: ['status'] }]],
    [5, (pick) => ['db_aggregate', { model: 'Order', op: pick(['sum', 'avg', 'max']), field: 'amount', where: { field: 'status', op: 'eq', value: pick(STATUSES) } }]],
    [12, (pick) => ['db_update', { model: 'Order', id: pick(own), values: { amount: pick([20, 45, 90, 150, 900]) }, reason: 'customer asked for a corrected amount' }]],
    [5, (pick) => ['db_create', { model: 'Order', values: { customerId: pick(customers), status: 'open', amount: pick([10, 30, 60]) }, reason: 'customer placed an order by phone' }]],
    // Mistakes: no reason, a forged tenant, a field the policy denies, a limit past maxRows.
    [5, (pick) => ['db_update', { model: 'Order', id: pick(own), values: { status: 'paid' } }]],
    [5, () => ['db_query', { model: 'Order', where: { field: 'tenantId', op: 'eq', value: 'globex' } }]],
    [4, () => ['db_query', { model: 'Customer', select: ['notes'] }]],
    [4, () => ['db_query', { model: 'Order', limit: 500 }]],
  ];
}

export interface LoadAgent {
  context: RunContext;
  orderIds: number[];
  customerIds: number[];
}

/** `count` agents of the seeded shop, alternately Acme's and Globex's, each its own user. */
export function shopAgents(seeded: SeededShop, count: number): LoadAgent[] {
  return Array.from({ length: count }, (_, i) => {
    const acme = i % 2 === 0;
    return {
      context: { tenantId: acme ? 'acme' : 'globex', userId: `agent-${i}` },
      orderIds: acme ? seeded.acmeOrderIds : seeded.globexOrderIds,
      customerIds: acme ? seeded.acmeCustomerIds : seeded.globexCustomerIds,
    };
  });
}

export interface LoadReport {
  agents: number;
  seconds: number;
  calls: number;
  callsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** Calls by outcome: `allowed` or the error code. */
  byCode: Record<string, number>;
  /** Calls by tool and outcome (`db_update allowed`): what the audit trail must hold, record for record. */
  outcomes: Record<string, number>;
  /** Results that held another tenant's or a secret marker: must stay empty. */
  leaks: string[];
}

/** Latencies in log-spaced buckets (5% wide): constant memory however many calls a run makes. */
class LatencyHistogram {
  private readonly counts = new Map<number, number>();
  private total = 0;

  add(ms: number) {
    const bucket = Math.ceil(Math.log(Math.max(ms, 0.01)) / Math.log(1.05));
    this.counts.set(bucket, (this.counts.get(bucket) ?? 0) + 1);
    this.total += 1;
  }

  /** The upper edge of the bucket holding quantile `q`. */
  quantile(q: number): number {
    let seen = 0;
    for (const bucket of [...this.counts.keys()].sort((a, b) => a - b)) {
      seen += this.counts.get(bucket)!;
      if (seen >= this.total * q) return 1.05 ** bucket;
    }
    return 0;
  }
}

/** How long a run lasts: a duration (the load run) or a number of calls (the memory run). */
export type LoadLength = { seconds: number } | { calls: number };

/** Runs concurrent loops of calls, one per agent, until `length` is reached; every call goes through `ormai`. */
export async function runLoad(ormai: OrmAI, agents: LoadAgent[], length: LoadLength): Promise<LoadReport> {
  const byCode: Record<string, number> = {};
  const outcomes: Record<string, number> = {};
  const leaks: string[] = [];
  const latencies = new LatencyHistogram();
  let calls = 0;
  const started = performance.now();
  const more = 'seconds' in length ? () => performance.now() < started + length.seconds * 1000 : () => calls < length.calls;
  const pick = <T>(values: readonly T[]): T => values[Math.floor(Math.random() * values.length)]!;
  const agentLoop = async (agent: LoadAgent, index: number) => {
    const mix = callMix(agent.orderIds, agent.customerIds);
    const total = mix.reduce((sum, [weight]) => sum + weight, 0);
    const forbidden = forbiddenFor(agent.context.tenantId);
    for (let n = 0; more(); n += 1) {
      calls += 1;
      let roll = Math.random() * total;
      const [, next] = mix.find(([weight]) => (roll -= weight) < 0) ?? mix[0]!;
      const [tool, input] = next(pick);
      const before = performance.now();
      const result: ToolResult = await ormai.callTool(tool, input, { ...agent.context, requestId: `load-${index}-${n}` });
      latencies.add(performance.now() - before);
      const code = result.ok ? 'allowed' : result.error.code;
      byCode[code] = (byCode[code] ?? 0) + 1;
      outcomes[`${tool} ${code}`] = (outcomes[`${tool} ${code}`] ?? 0) + 1;
      const text = JSON.stringify(result);
      const leak = forbidden.find((marker) => text.includes(marker));
      if (leak) leaks.push(`${tool}: ${leak}`);
    }
  };
  await Promise.all(agents.map(agentLoop));
  const elapsed = (performance.now() - started) / 1000;
  return {
    agents: agents.length,
    seconds: elapsed,
    calls,
    callsPerSecond: calls / elapsed,
    p50Ms: latencies.quantile(0.5),
    p99Ms: latencies.quantile(0.99),
    byCode,
    outcomes,
    leaks,
  };
}
