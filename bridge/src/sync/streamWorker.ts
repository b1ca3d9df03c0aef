import { performance } from 'node:perf_hooks';
import { BatchSizer } from '../lib/batchSizer.js';
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
  readyToClaim?: (stream: SyncStream, batchSize: number) => Promise<boolean>;
  /**
   * batches writing to Salesforce in flight at once for this connection (its config's
   * `concurrency.salesforce`); each is one collections call of up to 200 records
   */
  salesforceWrites: number;
  /**
   * batches writing to QAD in flight at once for this connection (its config's `concurrency.qad`):
   * each lane claims its next batch as soon as its last one is done, so an order that arrives
   * while another is being written starts at once instead of waiting for a whole batch
   */
  qadWrites?: number;
}

export type Direction = 'QAD to Salesforce' | 'Salesforce to QAD';

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
  readonly #sizers = new Map<string, BatchSizer>();

  constructor(private readonly o: StreamWorkerOptions) {
    this.#salesforceWrites = new Semaphore(Math.max(1, o.salesforceWrites));
  }

  /** both directions side by side; resolves to the number of jobs processed */
  async drainOnce(): Promise<number> {
    const counts = await Promise.all([this.drain('QAD to Salesforce'), this.drain('Salesforce to QAD')]);
    return counts[0] + counts[1];
  }

  /** every due job of one direction's unpaused streams, in STREAM_ORDER; resolves to the number processed */
  async drain(direction: Direction): Promise<number> {
    let total = 0;
    for (const name of STREAM_ORDER) {
      const stream = this.o.streams.get(name);
      if (!stream || stream.direction !== direction || this.o.isPaused(name)) continue;
      total += await this.#drainStream(stream);
    }
    return total;
  }

  async #drainStream(stream: SyncStream): Promise<number> {
    const writesSalesforce = stream.direction === 'QAD to Salesforce';
    // A batch larger than one collections call is worked alone: it is a Bulk API job of up to ten
    // thousand records that Salesforce processes in parallel on its side, so a second one in flight
    // buys little and would hold another batch in memory.
    const lanes = writesSalesforce ? (stream.batchSize <= COLLECTIONS_BATCH ? this.#salesforceWrites.permits : 1) : Math.max(1, this.o.qadWrites ?? 1);
    const sizer = this.#sizerOf(stream);
    let total = 0;
    let drained = false;
    const lane = async (): Promise<void> => {
      while (!drained) {
        if (this.o.readyToClaim && !(await this.o.readyToClaim(stream, sizer.size))) return;
        const size = sizer.size;
        const started = performance.now();
        const n = writesSalesforce ? await this.#salesforceWrites.run(() => this.#runBatch(stream, size)) : await this.#runBatch(stream, size);
        sizer.record(n, performance.now() - started);
        total += n;
        if (n < size) drained = true;
      }
    };
    await Promise.all(Array.from({ length: lanes }, lane));
    return total;
  }

  /** batches larger than one collections call grow from that size, as they prove to finish in time */
  #sizerOf(stream: SyncStream): BatchSizer {
    let sizer = this.#sizers.get(stream.name);
    if (!sizer) {
      sizer = new BatchSizer({ min: Math.min(stream.batchSize, COLLECTIONS_BATCH), max: stream.batchSize, start: Math.min(stream.batchSize, FIRST_BULK_BATCH) });
      this.#sizers.set(stream.name, sizer);
    }
    return sizer;
  }

  async #runBatch(stream: SyncStream, size: number): Promise<number> {
    try {
      const n = await this.o.runner.runOnce(stream, size);
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
/** a first batch just above the Bulk API threshold: one job, done within seconds even on a busy host */
const FIRST_BULK_BATCH = 2_500;
