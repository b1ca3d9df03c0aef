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
   * Whether a batch of the stream should be claimed now (default: always). While QAD is still
   * being read for a stream, the runtime holds its batches back until a full one is queued, so a
   * run of a few thousand changes goes to Salesforce as one batch rather than page by page.
   */
  readyToClaim?: (stream: SyncStream) => Promise<boolean>;
  /**
   * batches writing to Salesforce in flight at once for this connection (its config's
   * `concurrency.salesforce`); each is one collections call of up to 200 records
   */
  salesforceWrites: number;
}

/**
 * Works the queue of one connection: every due job of every unpaused stream, batch after batch
 * until a stream has nothing due. The two directions are worked side by side, so a change made in
 * Salesforce (an Account edit, an activated Order) never queues behind a backfill of QAD records;
 * within a direction streams go in STREAM_ORDER (links before the work that needs them). Batches of
 * a stream that writes to Salesforce run side by side, as many as the connection's Salesforce
 * concurrency allows: claims never hand one record to two batches (a record has one pending job),
 * so parallel batches cannot reorder changes to a record.
 */
export class StreamWorker {
  readonly #salesforceWrites: Semaphore;

  constructor(private readonly o: StreamWorkerOptions) {
    this.#salesforceWrites = new Semaphore(Math.max(1, o.salesforceWrites));
  }

  /** resolves to the number of jobs processed */
  async drainOnce(): Promise<number> {
    const directions = [STREAM_ORDER.filter((name) => name.startsWith('qad-')), STREAM_ORDER.filter((name) => name.startsWith('sf-'))];
    const counts = await Promise.all(
      directions.map(async (names) => {
        let total = 0;
        for (const name of names) {
          if (this.o.isPaused(name)) continue;
          total += await this.#drainStream(this.o.streams.get(name)!);
        }
        return total;
      }),
    );
    return counts.reduce((a, b) => a + b, 0);
  }

  async #drainStream(stream: SyncStream): Promise<number> {
    const writesSalesforce = stream.direction === 'QAD to Salesforce';
    // a Salesforce batch can be a whole Bulk API job; more than two in flight buys no speed
    // (Salesforce works them in parallel anyway) and would hold that many batches in memory
    const lanes = writesSalesforce ? Math.min(this.#salesforceWrites.permits, stream.batchSize > COLLECTIONS_BATCH ? 2 : this.#salesforceWrites.permits) : 1;
    let total = 0;
    let drained = false;
    const lane = async (): Promise<void> => {
      while (!drained) {
        if (this.o.readyToClaim && !(await this.o.readyToClaim(stream))) return;
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

/** one sObject Collections call */
const COLLECTIONS_BATCH = 200;
