/**
 * A counting semaphore with FIFO waiters. Written here rather than taken from p-limit because the
 * callers need to hold a permit across several awaits (a multi-step QAD order write is one permit),
 * and to read how many calls are waiting for the metrics endpoint; both are a few lines.
 */
export class Semaphore {
  readonly #waiters: Array<() => void> = [];
  #available: number;

  constructor(readonly permits: number) {
    if (!Number.isInteger(permits) || permits < 1) {
      throw new RangeError(`Semaphore permits must be a positive integer, got ${permits}`);
    }
    this.#available = permits;
  }

  get waiting(): number {
    return this.#waiters.length;
  }

  get inUse(): number {
    return this.permits - this.#available;
  }

  async acquire(): Promise<() => void> {
    if (this.#available > 0) {
      this.#available -= 1;
    } else {
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.#waiters.shift();
      if (next) next();
      else this.#available += 1;
    };
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    const release = await this.acquire();
    try {
      return await task();
    } finally {
      release();
    }
  }
}
