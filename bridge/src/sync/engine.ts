import { ConnectionStartError, NotFoundError } from '../errors.js';
import { DEFAULT_RETRY_POLICY, retryDelayMs, type RetryPolicyOptions } from '../lib/retryPolicy.js';
import type { Logger } from '../logger.js';
import type { ConnectionRuntimeStatus, EngineApi, ReplayOutcome, StreamName } from './api.js';
import { ConnectionRuntime, type ConnectionRuntimeOptions } from './connectionRuntime.js';
import { jobIdOfAuditEvent } from './jobRunner.js';
import type { SyncRepositories } from '../store/index.js';

/** Where a connection's start stands; `failing` ones are tried again with backoff. */
export interface ConnectionStartState {
  state: 'starting' | 'running' | 'failing';
  /** the last start failure, naming the connection and the underlying code */
  error: string | null;
  attempts: number;
  /** ISO time of the next attempt while failing */
  nextAttemptAt: string | null;
}

export interface EngineStartOptions {
  /** per connection: what must succeed before its runtime starts (connecting its QAD tenant) */
  prepare?: ReadonlyMap<string, () => Promise<void>>;
  /** backoff between start attempts; default 1 s doubling to 5 min, with jitter */
  startRetry?: RetryPolicyOptions;
}

const START_RETRY: RetryPolicyOptions = { ...DEFAULT_RETRY_POLICY, maxRetries: Number.MAX_SAFE_INTEGER, baseDelayMs: 1_000, maxDelayMs: 300_000 };

/**
 * The engine: one runtime per connection, behind the EngineApi the HTTP layer and the CLI use.
 * Connections are independent — a failing org or tenant degrades its own runtime only, and one
 * that cannot start (its tenant down, its login refused) is retried with backoff while the others
 * run; status() and isReady() say which.
 */
export class SyncEngine implements EngineApi {
  readonly #runtimes = new Map<string, ConnectionRuntime>();
  readonly #starts = new Map<string, ConnectionStartState>();
  readonly #timers = new Map<string, NodeJS.Timeout>();
  readonly #attempts = new Map<string, Promise<void>>();
  readonly #prepare: ReadonlyMap<string, () => Promise<void>>;
  readonly #startRetry: RetryPolicyOptions;
  #started = false;
  #stopping = false;

  constructor(
    private readonly store: SyncRepositories,
    connections: ConnectionRuntimeOptions[],
    private readonly logger: Logger,
    options: EngineStartOptions = {},
  ) {
    for (const options of connections) this.#runtimes.set(options.connectionId, new ConnectionRuntime(options));
    this.#prepare = options.prepare ?? new Map();
    this.#startRetry = options.startRetry ?? START_RETRY;
  }

  runtime(connectionId: string): ConnectionRuntime {
    const runtime = this.#runtimes.get(connectionId);
    if (!runtime) throw new NotFoundError('connection', connectionId);
    return runtime;
  }

  get runtimes(): ConnectionRuntime[] {
    return [...this.#runtimes.values()];
  }

  /** Starts every connection; one that fails is left failing (and retried), never thrown. */
  async start(): Promise<void> {
    this.#stopping = false;
    for (const id of this.#runtimes.keys()) await this.#attempt(id);
    this.#started = true;
    const failing = [...this.#starts.entries()].filter(([, s]) => s.state === 'failing').map(([id]) => id);
    this.logger.info({ connections: this.#runtimes.size, failing }, 'sync engine started');
  }

  #attempt(connectionId: string): Promise<void> {
    const running = this.#attempts.get(connectionId);
    if (running) return running;
    const attempt = this.#startConnection(connectionId).finally(() => this.#attempts.delete(connectionId));
    this.#attempts.set(connectionId, attempt);
    return attempt;
  }

  async #startConnection(connectionId: string): Promise<void> {
    const runtime = this.runtime(connectionId);
    const before = this.#starts.get(connectionId);
    const attempts = (before?.attempts ?? 0) + 1;
    this.#starts.set(connectionId, { state: before?.state === 'failing' ? 'failing' : 'starting', error: before?.error ?? null, attempts, nextAttemptAt: null });
    try {
      await this.#prepare.get(connectionId)?.();
      if (this.#stopping) return;
      await runtime.start();
      this.#starts.set(connectionId, { state: 'running', error: null, attempts, nextAttemptAt: null });
      if (attempts > 1) this.logger.info({ connectionId, attempts }, `connection ${connectionId} started after ${attempts} attempts`);
    } catch (caught) {
      const error = caught instanceof ConnectionStartError ? caught : new ConnectionStartError(connectionId, 'it could not start', caught);
      const delay = retryDelayMs(attempts, this.#startRetry);
      const nextAttemptAt = new Date(Date.now() + delay).toISOString();
      this.#starts.set(connectionId, { state: 'failing', error: error.message, attempts, nextAttemptAt });
      this.logger.error({ connectionId, code: error.causeCode ?? error.code, attempts, retryInMs: delay }, `${error.message} (attempt ${attempts}; trying again in ${Math.round(delay / 1000)} s; the other connections run)`);
      if (this.#stopping) return;
      const timer = setTimeout(() => {
        this.#timers.delete(connectionId);
        void this.#attempt(connectionId);
      }, delay);
      timer.unref();
      this.#timers.set(connectionId, timer);
    }
  }

  /** how each connection's start stands */
  startStates(): ReadonlyMap<string, ConnectionStartState> {
    return this.#starts;
  }

  isReady(): boolean {
    return this.#started && [...this.#runtimes.entries()].every(([id, r]) => this.#starts.get(id)?.state === 'running' && r.ready);
  }

  /** each connection's runtime status, with `start` saying whether it runs or is failing to start */
  async status(): Promise<Array<ConnectionRuntimeStatus & { start: ConnectionStartState }>> {
    return Promise.all(
      [...this.#runtimes.entries()].map(async ([id, r]) => ({
        ...(await r.status()),
        start: this.#starts.get(id) ?? { state: 'starting' as const, error: null, attempts: 0, nextAttemptAt: null },
      })),
    );
  }

  async pauseStream(connectionId: string, stream: StreamName): Promise<void> {
    this.runtime(connectionId).pause(stream);
  }

  async resumeStream(connectionId: string, stream: StreamName): Promise<void> {
    this.runtime(connectionId).resume(stream);
  }

  async runNow(connectionId: string): Promise<void> {
    const runtime = this.runtime(connectionId);
    // a connection failing to start is tried again now rather than at its next backoff
    if (this.#starts.get(connectionId)?.state === 'failing' && !this.#stopping) {
      clearTimeout(this.#timers.get(connectionId));
      this.#timers.delete(connectionId);
      void this.#attempt(connectionId);
      return;
    }
    runtime.requestPoll();
  }

  async replay(auditEventId: string, requestedBy: string): Promise<ReplayOutcome> {
    const jobId = jobIdOfAuditEvent(auditEventId);
    const job = jobId ? await this.store.jobs.get(jobId) : null;
    if (!job) throw new NotFoundError('audit event', auditEventId);
    return this.runtime(job.connectionId).replayer.replay(auditEventId, requestedBy);
  }

  async stop(): Promise<void> {
    this.#stopping = true;
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
    await Promise.all([...this.#attempts.values()].map((a) => a.catch(() => undefined)));
    await Promise.all([...this.#runtimes.values()].map((r) => r.stop()));
    this.#started = false;
    this.logger.info('sync engine stopped');
  }
}
