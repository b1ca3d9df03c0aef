import { silentLogger } from '../../../logger.js';
import { DEFAULT_RETRY_POLICY, sleep as defaultSleep, type RetryPolicyOptions } from '../../../lib/retryPolicy.js';
import { PubSubConnection } from './connection.js';
import { PubSubConfigError, type PubSubError } from './errors.js';
import { Resync } from './resync.js';
import { TopicSubscriber } from './topicSubscriber.js';
import type { PubSubConsumerConfig, PubSubConsumerDeps, TopicStats } from './types.js';

const HOUR = 3_600_000;

/** Reconnect schedule: a subscription is meant to live for ever, so it retries without a count limit. */
export const DEFAULT_RECONNECT_POLICY: Readonly<RetryPolicyOptions> = Object.freeze({
  ...DEFAULT_RETRY_POLICY,
  maxRetries: Number.POSITIVE_INFINITY,
  baseDelayMs: 500,
  maxDelayMs: 60_000,
});

function validate(config: PubSubConsumerConfig): void {
  if (!/^[^\s:/]+:\d+$/.test(config.endpoint)) {
    throw new PubSubConfigError(`endpoint "${config.endpoint}" must be host:port, e.g. api.pubsub.salesforce.com:7443`);
  }
  if (config.topics.length === 0) throw new PubSubConfigError('topics is empty; name at least one, e.g. /data/AccountChangeEvent');
  for (const topic of config.topics) {
    if (!/^\/(data|event)\/[A-Za-z0-9_]+$/.test(topic)) throw new PubSubConfigError(`topic "${topic}" must look like /data/AccountChangeEvent or /event/My_Event__e`);
  }
  const maxInFlight = config.maxInFlight ?? 100;
  if (!Number.isInteger(maxInFlight) || maxInFlight < 1 || maxInFlight > 100) {
    throw new PubSubConfigError(`maxInFlight must be a whole number from 1 to 100 (Pub/Sub's cap), got ${maxInFlight}`);
  }
  const retention = config.retentionMs ?? 72 * HOUR;
  const margin = config.retentionMarginMs ?? HOUR;
  if (!(margin >= 0 && margin < retention)) throw new PubSubConfigError(`retentionMarginMs must be at least 0 and below retentionMs (${retention}), got ${margin}`);
}

/**
 * Change Data Capture and platform events over the Pub/Sub API, one subscription per topic, with
 * replay positions kept in the injected checkpoint store.
 */
export class PubSubConsumer {
  readonly #subscribers: TopicSubscriber[];
  readonly #connection: PubSubConnection;
  readonly #abort = new AbortController();
  #running: Promise<void> | null = null;
  #failures: PubSubError[] = [];

  constructor(config: PubSubConsumerConfig, deps: PubSubConsumerDeps) {
    validate(config);
    const logger = (deps.logger ?? silentLogger).child({ component: 'pubsub-consumer' });
    this.#connection = new PubSubConnection(config.endpoint, config.tls ?? {}, deps.auth);
    const resync = new Resync(deps.soql, config.resyncFields, config.recordsBatchSize ?? 200);
    const retry = { ...DEFAULT_RECONNECT_POLICY, ...config.retry };
    this.#subscribers = config.topics.map(
      (topic) =>
        new TopicSubscriber(
          {
            topic,
            maxInFlight: config.maxInFlight ?? 100,
            retry,
            retentionMs: config.retentionMs ?? 72 * HOUR,
            retentionMarginMs: config.retentionMarginMs ?? HOUR,
            lookBackMs: config.lookBackMs ?? 5 * 60_000,
            ownChangeOrigin: config.ownChangeOrigin ?? 'client=ml-connector',
            startFrom: config.startFrom ?? 'LATEST',
          },
          {
            connection: this.#connection,
            resync,
            checkpoints: deps.checkpoints,
            handler: deps.handler,
            logger,
            clock: deps.clock ?? Date.now,
            sleep: deps.sleep ?? defaultSleep,
            random: deps.random ?? Math.random,
            invalidateToken: () => deps.auth.invalidateToken(),
          },
        ),
    );
  }

  /** Starts every topic; returns at once. `stopped` settles when all have ended. */
  start(): void {
    if (this.#running) return;
    this.#running = Promise.allSettled(this.#subscribers.map((subscriber) => subscriber.run(this.#abort.signal))).then((results) => {
      this.#failures = results.flatMap((result) => (result.status === 'rejected' ? [result.reason as PubSubError] : []));
    });
  }

  /**
   * Resolves once the bus has acknowledged the subscription to `topic` (every topic when omitted):
   * a change committed after that is delivered even to a LATEST subscription. Rejects when the
   * topic stops for good or the consumer is stopped first. On a quiet topic the acknowledgement is a
   * keepalive; Salesforce promises one within 270 s, so against a real org this may take that long.
   */
  ready(topic?: string): Promise<void> {
    if (topic === undefined) return Promise.all(this.#subscribers.map((subscriber) => subscriber.ready)).then(() => undefined);
    const subscriber = this.#subscribers.find((candidate) => candidate.stats.topic === topic);
    if (!subscriber) return Promise.reject(new PubSubConfigError(`topic "${topic}" is not one this consumer subscribes to (${this.#subscribers.map((known) => known.stats.topic).join(', ')})`));
    return subscriber.ready;
  }

  /** Settles when every topic loop has ended (after `stop()`, or when each failed for good). */
  get stopped(): Promise<void> {
    return this.#running ?? Promise.resolve();
  }

  /** Topics that stopped for good, with the reason. */
  get failures(): readonly PubSubError[] {
    return this.#failures;
  }

  async stop(): Promise<void> {
    this.#abort.abort(new Error('consumer stopped'));
    for (const subscriber of this.#subscribers) subscriber.stop();
    await this.#running;
    this.#connection.close();
  }

  stats(): TopicStats[] {
    return this.#subscribers.map((subscriber) => ({ ...subscriber.stats }));
  }
}
