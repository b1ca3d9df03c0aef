import { NotFoundError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { ConnectionRuntimeStatus, EngineApi, ReplayOutcome, StreamName } from './api.js';
import { ConnectionRuntime, type ConnectionRuntimeOptions } from './connectionRuntime.js';
import { jobIdOfAuditEvent } from './jobRunner.js';
import type { SyncRepositories } from '../store/index.js';

/**
 * The engine: one runtime per connection, behind the EngineApi the HTTP layer and the CLI use.
 * Connections are independent — a failing org or tenant degrades its own runtime only.
 */
export class SyncEngine implements EngineApi {
  readonly #runtimes = new Map<string, ConnectionRuntime>();
  #started = false;

  constructor(
    private readonly store: SyncRepositories,
    connections: ConnectionRuntimeOptions[],
    private readonly logger: Logger,
  ) {
    for (const options of connections) this.#runtimes.set(options.connectionId, new ConnectionRuntime(options));
  }

  runtime(connectionId: string): ConnectionRuntime {
    const runtime = this.#runtimes.get(connectionId);
    if (!runtime) throw new NotFoundError('connection', connectionId);
    return runtime;
  }

  get runtimes(): ConnectionRuntime[] {
    return [...this.#runtimes.values()];
  }

  async start(): Promise<void> {
    for (const runtime of this.#runtimes.values()) await runtime.start();
    this.#started = true;
    this.logger.info({ connections: this.#runtimes.size }, 'sync engine started');
  }

  isReady(): boolean {
    return this.#started && [...this.#runtimes.values()].every((r) => r.ready);
  }

  async status(): Promise<ConnectionRuntimeStatus[]> {
    return Promise.all([...this.#runtimes.values()].map((r) => r.status()));
  }

  async pauseStream(connectionId: string, stream: StreamName): Promise<void> {
    this.runtime(connectionId).pause(stream);
  }

  async resumeStream(connectionId: string, stream: StreamName): Promise<void> {
    this.runtime(connectionId).resume(stream);
  }

  async runNow(connectionId: string): Promise<void> {
    this.runtime(connectionId).requestPoll();
  }

  async replay(auditEventId: string, requestedBy: string): Promise<ReplayOutcome> {
    const jobId = jobIdOfAuditEvent(auditEventId);
    const job = jobId ? await this.store.jobs.get(jobId) : null;
    if (!job) throw new NotFoundError('audit event', auditEventId);
    return this.runtime(job.connectionId).replayer.replay(auditEventId, requestedBy);
  }

  async stop(): Promise<void> {
    await Promise.all([...this.#runtimes.values()].map((r) => r.stop()));
    this.#started = false;
    this.logger.info('sync engine stopped');
  }
}
