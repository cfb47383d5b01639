// How the benchmark times things: contenders interleaved so machine load hits them alike, p50/p99 from
// per-call samples, throughput from alternating rounds of concurrent callers.

export interface Contender<V> {
  name: string;
  run(values: V): Promise<unknown>;
}

export interface LatencyStats {
  calls: number;
  p50us: number;
  p99us: number;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;

export function latencyStats(samples: number[]): LatencyStats {
  const sorted = [...samples].sort((a, b) => a - b);
  return { calls: sorted.length, p50us: Math.round(percentile(sorted, 0.5)), p99us: Math.round(percentile(sorted, 0.99)) };
}

const nowUs = () => Number(process.hrtime.bigint()) / 1_000;

/**
 * Every iteration runs each contender once, with the same values, starting from a different contender
 * each time (so none always follows the same neighbour). Warm-up iterations are not recorded. Also cut
 * into `blocks` consecutive blocks of equal length, each with its own stats: how much a ratio moves
 * within one run.
 */
export async function interleavedInBlocks<V>(contenders: Contender<V>[], draw: () => V, { iterations, warmup, blocks }: { iterations: number; warmup: number; blocks: number }) {
  const samples = contenders.map(() => [] as number[]);
  for (let i = 0; i < warmup + iterations; i++) {
    const values = draw();
    for (let k = 0; k < contenders.length; k++) {
      const index = (i + k) % contenders.length;
      const started = nowUs();
      await contenders[index]!.run(values);
      if (i >= warmup) samples[index]!.push(nowUs() - started);
    }
  }
  const statsOf = (pick: (all: number[]) => number[]) => Object.fromEntries(contenders.map((c, i) => [c.name, latencyStats(pick(samples[i]!))]));
  const size = Math.floor(iterations / blocks);
  return { all: statsOf((all) => all), blocks: Array.from({ length: blocks }, (_, b) => statsOf((all) => all.slice(b * size, (b + 1) * size))) };
}

export async function interleaved<V>(contenders: Contender<V>[], draw: () => V, options: { iterations: number; warmup: number }) {
  return (await interleavedInBlocks(contenders, draw, { ...options, blocks: 1 })).all;
}

/** Calls made and microseconds spent per contender, over some rounds. */
export type RoundTotals = Record<string, { calls: number; us: number }>;

/** Calls per second per contender over the given rounds. */
export function ratesOf(rounds: RoundTotals[]): Record<string, number> {
  const rates: Record<string, number> = {};
  for (const name of Object.keys(rounds[0] ?? {})) {
    const calls = rounds.reduce((sum, round) => sum + round[name]!.calls, 0);
    const us = rounds.reduce((sum, round) => sum + round[name]!.us, 0);
    rates[name] = Math.round((calls / us) * 1_000_000);
  }
  return rates;
}

/**
 * Calls per second with `callers` concurrent callers: rounds alternate between contenders (order
 * reversed every other round), each round `callsPerRound` calls. Returns each round's totals (see `ratesOf`).
 */
export async function throughputByRound<V>(contenders: Contender<V>[], draw: () => V, { callers, rounds, callsPerRound }: { callers: number; rounds: number; callsPerRound: number }) {
  const perRound: RoundTotals[] = [];
  for (let round = 0; round < rounds; round++) {
    const order = contenders.map((_, i) => (round % 2 === 0 ? i : contenders.length - 1 - i));
    const totals: RoundTotals = {};
    for (const index of order) {
      let started = 0;
      const begin = nowUs();
      await Promise.all(
        Array.from({ length: callers }, async () => {
          while (started < callsPerRound) {
            started += 1;
            await contenders[index]!.run(draw());
          }
        }),
      );
      totals[contenders[index]!.name] = { calls: callsPerRound, us: nowUs() - begin };
    }
    perRound.push(totals);
  }
  return perRound;
}

export async function throughput<V>(contenders: Contender<V>[], draw: () => V, options: { callers: number; rounds: number; callsPerRound: number }) {
  return ratesOf(await throughputByRound(contenders, draw, options));
}

/** The middle value (the upper one of an even count). */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** How far apart repeated measures of one ratio are: (largest - smallest) / median, as a fraction. */
export function spread(values: number[]): number {
  const middle = median(values);
  return middle ? (Math.max(...values) - Math.min(...values)) / middle : 0;
}

/** A deterministic pseudo-random generator (mulberry32), so two runs draw the same value sequence. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
