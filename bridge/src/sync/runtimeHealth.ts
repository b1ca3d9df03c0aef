import type { Logger } from '../logger.js';
import type { StreamName } from './api.js';

export interface StreamHealth {
  lastRunAt: string | null;
  lastError: string | null;
}

/**
 * What a connection's runtime reports about itself: the last error (kept on the status row), when
 * each stream last ran and failed, and whether it is Degraded — errors within the last two
 * heartbeats, so one blip does not flag the connection for long and a steady failure keeps it so.
 */
export class RuntimeHealth {
  readonly #streams = new Map<StreamName, StreamHealth>();
  #lastError: string | null = null;
  #lastErrorAt = 0;
  #lastProgressAt = 0;
  #stalled: string | null = null;

  constructor(
    private readonly o: { clock: () => number; heartbeatIntervalMs: number; logger: Logger; stallAfterMs: number },
  ) {}

  /** why the runtime is stalled (due work and no progress for stallAfterMs), or null */
  get stalled(): string | null {
    return this.#stalled;
  }

  /** a batch ran, a page was read, audit rows went out: the runtime is alive */
  progressed(): void {
    this.#lastProgressAt = this.o.clock();
    if (this.#stalled !== null) {
      this.o.logger.info({ was: this.#stalled }, 'runtime making progress again');
      this.#stalled = null;
    }
  }

  /**
   * The liveness check a process probe cannot make: a runtime whose streams have due jobs and that
   * has made no progress for stallAfterMs (a deadlock, a hung call) is stalled. `dueStreams` is
   * asked only once that time has passed without progress.
   */
  async checkStall(dueStreams: () => Promise<string[]>): Promise<void> {
    const now = this.o.clock();
    if (now - this.#lastProgressAt < this.o.stallAfterMs) return;
    const waiting = await dueStreams();
    if (waiting.length === 0) {
      // nothing to do is not a stall
      this.#lastProgressAt = now;
      return;
    }
    const reason = `stalled: due jobs in ${waiting.join(', ')} and no progress for ${Math.round((now - this.#lastProgressAt) / 1000)} s`;
    if (this.#stalled === null) this.o.logger.error({ streams: waiting }, reason);
    this.#stalled = reason;
  }

  get lastError(): string | null {
    return this.#lastError;
  }

  stream(name: StreamName): StreamHealth {
    return this.#streams.get(name) ?? { lastRunAt: null, lastError: null };
  }

  ran(stream: StreamName): void {
    this.#streams.set(stream, { ...this.stream(stream), lastRunAt: new Date(this.o.clock()).toISOString() });
  }

  /** `where` is a stream name, or a part of the runtime (engine, cdc, heartbeat) */
  recordError(where: string, error: unknown): void {
    const e = error as { code?: unknown; message?: unknown };
    this.#lastErrorAt = this.o.clock();
    this.#lastError = `${where}: ${typeof e.code === 'string' ? `[${e.code}] ` : ''}${String(e.message ?? error)}`;
    const name = where as StreamName;
    this.#streams.set(name, { ...this.stream(name), lastError: this.#lastError });
    this.o.logger.warn({ err: error, where }, 'connection runtime error');
  }

  status(): 'Running' | 'Degraded' {
    if (this.#stalled !== null) return 'Degraded';
    const recent = this.#lastErrorAt > 0 && this.o.clock() - this.#lastErrorAt < 2 * this.o.heartbeatIntervalMs;
    return recent ? 'Degraded' : 'Running';
  }
}
