import type { SyncRepositories } from '../store/index.js';

export interface ConnectionLeaseOptions {
  store: SyncRepositories;
  connectionId: string;
  workerId: string;
  leaseMs: number;
  clock: () => number;
  /** one bridge per SQLite file: whatever a previous process left running or leased is dead */
  singleInstance: boolean;
}

/**
 * Who runs a connection. With several bridges on one PostgreSQL database, the lease holder alone
 * subscribes, polls, mirrors and heartbeats (every instance works jobs); a holder that dies lets
 * the lease lapse and another takes over. A single-instance bridge takes everything back at start.
 */
export class ConnectionLease {
  readonly #o: ConnectionLeaseOptions;
  readonly #name: string;
  #held = false;
  #lastAttemptAt = 0;

  constructor(options: ConnectionLeaseOptions) {
    this.#o = options;
    this.#name = `connection:${options.connectionId}`;
  }

  get held(): boolean {
    return this.#held;
  }

  /** jobs a previous process left running go back to the queue; a single instance takes the lease too */
  async takeBackAtStart(): Promise<void> {
    const { store, workerId } = this.#o;
    if (this.#o.singleInstance) {
      await store.jobs.requeueExpired({ all: true });
      await store.leases.acquire(this.#name, workerId, this.#o.leaseMs, { takeOver: true });
    } else {
      await store.jobs.release(workerId);
      await store.jobs.requeueExpired();
    }
  }

  /** renewed at a third of its life, so a slow pass never lets it lapse under us */
  renewalDue(): boolean {
    return !this.#held || this.#o.clock() - this.#lastAttemptAt > this.#o.leaseMs / 3;
  }

  /** takes or renews the lease; resolves true when this call made us the holder */
  async tryHold(): Promise<{ held: boolean; gained: boolean }> {
    const had = this.#held;
    this.#lastAttemptAt = this.#o.clock();
    this.#held = await this.#o.store.leases.acquire(this.#name, this.#o.workerId, this.#o.leaseMs);
    return { held: this.#held, gained: this.#held && !had };
  }

  async release(): Promise<void> {
    if (!this.#held) return;
    await this.#o.store.leases.release(this.#name, this.#o.workerId);
    this.#held = false;
  }

  /** one pass without the loop (`sync --once`, `backfill`): refused while another instance holds the connection */
  async during<T>(pass: () => Promise<T>): Promise<T> {
    const { store, workerId, leaseMs, connectionId } = this.#o;
    if (this.#o.singleInstance) await store.jobs.requeueExpired({ all: true });
    const held = await store.leases.acquire(this.#name, workerId, leaseMs * 10, { takeOver: this.#o.singleInstance });
    if (!held) throw Object.assign(new Error(`another bridge instance holds connection ${connectionId}; stop it or wait for its lease to expire`), { code: 'BRIDGE_ERR_LEASE_HELD' });
    try {
      return await pass();
    } finally {
      await store.leases.release(this.#name, workerId);
    }
  }
}
