/** A window is counted in this many slices: it slides in steps of a tenth, with memory bounded by the history kept. */
const SLICES = 10;

/**
 * Amounts over time: the total in the last window, and the average per window over the windows before
 * it (the baseline). Time may step back (a fake clock, a clock adjustment): it then counts as standing still.
 */
export class RateWindow {
  private readonly sliceMs: number;
  private readonly slices = new Map<number, number>();
  private firstSlice: number | null = null;
  private lastSlice = -Infinity;

  constructor(
    windowMs: number,
    private readonly baselineWindows: number,
  ) {
    if (!Number.isSafeInteger(windowMs) || windowMs < 1) throw new RangeError('an alert window must be a positive integer of milliseconds');
    if (!Number.isSafeInteger(baselineWindows) || baselineWindows < 0) throw new RangeError('baselineWindows must be an integer of at least 0');
    this.sliceMs = Math.ceil(windowMs / SLICES);
  }

  add(now: number, amount: number): void {
    const slice = this.sliceOf(now);
    this.firstSlice ??= slice;
    this.slices.set(slice, (this.slices.get(slice) ?? 0) + amount);
    this.forget(slice);
  }

  /** The total over the last window, up to `now`. */
  current(now: number): number {
    const slice = this.sliceOf(now);
    return this.sum(slice - SLICES + 1, slice);
  }

  /** The average per window over the `baselineWindows` before the current one; null until one whole window of history exists. */
  baseline(now: number): number | null {
    const slice = this.sliceOf(now);
    const end = slice - SLICES;
    if (this.baselineWindows === 0 || this.firstSlice === null || end < this.firstSlice) return null;
    const windows = Math.min(this.baselineWindows, Math.floor((end - this.firstSlice) / SLICES) + 1);
    return this.sum(end - windows * SLICES + 1, end) / windows;
  }

  private sliceOf(now: number): number {
    this.lastSlice = Math.max(this.lastSlice, Math.floor(now / this.sliceMs));
    return this.lastSlice;
  }

  private sum(from: number, to: number): number {
    let total = 0;
    for (const [slice, amount] of this.slices) if (slice >= from && slice <= to) total += amount;
    return total;
  }

  private forget(slice: number): void {
    const oldest = slice - SLICES * (this.baselineWindows + 1);
    for (const kept of this.slices.keys()) if (kept <= oldest) this.slices.delete(kept);
  }
}
