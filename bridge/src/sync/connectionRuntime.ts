import { instanceId } from '../lib/instanceId.js';
import type { RetryPolicyOptions } from '../lib/retryPolicy.js';
import type { Logger } from '../logger.js';
import type { ConnectionRuntimeStatus, StreamName, StreamState } from './api.js';
import { ALL_AUDIT_STATUSES, DEFAULT_MIRROR_MAX_ATTEMPTS, MIRROR_BATCH, mirrorAuditOnce, readMirroredStatuses } from './auditMirror.js';
import { BatchSizer } from '../lib/batchSizer.js';
import { catchUpActivatedOrders } from './catchUp.js';
import { createChangeIntake } from './changeIntake.js';
import { sendHeartbeat, type CdcSubscriptionState } from './heartbeat.js';
import { JobRunner } from './jobRunner.js';
import type { MappingSet } from './mapping.js';
import { finishBackfill, pollQadOnce, type PollResult } from './poller.js';
import type { EventConsumer, EventConsumerFactory, QadPort, ReplayCheckpointStore, SalesforcePort } from './ports.js';
import { storeReplayCheckpoints } from './replayCheckpoints.js';
import { Signal } from '../lib/signal.js';
import { Replayer, replayPendingRequests } from './replay.js';
import type { SyncMetrics } from './metrics.js';
import type { StreamContext, SyncStream } from './stream.js';
import type { SyncRepositories } from '../store/index.js';
import { ConnectionLease } from './connectionLease.js';
import { RuntimeHealth } from './runtimeHealth.js';
import { STREAM_ORDER, StreamWorker, type Direction } from './streamWorker.js';
import { connectionStreams, standardPricebookReader } from './streams/index.js';

export interface ConnectionRuntimeOptions {
  connectionId: string;
  salesforce: SalesforcePort;
  qad: QadPort;
  store: SyncRepositories;
  mappings: MappingSet;
  logger: Logger;
  clock?: () => number;
  random?: () => number;
  /** identifies this process in job claims and leases */
  workerId?: string;
  pollIntervalMs?: number;
  mirrorIntervalMs?: number;
  heartbeatIntervalMs?: number;
  idleMs?: number;
  maxAttempts?: number;
  retry?: RetryPolicyOptions;
  /** QAD writes in flight at once for this connection (order stream batch) */
  concurrency?: number;
  /** Salesforce write batches in flight at once for this connection (config `concurrency.salesforce`) */
  salesforceConcurrency?: number;
  consumerFactory?: EventConsumerFactory;
  /**
   * How long start-up waits for the bus to acknowledge the change-event subscription before it
   * carries on (default 10 s). Against a quiet real org the acknowledgement is the first
   * keepalive, up to 270 s away, and start must not hang on it: past this wait the runtime keeps
   * listening in the background and reports ready (and catches up orders again) once it comes.
   */
  cdcReadyWaitMs?: number;
  /** statuses mirrored to Sync_Audit__c; default all */
  mirroredStatuses?: string[];
  /** refusals of one audit row by Sync_Audit__c before it is marked mirror-failed (default 5) */
  auditMirrorMaxAttempts?: number;
  bridgeVersion?: string;
  leaseMs?: number;
  lockMs?: number;
  /**
   * How long a runtime may have due work and make no progress before it reports itself stalled:
   * not ready on /ready, Degraded with the reason in Sync_Bridge_Status__c (default 5 minutes)
   */
  stallAfterMs?: number;
  /** queued jobs per stream past which the QAD poll waits for the workers (default 20,000) */
  maxQueuedPerStream?: number;
  /** one bridge per SQLite file: running jobs and the lease left by a killed process are taken back at start */
  singleInstance?: boolean;
  /** streams the config starts paused (or disabled) */
  initiallyPaused?: StreamName[];
  metrics?: SyncMetrics;
}

