import { randomUUID } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import type { FetchRequest, FetchResponse } from '../../../src/clients/salesforce/pubsub/proto.js';
import type { EventLog, LoggedEvent } from './eventLog.js';
import { ERROR_CODES, pubSubStatus, PubSubStatusError, statusError } from './rpcStatus.js';
import type { TopicCatalog } from './topicCatalog.js';

/** Pub/Sub never has more than this many events requested and undelivered on one stream. */
export const MAX_REQUESTED = 100;

export interface SubscribeCounters {
  subscribeCalls: number;
  fetchRequests: number;
  eventsDelivered: number;
  keepalives: number;
  streamsDropped: number;
  authFailures: number;
  replayIdRefusals: number;
  /** highest pending_num_requested any stream reached */
  maxPendingRequested: number;
  deliveredByTopic: Record<string, number>;
}

export interface SubscribeContext {
  log: EventLog;
  catalog: TopicCatalog;
  keepaliveIntervalMs(): number;
  isValidToken(token: string): Promise<boolean>;
  counters: SubscribeCounters;
  /** events this stream may still deliver before the bus drops it (a fault set through control) */
  takeDropBudget(topic: string): number | null;
  onClose(session: SubscribeSession): void;
}

type Call = grpc.ServerDuplexStream<FetchRequest, FetchResponse>;

/**
 * One Subscribe call: pull-based delivery of at most the requested number of events, keepalives
 * while idle, the token re-checked before each delivery so an expired session ends the stream.
 */
