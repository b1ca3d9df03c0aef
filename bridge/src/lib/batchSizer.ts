/**
 * How many records the next batch takes. A batch is all or nothing: a process stopped while a
 * Bulk job of ten thousand records is in flight gives all of them back, and one that is restarted
 * more often than such a batch takes would never finish one. So a batch starts small and doubles
 * while batches finish within the target time, up to the most one call or job may carry, and
 * shrinks to what the target time allows when one runs long (a loaded machine, a slow org).
 */
export interface BatchSizerOptions {
  min: number;
  max: number;
  /** the first batch's size (default min) */
  start?: number;
  /** how long one batch should take at most (default 5 s) */
  targetMs?: number;
}

export class BatchSizer {
  #size: number;
  readonly #o: Required<BatchSizerOptions>;

  constructor(options: BatchSizerOptions) {
    this.#o = { start: options.min, targetMs: 5_000, ...options };
    this.#size = clamp(this.#o.start, this.#o.min, this.#o.max);
  }

  get size(): number {
    return this.#size;
  }

  /** a batch of `count` records took `elapsedMs` */
  record(count: number, elapsedMs: number): void {
    // a short batch says nothing about how long a full one would take
    if (count < this.#size) return;
    if (elapsedMs <= this.#o.targetMs) this.#size = clamp(this.#size * 2, this.#o.min, this.#o.max);
    else this.#size = clamp(Math.floor((count * this.#o.targetMs) / elapsedMs), this.#o.min, this.#o.max);
  }
}

function clamp(value: number, min: number, max: number): number {
  return Math.max(min, Math.min(max, Math.round(value)));
}