export class ConnectionRuntime {
  readonly connectionId: string;
  readonly streams: ReadonlyMap<string, SyncStream>;
  readonly #o: Required<Omit<ConnectionRuntimeOptions, 'consumerFactory' | 'random' | 'retry' | 'mirroredStatuses' | 'initiallyPaused' | 'metrics'>> & Pick<ConnectionRuntimeOptions, 'consumerFactory' | 'random' | 'retry' | 'mirroredStatuses' | 'metrics'>;
  readonly #paused = new Set<StreamName>();
  readonly #runner: JobRunner;
  readonly #worker: StreamWorker;
  readonly #lease: ConnectionLease;
  readonly #replayer: Replayer;
  readonly #context: StreamContext;
  readonly #health: RuntimeHealth;
  #consumer: EventConsumer | null = null;
  #loop: Promise<void> | null = null;
  #stopping = false;
  /** wakes the job loop (new work queued, a stream resumed, stop) */
  readonly #work = new Signal();
  /** wakes the poll loop (a poll requested, stop) */
  readonly #pollSignal = new Signal();
  /** wakes pollers waiting for room in a stream's queue (jobs were processed, stop) */
  readonly #roomSignal = new Signal();
  readonly #mirrorSizer = new BatchSizer({ min: 200, max: MIRROR_BATCH, start: 2_500 });
  /** QAD → Salesforce streams whose records the running poll is still reading */
  readonly #reading = new Set<StreamName>();
  #lastPollAt = 0;
  #lastMirrorAt = 0;
  #lastHeartbeatAt = 0;
  #pollRequested = false;
  #cdcPosition: string | null = null;
  #cdcLastEventAt: string | null = null;
  #lastQadPoll: string | null = null;
  #mirroredStatuses: Set<string>;
  #started = false;
  /** false from the consumer's start until the bus has acknowledged every subscription */
  #cdcAcknowledged = true;

  /** started, the change-event subscription (if this instance runs one) acknowledged by the bus, and not stalled */
  get ready(): boolean {
    return this.#started && this.#cdcAcknowledged && this.#health.stalled === null;
  }

  /** why the runtime is stalled (due work and no progress for stallAfterMs), or null */
  get stalled(): string | null {
    return this.#health.stalled;
  }