export class SubscribeSession {
  topic: string | null = null;
  #cursor = 0;
  #pending = 0;
  #deliveredOnStream = 0;
  #dropAfter: number | null = null;
  #closed = false;
  #pumping = false;
  #pumpAgain = false;
  #lastSentAt = Date.now();
  readonly #keepaliveTimer: NodeJS.Timeout;
  readonly #onAppended = (entry: LoggedEvent): void => {
    if (this.topic && entry.topics.includes(this.topic)) void this.#pump();
  };

  constructor(
    private readonly call: Call,
    private readonly token: string,
    private readonly context: SubscribeContext,
  ) {
    context.counters.subscribeCalls += 1;
    call.on('data', (request: FetchRequest) => void this.#onFetch(request));
    call.on('end', () => this.#close(true));
    call.on('cancelled', () => this.#close(false));
    call.on('error', () => this.#close(false));
    const tick = Math.max(5, Math.min(1000, Math.floor(context.keepaliveIntervalMs() / 4)));
    this.#keepaliveTimer = setInterval(() => void this.#keepalive(), tick);
    this.#keepaliveTimer.unref();
  }

  get pending(): number {
    return this.#pending;
  }

  /** Ends the stream the way a broken connection looks to a client. */
  drop(message = 'RST_STREAM closed stream. HTTP/2 error code: CANCEL'): void {
    this.context.counters.streamsDropped += 1;
    this.#fail(new PubSubStatusError({ code: grpc.status.UNAVAILABLE, details: message }));
  }

  /** Ends the stream with an OK status (service shutdown). */
  end(): void {
    this.#close(true);
  }

  #fail(error: PubSubStatusError): void {
    if (this.#closed) return;
    this.#cleanup();
    this.call.emit('error', error.status);
  }

  #close(endCall: boolean): void {
    if (this.#closed) return;
    this.#cleanup();
    if (endCall) this.call.end();
  }

  #cleanup(): void {
    this.#closed = true;
    clearInterval(this.#keepaliveTimer);
    this.context.log.off('appended', this.#onAppended);
    this.context.onClose(this);
  }

  async #onFetch(request: FetchRequest): Promise<void> {
    if (this.#closed) return;
    this.context.counters.fetchRequests += 1;
    try {
      const first = this.topic === null;
      if (first) this.#start(request);
      else if (request.topicName && request.topicName !== this.topic) {
        throw statusError(
          grpc.status.INVALID_ARGUMENT,
          ERROR_CODES.invalidFetch,
          `The topic of a FetchRequest must match the first request of the stream (${this.topic}); open a new Subscribe call for ${request.topicName}.`,
        );
      }
      const requested = request.numRequested ?? 0;
      if (!Number.isInteger(requested) || requested < 0) {
        throw statusError(grpc.status.INVALID_ARGUMENT, ERROR_CODES.invalidFetch, `num_requested must be a positive number, got ${requested}.`);
      }
      this.#pending = Math.min(MAX_REQUESTED, this.#pending + requested);
      this.context.counters.maxPendingRequested = Math.max(this.context.counters.maxPendingRequested, this.#pending);
      await this.#pump();
      if (first && this.#deliveredOnStream === 0) await this.#keepalive(true);
    } catch (error) {
      if (error instanceof PubSubStatusError) this.#fail(error);
      else this.#fail(new PubSubStatusError(pubSubStatus(grpc.status.INTERNAL, ERROR_CODES.unavailable, 'Internal error.')));
    }
  }

  #start(request: FetchRequest): void {
    const topic = request.topicName ?? '';
    const entry = this.context.catalog.topics.get(topic);
    if (!entry) {
      throw statusError(grpc.status.NOT_FOUND, ERROR_CODES.topicNotFound, `Topic ${topic || '(empty)'} does not exist or is not enabled for this org.`);
    }
    if (!entry.canSubscribe) {
      throw statusError(grpc.status.PERMISSION_DENIED, ERROR_CODES.topicPermission, `No permission to subscribe to ${topic}.`);
    }
    const log = this.context.log;
    switch (request.replayPreset ?? 'LATEST') {
      case 'EARLIEST':
        this.#cursor = log.earliestSeq();
        break;
      case 'CUSTOM': {
        const replayId = request.replayId ?? Buffer.alloc(0);
        const found = replayId.length > 0 ? log.lookup(replayId) : ({ kind: 'unknown' } as const);
        if (found.kind === 'unknown') {
          this.context.counters.replayIdRefusals += 1;
          throw statusError(
            grpc.status.INVALID_ARGUMENT,
            ERROR_CODES.replayIdCorrupted,
            'The Replay ID validation failed. The Replay ID is invalid or outside the retention window; resubscribe with EARLIEST or LATEST.',
          );
        }
        this.#cursor = found.seq;
        break;
      }
      default:
        this.#cursor = log.tipSeq();
    }
    this.topic = topic;
    this.#dropAfter = this.context.takeDropBudget(topic);
    log.on('appended', this.#onAppended);
  }

  async #tokenStillValid(): Promise<boolean> {
    if (await this.context.isValidToken(this.token)) return true;
    this.context.counters.authFailures += 1;
    this.#fail(statusError(grpc.status.UNAUTHENTICATED, ERROR_CODES.auth, 'An authentication exception occurred. Provide valid authentication via metadata headers.'));
    return false;
  }

  async #pump(): Promise<void> {
    if (this.#pumping) {
      this.#pumpAgain = true;
      return;
    }
    this.#pumping = true;
    try {
      do {
        this.#pumpAgain = false;
        while (!this.#closed && this.topic && this.#pending > 0) {
          let batch = this.context.log.after(this.#cursor, this.topic, this.#pending);
          if (batch.length === 0) {
            this.#cursor = Math.max(this.#cursor, this.context.log.tipSeq());
            break;
          }
          if (!(await this.#tokenStillValid())) return;
          let dropNow = false;
          if (this.#dropAfter !== null && this.#deliveredOnStream + batch.length >= this.#dropAfter) {
            batch = batch.slice(0, Math.max(0, this.#dropAfter - this.#deliveredOnStream));
            dropNow = true;
          }
          if (batch.length > 0) this.#send(batch);
          if (dropNow) {
            this.drop();
            return;
          }
        }
      } while (this.#pumpAgain && !this.#closed);
    } finally {
      this.#pumping = false;
    }
  }

  #send(batch: LoggedEvent[]): void {
    const last = batch[batch.length - 1] as LoggedEvent;
    this.#cursor = last.seq;
    this.#pending -= batch.length;
    this.#deliveredOnStream += batch.length;
    const counters = this.context.counters;
    counters.eventsDelivered += batch.length;
    const topic = this.topic as string;
    counters.deliveredByTopic[topic] = (counters.deliveredByTopic[topic] ?? 0) + batch.length;
    this.#lastSentAt = Date.now();
    this.call.write({
      events: batch.map((entry) => ({ event: entry.event, replayId: entry.replayId })),
      latestReplayId: last.replayId,
      rpcId: randomUUID(),
      pendingNumRequested: this.#pending,
    });
  }

  /**
   * An empty FetchResponse carrying the position the stream stands at. Sent when idle for the
   * keepalive interval, and `now` in answer to the first FetchRequest when there is nothing to
   * deliver: the first response of a stream (events or this) tells the client the subscription is
   * in place, so a change committed after it is never missed, even from LATEST.
   */
  async #keepalive(now = false): Promise<void> {
    if (this.#closed || this.topic === null) return;
    if (!now && Date.now() - this.#lastSentAt < this.context.keepaliveIntervalMs()) return;
    if (!(await this.#tokenStillValid())) return;
    this.#lastSentAt = Date.now();
    this.context.counters.keepalives += 1;
    this.call.write({
      events: [],
      latestReplayId: this.context.log.replayIdOf(this.#cursor),
      rpcId: randomUUID(),
      pendingNumRequested: this.#pending,
    });
  }
}
