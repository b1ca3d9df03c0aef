import { Semaphore } from '../lib/semaphore.js';
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
  /**
   * batches writing to Salesforce in flight at once for this connection (its config's
   * `concurrency.salesforce`); each is one collections call of up to 200 records
   */
  salesforceWrites: number;
}

/**
 * Works the queue of one connection: every due job of every unpaused stream, stream after stream
 * in STREAM_ORDER (links before the work that needs them), batch after batch until a stream has
 * nothing due. Batches of a stream that writes to Salesforce run side by side, as many as the
 * connection's Salesforce concurrency allows: claims never hand one record to two batches (a
 * record has one pending job), so parallel batches cannot reorder changes to a record.
 */
export class StreamWorker {
  readonly #salesforceWrites: Semaphore;

  constructor(private readonly o: StreamWorkerOptions) {
    this.#salesforceWrites = new Semaphore(Math.max(1, o.salesforceWrites));
  }

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
    const writesSalesforce = stream.direction === 'QAD to Salesforce';
    const lanes = writesSalesforce ? this.#salesforceWrites.permits : 1;
    let total = 0;
    let drained = false;
    const lane = async (): Promise<void> => {
      while (!drained) {
        const n = writesSalesforce ? await this.#salesforceWrites.run(() => this.#runBatch(stream)) : await this.#runBatch(stream);
        total += n;
        if (n < stream.batchSize) drained = true;
      }
    };
    await Promise.all(Array.from({ length: lanes }, lane));
    return total;
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
