import { budgetKey, MemoryBudgetStore, type BudgetCheck, type BudgetStore } from '@ormai/core';
import { upstashBudgetStore } from '@ormai/upstash';
import { ioredisBudgetStore } from '@ormai/upstash/node';
import { Redis as UpstashRedis } from '@upstash/redis';
import { Redis } from 'ioredis';
import { startRestBridge } from '../../packages/upstash/src/test-support/rest-bridge.js';
import type { BenchEnvironment } from '../environment.js';
import { latencyStats, seededRandom } from '../measure.js';
import type { Section } from '../report.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
// Like maxWritesPerMinute in an app with many tenants: one limit per tenant and one per user, in one take.
const TENANTS = 1_000;
const USERS_PER_TENANT = 20;
const PER_TENANT = 100;
const PER_USER = 20;
const WINDOW_MS = 60_000;
const CALLERS = [1, 16];

const nowUs = () => Number(process.hrtime.bigint()) / 1_000;

interface Run {
  samples: number[];
  us: number;
  refused: number;
}

/** `calls` takes by `callers` concurrent callers: each call timed alone, the whole batch for throughput. */
async function batch(store: BudgetStore, draw: () => BudgetCheck[], callers: number, calls: number, into: Run) {
  let started = 0;
  const begin = nowUs();
  await Promise.all(
    Array.from({ length: callers }, async () => {
      while (started < calls) {
        started += 1;
        const checks = draw();
        const t = nowUs();
        const decision = await store.take(checks);
        into.samples.push(nowUs() - t);
        if (!decision.allowed) into.refused += 1;
      }
    }),
  );
  into.us += nowUs() - begin;
}

async function deleteKeys(redis: Redis, pattern: string) {
  const keys = await redis.keys(pattern);
  for (let i = 0; i < keys.length; i += 1_000) await redis.del(...keys.slice(i, i + 1_000));
}

/**
 * Budget stores: checks per second and the latency of one `take` (a tenant limit and a user limit,
 * checked and taken together) for the in-memory store, the ioredis store on the real Redis, and the
 * Upstash store over REST through the test bridge, at 1 and 16 concurrent callers, one process.
 */
export async function budgetStores(env: BenchEnvironment): Promise<Section> {
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  const bridge = await startRestBridge(redis);
  const prefix = `ormai-bench:budget:${Date.now()}:`;
  try {
    const stores: Record<string, BudgetStore> = {
      memory: new MemoryBudgetStore(),
      'ioredis (Redis)': ioredisBudgetStore(redis, { prefix: `${prefix}ioredis:` }),
      'upstash (REST bridge -> Redis)': upstashBudgetStore(new UpstashRedis({ url: bridge.url, token: bridge.token, enableTelemetry: false }), { prefix: `${prefix}upstash:` }),
    };
    const random = seededRandom(1010);
    const draw = (): BudgetCheck[] => {
      const tenant = `t${Math.floor(random() * TENANTS)}`;
      const user = `u${Math.floor(random() * USERS_PER_TENANT)}`;
      return [
        { key: budgetKey('writes', tenant), limit: PER_TENANT, windowMs: WINDOW_MS },
        { key: budgetKey('writes', tenant, user), limit: PER_USER, windowMs: WINDOW_MS },
      ];
    };
    const names = Object.keys(stores);
    const rounds = 4;
    const callsPerRound = Math.max(50, Math.round(1_500 * env.scale));
    for (const name of names) await batch(stores[name]!, draw, 16, 200, { samples: [], us: 0, refused: 0 }); // warm-up: scripts cached, connections open
    const rows: Section['rows'] = [];
    for (const callers of CALLERS) {
      const runs = names.map((): Run => ({ samples: [], us: 0, refused: 0 }));
      for (let round = 0; round < rounds; round++) {
        // Alternate the order so machine load and Redis state hit every store alike.
        const order = names.map((_, i) => (round % 2 === 0 ? i : names.length - 1 - i));
        for (const i of order) await batch(stores[names[i]!]!, draw, callers, callsPerRound, runs[i]!);
      }
      names.forEach((store, i) => {
        const run = runs[i]!;
        const stats = latencyStats(run.samples);
        rows.push({
          store,
          callers,
          calls: stats.calls,
          'checks/s': Math.round((stats.calls / run.us) * 1_000_000),
          'p50 us': stats.p50us,
          'p99 us': stats.p99us,
          'refused %': Number(((run.refused / stats.calls) * 100).toFixed(1)),
        });
      });
    }
    return {
      id: 'budgetStores',
      title: 'Budget stores: one take (tenant + user limit) per check',
      notes: [
        `Each take checks and takes two limits at once (${PER_TENANT} per tenant, ${PER_USER} per user, per minute), keys drawn from ${TENANTS} tenants x ${USERS_PER_TENANT} users, as an app with many tenants would.`,
        'Redis stores: one Lua script per take (EVALSHA), on the local Redis. The Upstash store goes over HTTP through the test REST bridge, which runs in this same process and forwards to the same Redis: it adds a hop and shares the event loop, so its figures are a floor for the bridge, not for Upstash (add the network round trip to the region).',
        `${rounds} rounds per concurrency level, stores alternated; one warm-up batch each first. A refused take costs the same round trip as an allowed one.`,
      ],
      rows,
    };
  } finally {
    await bridge.close();
    await deleteKeys(redis, `${prefix}*`);
    redis.disconnect();
  }
}
