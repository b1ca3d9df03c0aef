import type { SandboxClock } from '../clock.js';

/**
 * The org's daily API allowance: a rolling 24-hour window of counted requests, kept as per-minute
 * buckets so that tens of thousands of calls cost a few hundred entries.
 */
const WINDOW_MS = 24 * 60 * 60 * 1000;
const BUCKET_MS = 60_000;

export class DailyAllowance {
  private readonly buckets: Array<{ start: number; count: number }> = [];

  constructor(
    private readonly clock: SandboxClock,
    public max: number,
  ) {}

  private prune(): void {
    const oldest = this.clock.now() - WINDOW_MS;
    while (this.buckets.length > 0 && (this.buckets[0] as { start: number }).start + BUCKET_MS <= oldest) this.buckets.shift();
  }

  used(): number {
    this.prune();
    return this.buckets.reduce((sum, b) => sum + b.count, 0);
  }

  remaining(): number {
    return Math.max(0, this.max - this.used());
  }

  exhausted(): boolean {
    return this.used() >= this.max;
  }

  record(count = 1): void {
    const start = Math.floor(this.clock.now() / BUCKET_MS) * BUCKET_MS;
    const last = this.buckets[this.buckets.length - 1];
    if (last && last.start === start) last.count += count;
    else this.buckets.push({ start, count });
  }

  /** Control surface: pretend `used` requests were already made in the current window. */
  setUsed(used: number): void {
    this.buckets.length = 0;
    if (used > 0) this.record(used);
  }

  header(): string {
    return `api-usage=${this.used()}/${this.max}`;
  }
}
