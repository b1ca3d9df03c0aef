/**
 * Peak memory during a run. Sampling on a timer alone misses the peak when the event loop is
 * busy (a timer cannot fire while a big batch is being built), so callers also call `sample()` at
 * the points where memory is likely highest, such as right after a phase finishes.
 */
export interface MemoryPeak {
  heapUsedPeakMb: number;
  rssPeakMb: number;
  samples: number;
}

const MB = 1024 * 1024;

export class MemorySampler {
  #heapUsedPeak = 0;
  #rssPeak = 0;
  #samples = 0;
  #timer: NodeJS.Timeout | null = null;

  start(intervalMs = 25): this {
    this.sample();
    this.#timer = setInterval(() => this.sample(), intervalMs);
    // the sampler must never be what keeps a finished benchmark alive
    this.#timer.unref();
    return this;
  }

  sample(): void {
    const usage = process.memoryUsage();
    this.#samples += 1;
    if (usage.heapUsed > this.#heapUsedPeak) this.#heapUsedPeak = usage.heapUsed;
    if (usage.rss > this.#rssPeak) this.#rssPeak = usage.rss;
  }

  stop(): MemoryPeak {
    this.sample();
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    return this.peak();
  }

  peak(): MemoryPeak {
    return {
      heapUsedPeakMb: Number((this.#heapUsedPeak / MB).toFixed(1)),
      rssPeakMb: Number((this.#rssPeak / MB).toFixed(1)),
      samples: this.#samples,
    };
  }
}
