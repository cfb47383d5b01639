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
 * each time (so none always follows the same neighbour). Warm-up iterations are not recorded.
 */
export async function interleaved<V>(contenders: Contender<V>[], draw: () => V, { iterations, warmup }: { iterations: number; warmup: number }) {
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
  return Object.fromEntries(contenders.map((c, i) => [c.name, latencyStats(samples[i]!)]));
}

/**
 * Calls per second with `callers` concurrent callers: rounds alternate between contenders (order
 * reversed every other round), each round `callsPerRound` calls; the result sums all rounds.
 */
export async function throughput<V>(contenders: Contender<V>[], draw: () => V, { callers, rounds, callsPerRound }: { callers: number; rounds: number; callsPerRound: number }) {
  const totals = contenders.map(() => ({ calls: 0, us: 0 }));
  for (let round = 0; round < rounds; round++) {
    const order = contenders.map((_, i) => (round % 2 === 0 ? i : contenders.length - 1 - i));
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
      totals[index]!.calls += callsPerRound;
      totals[index]!.us += nowUs() - begin;
    }
  }
  return Object.fromEntries(contenders.map((c, i) => [c.name, Math.round((totals[i]!.calls / totals[i]!.us) * 1_000_000)]));
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
