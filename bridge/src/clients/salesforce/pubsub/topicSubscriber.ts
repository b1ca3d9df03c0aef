import type { Logger } from '../../../logger.js';
import { mayRetry, retryDelayMs, type RetryPolicyOptions } from '../../../lib/retryPolicy.js';
import type { PubSubConnection } from './connection.js';
import { decodeEvent, type DecodedEvent } from './decoder.js';
import { PubSubAuthError, PubSubDecodeError, PubSubError, PubSubHandlerError, PubSubReplayIdRefusedError, PubSubRetriesExhaustedError, PubSubStoppedError } from './errors.js';
import type { ConsumerEvent } from './proto.js';
import type { Resync } from './resync.js';
import { TopicStream, type StreamStart } from './topicStream.js';
import type { ChangeEvent, CheckpointStore, PlatformEventMessage, PubSubHandler, TopicStats } from './types.js';

export interface TopicSubscriberSettings {
  topic: string;
  maxInFlight: number;
  retry: RetryPolicyOptions;
  retentionMs: number;
  retentionMarginMs: number;
  lookBackMs: number;
  ownChangeOrigin: string;
  startFrom: 'LATEST' | 'EARLIEST';
}

export interface TopicSubscriberDeps {
  connection: PubSubConnection;
  resync: Resync;
  checkpoints: CheckpointStore;
  handler: PubSubHandler;
  logger: Logger;
  clock: () => number;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  random: () => number;
  invalidateToken: () => void;
}

interface Pending {
  raw: ConsumerEvent;
  decoded?: DecodedEvent | null;
}

function isGap(change: ChangeEvent): boolean {
  return change.changeType.startsWith('GAP_');
}

/**
 * Keeps one topic flowing into the handler: subscribe from the checkpoint, handle events in order,
 * checkpoint after the handler accepted them, request more only then, and on failure back off and
 * resubscribe (or catch up by SOQL when the replay position is gone).
 */
export class TopicSubscriber {
  readonly stats: TopicStats;
  /**
   * Settles the first time the bus acknowledges a subscription to the topic (its first
   * FetchResponse); from then on every change committed is delivered, even from LATEST. Rejects if
   * the topic stops for good, or is stopped, before that.
   */
  readonly ready: Promise<void>;
  #markReady!: () => void;
  #failReady!: (error: PubSubError) => void;
  #queue: Pending[] = [];
  #processing: Promise<void> | null = null;
  #stream: TopicStream | null = null;
  #needsCatchUp = false;
  /** after a catch-up: changes committed before this were already read by SOQL */
  #skipBefore: number | null = null;
  #saving: Promise<void> = Promise.resolve();
  readonly #log: Logger;

  constructor(
    private readonly settings: TopicSubscriberSettings,
    private readonly deps: TopicSubscriberDeps,
  ) {
    this.#log = deps.logger.child({ component: 'pubsub-topic', topic: settings.topic });
    this.stats = {
      topic: settings.topic,
      state: 'starting',
      received: 0,
      handled: 0,
      ownWritesSkipped: 0,
      alreadyCaughtUpSkipped: 0,
      platformEvents: 0,
      gapEvents: 0,
      overflowEvents: 0,
      recordsReRead: 0,
      catchUps: 0,
      catchUpRecords: 0,
      keepalives: 0,
      checkpointsSaved: 0,
      reconnects: 0,
      tokenRefreshes: 0,
      replayIdRefusals: 0,
      undecodableEvents: 0,
      unprocessed: 0,
      maxUnprocessed: 0,
    };
    this.ready = new Promise<void>((resolve, reject) => {
      this.#markReady = resolve;
      this.#failReady = reject;
    });
    // Nobody has to wait for it; an unobserved rejection must not be reported as unhandled.
    this.ready.catch(() => undefined);
  }

  async run(signal: AbortSignal): Promise<void> {
    let failures = 0;
    while (!signal.aborted) {
      let delivered = this.stats.handled + this.stats.keepalives;
      try {
        const start = await this.#decideStart();
        if (signal.aborted) break;
        delivered = this.stats.handled + this.stats.keepalives;
        await this.#streamOnce(start, signal);
        if (signal.aborted) break;
        // The service ended the stream cleanly; subscribe again from the checkpoint.
        failures = 0;
      } catch (error) {
        if (signal.aborted) break;
        const failure = error instanceof PubSubError ? error : new PubSubHandlerError(`handler failed on ${this.settings.topic}`, { cause: error });
        this.stats.lastError = { code: failure.code, message: failure.message };
        if (failure instanceof PubSubReplayIdRefusedError) {
          this.stats.replayIdRefusals += 1;
          this.#log.warn({ code: failure.code }, 'replay id refused; catching up by SOQL');
          this.#needsCatchUp = true;
          continue;
        }
        if (failure instanceof PubSubAuthError) {
          this.stats.tokenRefreshes += 1;
          this.deps.invalidateToken();
        }
        // Progress since the last attempt means the connection worked: start the backoff over.
        if (this.stats.handled + this.stats.keepalives > delivered) failures = 0;
        if (!failure.retryable || !mayRetry(failures, this.settings.retry)) {
          this.stats.state = 'failed';
          const final = failure.retryable ? new PubSubRetriesExhaustedError(`gave up on ${this.settings.topic} after ${failures + 1} attempts: ${failure.message}`, { cause: failure }) : failure;
          this.stats.lastError = { code: final.code, message: final.message };
          this.#log.error({ code: final.code, err: final.message }, 'subscription stopped');
          this.#failReady(final);
          throw final;
        }
        failures += 1;
        this.stats.reconnects += 1;
        this.stats.state = 'backing-off';
        const delay = retryDelayMs(failures, this.settings.retry, null, this.deps.random);
        this.#log.warn({ code: failure.code, attempt: failures, delayMs: delay }, 'subscription interrupted; resubscribing');
        try {
          await this.deps.sleep(delay, signal);
        } catch {
          break;
        }
      }
    }
    this.stats.state = 'stopped';
  }