  constructor(options: ConnectionRuntimeOptions) {
    this.#o = {
      clock: Date.now,
      // a stable identity per instance (lib/instanceId.ts), not per process: a bridge restarted
      // after a crash takes back its own locks and lease at once instead of waiting for them to lapse
      workerId: `${instanceId()}/${options.connectionId}`,
      pollIntervalMs: 60_000,
      mirrorIntervalMs: 2_000,
      heartbeatIntervalMs: 30_000,
      idleMs: 250,
      maxAttempts: 5,
      concurrency: 4,
      salesforceConcurrency: 4,
      bridgeVersion: '0.1.0',
      leaseMs: 30_000,
      lockMs: 120_000,
      singleInstance: false,
      cdcReadyWaitMs: 10_000,
      maxQueuedPerStream: 20_000,
      stallAfterMs: 5 * 60_000,
      auditMirrorMaxAttempts: DEFAULT_MIRROR_MAX_ATTEMPTS,
      ...options,
    };
    this.connectionId = options.connectionId;
    for (const stream of options.initiallyPaused ?? []) this.#paused.add(stream);
    this.#mirroredStatuses = new Set(options.mirroredStatuses ?? ALL_AUDIT_STATUSES);
    this.streams = connectionStreams();
    this.#health = new RuntimeHealth({ clock: this.#o.clock, heartbeatIntervalMs: this.#o.heartbeatIntervalMs, stallAfterMs: this.#o.stallAfterMs, logger: this.#o.logger });
    const store = this.#o.store;
    this.#context = {
      connectionId: this.connectionId,
      salesforce: this.#o.salesforce,
      qad: this.#o.qad,
      links: store.links,
      mappings: this.#o.mappings,
      logger: this.#o.logger,
      standardPricebookId: standardPricebookReader(this.#o.salesforce),
    };
    this.#runner = new JobRunner({
      store,
      context: this.#context,
      workerId: this.#o.workerId,
      clock: this.#o.clock,
      logger: this.#o.logger,
      lockMs: this.#o.lockMs,
      ...(this.#o.metrics ? { onSettled: (stream: string, status: string) => this.#o.metrics!.recordAttempt(this.connectionId, stream, status) } : {}),
      ...(this.#o.random ? { random: this.#o.random } : {}),
      ...(this.#o.retry ? { retry: this.#o.retry } : {}),
    });
    this.#worker = new StreamWorker({
      runner: this.#runner,
      streams: this.streams,
      isPaused: (stream) => this.isPaused(stream),
      onRan: (stream) => this.#health.ran(stream),
      onError: (stream, error) => this.#recordError(stream, error),
      salesforceWrites: this.#o.salesforceConcurrency,
      qadWrites: this.#o.concurrency,
      readyToClaim: async (stream, batchSize) => !this.#reading.has(stream.name) || this.#o.store.jobs.hasQueued(this.connectionId, stream.name, Math.min(batchSize, this.#o.maxQueuedPerStream)),
    });
    this.#lease = new ConnectionLease({
      store,
      connectionId: this.connectionId,
      workerId: this.#o.workerId,
      leaseMs: this.#o.leaseMs,
      clock: this.#o.clock,
      singleInstance: this.#o.singleInstance,
    });
    this.#replayer = new Replayer({
      store,
      streams: this.streams,
      runner: this.#runner,
      context: this.#context,
      clock: this.#o.clock,
      workerId: this.#o.workerId,
      maxAttempts: this.#o.maxAttempts,
      logger: this.#o.logger,
    });
  }

  #now(): string {
    return new Date(this.#o.clock()).toISOString();
  }

  get replayer(): Replayer {
    return this.#replayer;
  }

  #cdcSubscriptionState(): CdcSubscriptionState {
    if (!this.#o.consumerFactory) return 'Not Used';
    return this.#consumer?.live?.() ? 'Subscribed' : 'Connecting';
  }

  /** whether the change-event subscription is delivering (true when none is configured) */
  cdcLive(): boolean {
    if (!this.#o.consumerFactory) return true;
    return this.#consumer?.live?.() ?? false;
  }

  /** audit rows Sync_Audit__c refused too often, kept locally and no longer sent */
  async mirrorFailedRows(): Promise<number> {
    return this.#o.store.audit.countMirrorFailed(this.connectionId);
  }

  cdcStats(): unknown {
    return this.#consumer?.stats?.() ?? null;
  }

  isPaused(stream: StreamName): boolean {
    return this.#paused.has(stream);
  }

  pause(stream: StreamName): void {
    this.#paused.add(stream);
  }

  resume(stream: StreamName): void {
    this.#paused.delete(stream);
    this.kick();
  }

  /** ends the idle wait so new work is picked up now */
  kick(): void {
    this.#work.notify();
  }

  requestPoll(): void {
    this.#pollRequested = true;
    this.#pollSignal.notify();
  }

  /**
   * Backpressure for the poll: it waits while the stream already has `maxQueuedPerStream` queued
   * jobs, so reading QAD never runs further ahead of the Salesforce writes than that.
   */
  async #room(stream: StreamName): Promise<void> {
    while (!this.#stopping && (await this.#o.store.jobs.hasQueued(this.connectionId, stream, this.#o.maxQueuedPerStream))) {
      this.kick();
      await this.#roomSignal.wait(200);
    }
  }

  replayCheckpoints(): ReplayCheckpointStore {
    return storeReplayCheckpoints(this.#o.store, this.connectionId, (replayId, lastEventAt) => {
      this.#cdcPosition = replayId;
      this.#cdcLastEventAt = lastEventAt;
    });
  }

  /** runs one QAD poll now (a backfill passes full) */
  async pollNow(options: { full?: boolean; onProgress?: (object: string, read: number) => void } = {}): Promise<PollResult> {
    const result = await pollQadOnce({
      connectionId: this.connectionId,
      qad: this.#o.qad,
      store: this.#o.store,
      clock: this.#o.clock,
      maxAttempts: this.#o.maxAttempts,
      isPaused: (s) => this.isPaused(s),
      ...(options.full ? { full: true } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      room: (stream) => this.#room(stream),
      onPage: () => {
        this.#health.progressed();
        this.kick();
      },
      onStream: (stream, reading) => {
        if (reading) this.#reading.add(stream);
        else this.#reading.delete(stream);
        this.kick();
      },
    });
    this.#lastPollAt = this.#o.clock();
    this.#lastQadPoll = result.runId;
    return result;
  }

  /** runs every due job of every unpaused stream until none is due; resolves to the number processed */
  async drainOnce(): Promise<number> {
    const processed = await this.#worker.drainOnce();
    if (processed > 0) {
      this.#health.progressed();
      this.#roomSignal.notify();
    }
    return processed;
  }

  /** mirrors the audit backlog; resolves to the rows it settled (sent, or left out as not mirrored) */
  async mirrorNow(): Promise<number> {
    const totals = await mirrorAuditOnce({
      connectionId: this.connectionId,
      store: this.#o.store,
      salesforce: this.#o.salesforce,
      logger: this.#o.logger,
      clock: this.#o.clock,
      mirroredStatuses: () => this.#mirroredStatuses,
      maxAttempts: this.#o.auditMirrorMaxAttempts,
      sizer: this.#mirrorSizer,
    });
    this.#lastMirrorAt = this.#o.clock();
    return totals.sent + totals.skipped;
  }

  async heartbeatNow(status: 'Running' | 'Degraded' | 'Stopped' = this.#health.status()): Promise<void> {
    await sendHeartbeat(this.#o.salesforce, {
      connectionId: this.connectionId,
      status,
      now: this.#now(),
      lastQadPoll: this.#lastQadPoll ?? (await this.#o.store.checkpoints.get(this.connectionId, 'qad-last-poll')),
      cdcReplayPosition: this.#cdcPosition,
      cdcLastEventAt: this.#cdcLastEventAt,
      budget: this.#o.salesforce.budget(),
      lastError: this.#health.stalled ?? this.#health.lastError,
      bridgeVersion: this.#o.bridgeVersion,
      cdcSubscriptionState: this.#cdcSubscriptionState(),
    });
    this.#lastHeartbeatAt = this.#o.clock();
  }

  #recordError(where: string, error: unknown): void {
    this.#health.recordError(where, error);
  }

  /** replay rows the org marked Replay Requested while no bridge was listening */
  async replayPendingRequests(): Promise<number> {
    return replayPendingRequests(this.#o.salesforce, this.connectionId, this.#replayer, (error) => this.#recordError('replay-requests', error));
  }

  /** orders activated while no subscription was listening (see catchUp.ts) */
  async catchUpOrders(): Promise<number> {
    if (this.isPaused('sf-orders')) return 0;
    return catchUpActivatedOrders({ salesforce: this.#o.salesforce, store: this.#o.store, connectionId: this.connectionId, maxAttempts: this.#o.maxAttempts });
  }

  /**
   * One pass without the loop (for `sync --once` and `backfill`): poll QAD while the jobs it queues
   * are worked and the audit is mirrored, catch up orders and pending replay requests, then run
   * every due job until none is left, mirror the rest of the audit, heartbeat.
   */
  async runOnce(options: { full?: boolean; onProgress?: (object: string, read: number) => void; onDrained?: (processed: number) => void } = {}): Promise<{ poll: PollResult; processed: number; pending: number }> {
    return this.#lease.during(async () => {
      let polling = true;
      const poll = this.pollNow({ ...(options.full ? { full: true } : {}), ...(options.onProgress ? { onProgress: options.onProgress } : {}) }).finally(() => {
        polling = false;
        this.kick();
      });
      let processed = 0;
      const work = (async () => {
        for (;;) {
          const n = await this.drainOnce();
          processed += n;
          if (n > 0) options.onDrained?.(processed);
          else if (!polling) return;
          else await this.#work.wait(100);
        }
      })();
      let working = true;
      // the mirror keeps pace with the work, so the trail never piles up behind a long backfill
      const mirror = (async () => {
        while (!this.isPaused('audit-mirror')) {
          const sent = await this.mirrorNow();
          if (sent > 0) continue;
          if (!working) return;
          await this.#work.wait(250);
        }
      })();
      const [pollResult] = await Promise.all([poll, work]).finally(() => {
        working = false;
      });
      await mirror.catch((error: unknown) => this.#recordError('audit-mirror', error));
      await this.catchUpOrders().catch((error: unknown) => this.#recordError('sf-orders', error));
      await this.replayPendingRequests().catch((error: unknown) => this.#recordError('replay-requests', error));
      for (;;) {
        const n = await this.drainOnce();
        processed += n;
        options.onDrained?.(processed);
        if (n === 0) break;
      }
      if (!this.isPaused('audit-mirror')) await this.mirrorNow();
      const pending = await this.#pendingJobs();
      if (options.full && pending === 0) await finishBackfill(this.#o.store, this.connectionId);
      await this.heartbeatNow();
      return { poll: pollResult, processed, pending };
    });
  }

  async start(): Promise<void> {
    await this.#lease.takeBackAtStart();
    this.#stopping = false;
    if ((await this.#lease.tryHold()).gained) await this.#becomeLeader();
    this.#started = true;
    this.#loop = this.#run();
  }

  async loadMirrorSetting(): Promise<void> {
    if (this.#o.mirroredStatuses) return;
    const fromOrg = await readMirroredStatuses(this.#o.salesforce, this.#o.logger);
    if (fromOrg) this.#mirroredStatuses = fromOrg;
  }

  async #becomeLeader(): Promise<void> {
    await this.loadMirrorSetting();
    if (this.#o.consumerFactory && !this.#consumer) {
      const intake = createChangeIntake({
        connectionId: this.connectionId,
        store: this.#o.store,
        clock: this.#o.clock,
        maxAttempts: this.#o.maxAttempts,
        logger: this.#o.logger,
        isPaused: (s) => this.isPaused(s),
        requestReplay: async (id, by) => {
          await this.#replayer.replay(id, by).catch((error: unknown) => this.#recordError('replay-requests', error));
        },
        onQueued: () => this.kick(),
      });
      const consumer = this.#o.consumerFactory(intake, this.replayCheckpoints());
      this.#consumer = consumer;
      this.#cdcAcknowledged = false;
      await consumer.start();
      await this.#awaitSubscription(consumer);
    }
    // after the subscription is acknowledged: an order activated before then is found here, one
    // activated after arrives as an event (a first subscription starts at LATEST)
    await this.catchUpOrders().catch((error: unknown) => this.#recordError('sf-orders', error));
    await this.replayPendingRequests().catch((error: unknown) => this.#recordError('replay-requests', error));
  }

  /** waits (bounded) for the bus's acknowledgement; past the bound it is awaited in the background */
  async #awaitSubscription(consumer: EventConsumer): Promise<void> {
    const acknowledged = consumer.ready().then(
      () => {
        if (this.#consumer === consumer) this.#cdcAcknowledged = true;
        return true;
      },
      (error: unknown) => {
        if (this.#consumer === consumer && !this.#stopping) this.#recordError('cdc', error);
        return false;
      },
    );
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), this.#o.cdcReadyWaitMs);
    });
    const first = await Promise.race([acknowledged, timedOut]);
    clearTimeout(timer);
    if (first !== 'timeout') return;
    this.#o.logger.warn({ waitedMs: this.#o.cdcReadyWaitMs }, 'change-event subscription not acknowledged yet (a quiet org answers with its first keepalive); starting anyway, ready once it is');
    void acknowledged.then(async (ok) => {
      if (!ok || this.#consumer !== consumer || this.#stopping) return;
      this.#o.logger.info('change-event subscription acknowledged');
      // orders activated between the start-up catch-up and the acknowledgement had no listener
      await this.catchUpOrders().catch((error: unknown) => this.#recordError('sf-orders', error));
      this.kick();
    });
  }

  /**
   * The running bridge is four loops that never wait on each other: jobs (and the lease), the QAD
   * poll, the audit mirror and the heartbeat. A poll that fails or takes an hour does not stall the
   * jobs, the mirror or the heartbeat, and a long mirror backlog does not hold up the jobs.
   */
  async #run(): Promise<void> {
    await Promise.all([this.#leaseLoop(), this.#jobLoop('QAD to Salesforce'), this.#jobLoop('Salesforce to QAD'), this.#pollLoop(), this.#mirrorLoop(), this.#heartbeatLoop()]);
  }

  async #leaseLoop(): Promise<void> {
    while (!this.#stopping) {
      try {
        if (this.#lease.renewalDue() && (await this.#lease.tryHold()).gained) await this.#becomeLeader();
      } catch (error) {
        this.#recordError('engine', error);
      }
      if (!this.#stopping) await this.#pollSignal.wait(Math.min(1_000, Math.max(this.#o.idleMs, this.#o.leaseMs / 10)));
    }
  }

  /**
   * One loop per direction: a change made in Salesforce (an Account edit, an activated Order) is
   * taken as soon as it is queued, even while the other loop is in the middle of a Bulk job of ten
   * thousand QAD records.
   */
  async #jobLoop(direction: Direction): Promise<void> {
    while (!this.#stopping) {
      let processed = 0;
      try {
        processed = await this.#worker.drain(direction);
        if (processed > 0) {
          this.#health.progressed();
          this.#roomSignal.notify();
        }
      } catch (error) {
        this.#recordError('engine', error);
      }
      if (processed === 0 && !this.#stopping) await this.#work.wait(this.#o.idleMs);
    }
  }

  async #pollLoop(): Promise<void> {
    const { clock } = this.#o;
    while (!this.#stopping) {
      if (this.#lease.held && (this.#pollRequested || clock() - this.#lastPollAt >= this.#o.pollIntervalMs)) {
        this.#pollRequested = false;
        try {
          await this.pollNow();
        } catch (error) {
          this.#lastPollAt = clock();
          this.#recordError('qad-poll', error);
        }
      }
      if (this.#stopping) break;
      await this.#pollSignal.wait(Math.max(this.#o.idleMs, Math.min(1_000, this.#o.pollIntervalMs)));
    }
  }

  async #mirrorLoop(): Promise<void> {
    while (!this.#stopping) {
      let sent = 0;
      if (this.#lease.held && !this.isPaused('audit-mirror')) {
        try {
          sent = await this.mirrorNow();
          if (sent > 0) this.#health.progressed();
        } catch (error) {
          this.#recordError('audit-mirror', error);
        }
      }
      // a backlog is sent batch after batch; otherwise the mirror looks again after its interval
      if (sent === 0 && !this.#stopping) await this.#work.wait(this.#o.mirrorIntervalMs);
    }
  }

  /** streams (not paused) with a job due now: one index probe each */
  async #streamsWithDueWork(): Promise<string[]> {
    const due: string[] = [];
    for (const name of this.streams.keys()) {
      if (!this.isPaused(name as StreamName) && (await this.#o.store.jobs.hasDue(this.connectionId, name))) due.push(name);
    }
    return due;
  }

  async #heartbeatLoop(): Promise<void> {
    this.#health.progressed();
    while (!this.#stopping) {
      await this.#health.checkStall(() => this.#streamsWithDueWork()).catch((error: unknown) => this.#recordError('engine', error));
      if (this.#lease.held && this.#o.clock() - this.#lastHeartbeatAt >= this.#o.heartbeatIntervalMs) {
        await this.heartbeatNow().catch((error: unknown) => this.#recordError('heartbeat', error));
      }
      if (this.#stopping) break;
      await this.#pollSignal.wait(Math.min(1_000, this.#o.heartbeatIntervalMs));
    }
  }

  /** stops the loop after its current batch, hands back unfinished jobs, says Stopped, drops the lease */
  async stop(): Promise<void> {
    this.#stopping = true;
    this.kick();
    this.#pollSignal.notify();
    this.#roomSignal.notify();
    await this.#loop;
    this.#loop = null;
    if (this.#consumer) {
      await this.#consumer.stop().catch((error: unknown) => this.#recordError('cdc', error));
      this.#consumer = null;
      this.#cdcAcknowledged = true;
    }
    await this.#o.store.jobs.release(this.#o.workerId);
    if (this.#lease.held) {
      await this.mirrorNow().catch((error: unknown) => this.#recordError('audit-mirror', error));
      await this.heartbeatNow('Stopped').catch((error: unknown) => this.#recordError('heartbeat', error));
      await this.#lease.release();
    }
    this.#started = false;
  }

  /** queued or running; waiting and failed jobs need something else to happen first */
  async #pendingJobs(stream?: StreamName): Promise<number> {
    const counts = await this.#o.store.jobs.counts(this.connectionId, stream);
    return counts.queued + counts.running;
  }

  async status(): Promise<ConnectionRuntimeStatus> {
    const streams: StreamState[] = [];
    for (const name of [...STREAM_ORDER, 'audit-mirror', 'replay-requests'] as StreamName[]) {
      const state = this.#health.stream(name);
      streams.push({
        stream: name,
        paused: this.#paused.has(name),
        lastRunAt: state?.lastRunAt ?? null,
        lastError: state?.lastError ?? null,
        pendingJobs: this.streams.has(name) ? await this.#pendingJobs(name) : 0,
      });
    }
    return {
      connectionId: this.connectionId,
      running: this.#loop !== null,
      streams,
      lastQadPollAt: this.#lastQadPoll,
      cdcPosition: this.#cdcPosition,
      apiBudget: this.#o.salesforce.budget(),
      stalled: this.#health.stalled,
    };
  }
}
