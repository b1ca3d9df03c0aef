import type * as grpc from '@grpc/grpc-js';
import type { PubSubConnection } from './connection.js';
import { fromGrpcError, PubSubError } from './errors.js';
import type { ConsumerEvent, FetchRequest, FetchResponse, ReplayPresetName } from './proto.js';

export interface StreamStart {
  preset: ReplayPresetName;
  replayId?: Buffer;
}

export interface StreamHooks {
  /**
   * The first FetchResponse of the stream (events or a keepalive): the bus has read the first
   * FetchRequest and placed the subscription, so anything committed from now on is delivered.
   */
  onAcknowledged(): void;
  /** events in delivery order; called once per FetchResponse that carries events */
  onEvents(events: ConsumerEvent[]): void;
  /** an empty FetchResponse: nothing new after `latestReplayId` */
  onKeepalive(latestReplayId: Buffer): void;
}

/**
 * One Subscribe call with pull-based flow control. The caller asks for more with `request(n)` as
 * it finishes work, so requested-but-unhandled events never exceed what it asked for.
 */
export class TopicStream {
  #call: grpc.ClientDuplexStream<FetchRequest, FetchResponse> | undefined;
  #finished = false;
  #acknowledged = false;
  readonly done: Promise<void>;
  #resolve!: () => void;
  #reject!: (error: PubSubError) => void;

  constructor(
    private readonly connection: PubSubConnection,
    private readonly topic: string,
    private readonly hooks: StreamHooks,
  ) {
    this.done = new Promise<void>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
    // The loop awaits `done`; this keeps an early failure from being reported as unhandled.
    this.done.catch(() => undefined);
  }

  async open(start: StreamStart, numRequested: number): Promise<void> {
    let metadata: grpc.Metadata;
    try {
      metadata = await this.connection.metadata();
    } catch (error) {
      this.fail(error);
      return;
    }
    const call = this.connection.stub.Subscribe(metadata);
    this.#call = call;
    call.on('data', (response: FetchResponse) => {
      if (this.#finished) return;
      if (!this.#acknowledged) {
        this.#acknowledged = true;
        this.hooks.onAcknowledged();
      }
      if (response.events.length === 0) this.hooks.onKeepalive(response.latestReplayId);
      else this.hooks.onEvents(response.events);
    });
    call.on('error', (error) => this.fail(error));
    call.on('end', () => this.#finish());
    call.write({
      topicName: this.topic,
      replayPreset: start.preset,
      ...(start.preset === 'CUSTOM' && start.replayId ? { replayId: start.replayId } : {}),
      numRequested,
    });
  }

  /** true once the stream failed or ended: queued events are then redelivered by the next stream */
  get finished(): boolean {
    return this.#finished;
  }

  request(numRequested: number): void {
    if (this.#finished || !this.#call || numRequested <= 0) return;
    this.#call.write({ topicName: this.topic, numRequested });
  }

  /** Ends the stream with this error (e.g. the handler failed); the events not yet handled are dropped. */
  fail(error: unknown): void {
    if (this.#finished) return;
    this.#finished = true;
    this.#call?.cancel();
    this.#reject(fromGrpcError(error, `Subscribe ${this.topic}`));
  }

  close(): void {
    if (this.#finished) return;
    this.#call?.cancel();
    this.#finish();
  }

  #finish(): void {
    if (this.#finished) return;
    this.#finished = true;
    this.#resolve();
  }
}
