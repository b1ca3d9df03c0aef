/**
 * A wake-up call for a loop that otherwise sleeps: `wait(ms)` resolves after `ms` or as soon as
 * someone calls `notify()`, whichever comes first. Written here because it is a dozen lines and
 * the loops need exactly this (timers.setTimeout with an AbortSignal would need a new controller
 * per wait and throws on abort).
 */
export class Signal {
  readonly #waiters = new Set<() => void>();

  notify(): void {
    const waiters = [...this.#waiters];
    this.#waiters.clear();
    for (const wake of waiters) wake();
  }

  wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.#waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.#waiters.add(done);
    });
  }
}
