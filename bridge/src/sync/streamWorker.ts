import type { StreamName } from './api.js';
import type { JobRunner } from './jobRunner.js';
import type { SyncStream } from './stream.js';

/** the order the worker visits streams in: links before the work that needs them */
export const STREAM_ORDER: StreamName[] = ['qad-customers', 'qad-suppliers', 'qad-items', 'qad-contacts', 'sf-accounts', 'sf-orders'];

export interface StreamWorkerOptions {
  runner: JobRunner;
  streams: ReadonlyMap<string, SyncStream>;
  isPaused: (stream: StreamName) => boolean;
  /** a batch ran jobs of the stream */
  onRan: (stream: StreamName) => void;
  onError: (stream: StreamName, error: unknown) => void;
}

/**
 * Works the queue of one connection: every due job of every unpaused stream, stream after stream
 * in STREAM_ORDER, batch after batch until a stream has nothing due.
 */
export class StreamWorker {
  constructor(private readonly o: StreamWorkerOptions) {}

  /** resolves to the number of jobs processed */
  async drainOnce(): Promise<number> {
    let total = 0;
    for (const name of STREAM_ORDER) {
      if (this.o.isPaused(name)) continue;
      total += await this.#drainStream(this.o.streams.get(name)!);
    }
    return total;
  }

  async #drainStream(stream: SyncStream): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await this.#runBatch(stream);
      total += n;
      if (n < stream.batchSize) return total;
    }
  }

  async #runBatch(stream: SyncStream): Promise<number> {
    try {
      const n = await this.o.runner.runOnce(stream);
      if (n > 0) this.o.onRan(stream.name);
      return n;
    } catch (error) {
      this.o.onError(stream.name, error);
      return 0;
    }
  }
}