  stop(): void {
    this.#failReady(new PubSubStoppedError(`stopped before the bus acknowledged the subscription to ${this.settings.topic}`));
    this.#stream?.close();
  }

  async #decideStart(): Promise<StreamStart> {
    const { topic, retentionMs, retentionMarginMs, startFrom } = this.settings;
    const checkpoint = await this.deps.checkpoints.load(topic);
    if (!checkpoint) return this.#needsCatchUp ? this.#catchUp(null) : { preset: startFrom };
    const age = this.deps.clock() - checkpoint.lastEventAt.getTime();
    if (this.#needsCatchUp || age > retentionMs - retentionMarginMs) return this.#catchUp(checkpoint.lastEventAt.getTime());
    return { preset: 'CUSTOM', replayId: checkpoint.replayId };
  }

  /** Reads what changed since the last processed change by SOQL, then goes live from EARLIEST. */
  async #catchUp(lastEventAt: number | null): Promise<StreamStart> {
    this.stats.state = 'catching-up';
    const startedAt = this.deps.clock();
    const entities = this.deps.resync.entitiesFor(this.settings.topic);
    if (lastEventAt !== null && entities.length > 0) {
      const since = lastEventAt - this.settings.lookBackMs;
      this.#log.info({ since: new Date(since).toISOString(), entities }, 'catch-up by SystemModstamp');
      for (const entityName of entities) {
        this.stats.catchUpRecords += await this.deps.resync.since(this.settings.topic, 'catch-up', entityName, since, (batch) => this.deps.handler.onRecords(batch));
      }
      this.stats.catchUps += 1;
      this.#skipBefore = startedAt - this.settings.lookBackMs;
    } else {
      this.#log.warn('replay position lost and nothing to catch up by SOQL on this topic; resuming from EARLIEST');
    }
    this.#needsCatchUp = false;
    // EARLIEST rather than LATEST: nothing committed between the query and the subscribe is lost;
    // what the query already covered is passed over by commit time.
    return { preset: 'EARLIEST' };
  }

  async #streamOnce(start: StreamStart, signal: AbortSignal): Promise<void> {
    this.#queue = [];
    this.stats.unprocessed = 0;
    const stream = new TopicStream(this.deps.connection, this.settings.topic, {
      onEvents: (events) => {
        this.stats.received += events.length;
        for (const raw of events) this.#queue.push({ raw });
        this.stats.unprocessed = this.#queue.length;
        this.stats.maxUnprocessed = Math.max(this.stats.maxUnprocessed, this.#queue.length);
        this.#kick(stream);
      },
      onKeepalive: (latestReplayId) => {
        this.stats.keepalives += 1;
        if (this.#queue.length === 0 && !this.#processing && latestReplayId.length > 0) {
          void this.#save(latestReplayId, this.deps.clock()).catch((error: unknown) => stream.fail(error));
        }
      },
      onAcknowledged: () => {
        this.stats.state = 'live';
        this.#markReady();
      },
    });
    this.#stream = stream;
    const onAbort = (): void => stream.close();
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      // Not live yet: the request is only written. The bus places the subscription when it reads
      // it, and its first answer (events or a keepalive) says that has happened.
      this.stats.state = 'subscribing';
      await stream.open(start, this.settings.maxInFlight);
      await stream.done;
    } finally {
      await this.#processing;
      signal.removeEventListener('abort', onAbort);
      this.#stream = null;
    }
  }

  #kick(stream: TopicStream): void {
    if (this.#processing) return;
    this.#processing = this.#drain(stream)
      .catch((error: unknown) =>
        stream.fail(error instanceof PubSubError ? error : new PubSubHandlerError(`handler did not accept events of ${this.settings.topic}`, { cause: error })),
      )
      .finally(() => {
        this.#processing = null;
      });
  }

  async #decode(item: Pending): Promise<DecodedEvent | null> {
    if (item.decoded !== undefined) return item.decoded;
    const schema = await this.deps.connection.schema(item.raw.event.schemaId);
    try {
      item.decoded = decodeEvent(schema, { topic: this.settings.topic, replayId: item.raw.replayId, eventId: item.raw.event.id, payload: item.raw.event.payload });
    } catch (error) {
      if (!(error instanceof PubSubDecodeError)) throw error;
      // Pub/Sub does not validate what publishers send; one bad payload must not stall the topic.
      this.stats.undecodableEvents += 1;
      this.#log.error({ code: error.code, eventId: item.raw.event.id, err: error.message }, 'event could not be decoded; passed over');
      item.decoded = null;
    }
    return item.decoded;
  }

  /** Handles queued events group by group until the queue is empty. */
  async #drain(stream: TopicStream): Promise<void> {
    // The group being handled when the stream breaks still completes and is checkpointed; the rest
    // is left for the next stream to deliver again, so nothing is handled twice.
    while (this.#queue.length > 0 && !stream.finished) {
      const head = this.#queue[0] as Pending;
      const decodedHead = await this.#decode(head);
      let size = 1;
      if (decodedHead?.kind === 'change') {
        const key = decodedHead.change.transactionKey;
        while (size < this.#queue.length) {
          const next = await this.#decode(this.#queue[size] as Pending);
          if (next?.kind !== 'change' || next.change.transactionKey !== key) break;
          size += 1;
        }
      } else if (decodedHead?.kind === 'platform') {
        while (size < this.#queue.length && (await this.#decode(this.#queue[size] as Pending))?.kind === 'platform') size += 1;
      }
      const group = this.#queue.slice(0, size);
      await this.#handleGroup(group.map((item) => item.decoded ?? null));
      const last = group[group.length - 1] as Pending;
      const lastDecoded = last.decoded;
      const eventTime =
        lastDecoded?.kind === 'change'
          ? lastDecoded.change.commitTimestamp
          : lastDecoded?.kind === 'platform' && typeof lastDecoded.event.payload.CreatedDate === 'number'
            ? lastDecoded.event.payload.CreatedDate
            : this.deps.clock();
      await this.#save(last.raw.replayId, eventTime);
      this.#queue.splice(0, size);
      this.stats.unprocessed = this.#queue.length;
      // Ask for as many as were just finished: requested + unhandled never exceeds maxInFlight.
      stream.request(size);
    }
  }

  async #handleGroup(decoded: Array<DecodedEvent | null>): Promise<void> {
    const changes: ChangeEvent[] = [];
    const platform: PlatformEventMessage[] = [];
    for (const item of decoded) {
      if (item?.kind === 'platform') platform.push(item.event);
      else if (item?.kind === 'change') changes.push(item.change);
    }
    if (platform.length > 0) {
      this.stats.platformEvents += platform.length;
      if (this.deps.handler.onPlatformEvents) await this.deps.handler.onPlatformEvents(platform);
      this.stats.handled += platform.length;
    }
    const toHandle: ChangeEvent[] = [];
    for (const change of changes) {
      if (change.changeType === 'GAP_OVERFLOW') {
        this.stats.overflowEvents += 1;
        const since = change.commitTimestamp - this.settings.lookBackMs;
        this.#log.warn({ entityName: change.entityName, since: new Date(since).toISOString() }, 'overflow event; resyncing the object');
        this.stats.recordsReRead += await this.deps.resync.since(this.settings.topic, 'overflow', change.entityName, since, (batch) => this.deps.handler.onRecords(batch));
        this.stats.handled += 1;
      } else if (isGap(change)) {
        this.stats.gapEvents += 1;
        this.stats.recordsReRead += await this.deps.resync.byIds(this.settings.topic, change.entityName, change.recordIds, (batch) => this.deps.handler.onRecords(batch));
        this.stats.handled += 1;
      } else if (this.#skipBefore !== null && change.commitTimestamp < this.#skipBefore) {
        this.stats.alreadyCaughtUpSkipped += 1;
      } else if (this.settings.ownChangeOrigin && change.changeOrigin.includes(this.settings.ownChangeOrigin)) {
        this.stats.ownWritesSkipped += 1;
      } else {
        toHandle.push(change);
      }
    }
    if (toHandle.length > 0) {
      toHandle.sort((a, b) => a.sequenceNumber - b.sequenceNumber);
      await this.deps.handler.onChanges(toHandle);
      this.stats.handled += toHandle.length;
    }
  }

  /** Saves run one after another so a slow keepalive save can never overwrite a newer position. */
  #save(replayId: Buffer, lastEventAt: number): Promise<void> {
    const checkpoint = { replayId: Buffer.from(replayId), lastEventAt: new Date(lastEventAt) };
    const saved = this.#saving.then(async () => {
      await this.deps.checkpoints.save(this.settings.topic, checkpoint);
      this.stats.checkpointsSaved += 1;
    });
    this.#saving = saved.catch(() => undefined);
    return saved;
  }
}
