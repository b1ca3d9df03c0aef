import { createHmac, randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { ProducerEvent } from '../../../src/clients/salesforce/pubsub/proto.js';

export interface LoggedEvent {
  /** position in the bus, strictly increasing; never shown to clients */
  seq: number;
  replayId: Buffer;
  event: ProducerEvent;
  /** every topic this event is delivered on */
  topics: readonly string[];
  committedAt: number;
}

export type ReplayLookup = { kind: 'found'; seq: number } | { kind: 'unknown' };

/**
 * The bus's retained events in commit order. Replay ids are opaque: an HMAC of the position under a
 * key made at start-up, so they look random, are not counters and cannot be forged or computed by a
 * client, while the bus still orders them through its own index.
 */
export class EventLog extends EventEmitter<{ appended: [LoggedEvent] }> {
  readonly #key = randomBytes(32);
  readonly #entries: LoggedEvent[] = [];
  readonly #seqByReplayId = new Map<string, number>();
  #nextSeq = 1;

  constructor(
    private readonly now: () => number,
    public retentionMs: number,
    private readonly replayIdBytes = 12,
  ) {
    super();
    this.setMaxListeners(0);
    // The position before the first event has an id too: keepalives on an empty bus carry it.
    this.#seqByReplayId.set(this.#replayIdFor(0).toString('hex'), 0);
  }

  #replayIdFor(seq: number): Buffer {
    return Buffer.from(createHmac('sha256', this.#key).update(String(seq)).digest().subarray(0, this.replayIdBytes));
  }

  append(event: ProducerEvent, topics: readonly string[]): LoggedEvent {
    const seq = this.#nextSeq;
    this.#nextSeq += 1;
    const entry: LoggedEvent = { seq, replayId: this.#replayIdFor(seq), event, topics, committedAt: this.now() };
    this.#entries.push(entry);
    this.#seqByReplayId.set(entry.replayId.toString('hex'), seq);
    this.emit('appended', entry);
    return entry;
  }

  /** Drops what has aged out of the retention window on the sandbox clock. */
  purge(): void {
    const cutoff = this.now() - this.retentionMs;
    let drop = 0;
    while (drop < this.#entries.length && (this.#entries[drop] as LoggedEvent).committedAt < cutoff) {
      this.#seqByReplayId.delete((this.#entries[drop] as LoggedEvent).replayId.toString('hex'));
      drop += 1;
    }
    if (drop > 0) {
      this.#entries.splice(0, drop);
      this.#seqByReplayId.delete(this.#replayIdFor(0).toString('hex'));
    }
  }

  lookup(replayId: Buffer): ReplayLookup {
    this.purge();
    const seq = this.#seqByReplayId.get(replayId.toString('hex'));
    return seq === undefined ? { kind: 'unknown' } : { kind: 'found', seq };
  }

  /** Position of the newest event (0 when empty): LATEST starts after it. */
  tipSeq(): number {
    return this.#nextSeq - 1;
  }

  /** Position just before the oldest retained event: EARLIEST starts after it. */
  earliestSeq(): number {
    this.purge();
    const first = this.#entries[0];
    return first ? first.seq - 1 : this.#nextSeq - 1;
  }

  /** Up to `limit` retained events on `topic` after position `afterSeq`. */
  after(afterSeq: number, topic: string, limit: number): LoggedEvent[] {
    this.purge();
    const found: LoggedEvent[] = [];
    let low = 0;
    let high = this.#entries.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if ((this.#entries[middle] as LoggedEvent).seq <= afterSeq) low = middle + 1;
      else high = middle;
    }
    for (let index = low; index < this.#entries.length && found.length < limit; index += 1) {
      const entry = this.#entries[index] as LoggedEvent;
      if (entry.topics.includes(topic)) found.push(entry);
    }
    return found;
  }

  /** The replay id of a position (an event's, or 0 before the first), for keepalive answers. */
  replayIdOf(seq: number): Buffer {
    return this.#replayIdFor(seq);
  }

  get size(): number {
    return this.#entries.length;
  }
}
