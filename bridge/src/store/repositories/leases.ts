import { isoAt, type RepositoryContext } from './context.js';

/**
 * Named leases (e.g. `cdc:<connection>`, `qad-poll:<connection>`) so that with several bridge
 * instances on one PostgreSQL database each subscription and poller runs in exactly one place. A
 * holder renews before expiry; a dead holder's lease simply lapses and the next acquire wins.
 */
export interface Lease {
  name: string;
  holder: string;
  expiresAt: string;
}

export interface LeasesRepository {
  /**
   * true when `holder` now holds the lease (newly, or already). `takeOver` ignores another
   * holder's lease: for a single-instance bridge, whose previous process is known to be dead.
   */
  acquire(name: string, holder: string, ttlMs: number, options?: { takeOver?: boolean }): Promise<boolean>;
  /** true when still held by `holder`; false once another took it over */
  renew(name: string, holder: string, ttlMs: number): Promise<boolean>;
  release(name: string, holder: string): Promise<boolean>;
  get(name: string): Promise<Lease | null>;
}

export function leasesRepository(ctx: RepositoryContext): LeasesRepository {
  const { db } = ctx;
  return {
    async acquire(name, holder, ttlMs, acquireOptions = {}) {
      const nowMs = ctx.now();
      const now = isoAt(nowMs);
      const expiresAt = isoAt(nowMs + ttlMs);
      // One statement either inserts, or takes over when ours or lapsed; the conflict WHERE makes
      // the takeover atomic, so two instances racing for a lapsed lease cannot both win.
      const row = await db
        .insertInto('leases')
        .values({ name, holder, expires_at: expiresAt })
        .onConflict((oc) =>
          oc
            .column('name')
            .doUpdateSet({ holder, expires_at: expiresAt })
            .where((eb) => (acquireOptions.takeOver ? eb.lit(true) : eb.or([eb('leases.holder', '=', holder), eb('leases.expires_at', '<', now)]))),
        )
        .returning('holder')
        .executeTakeFirst();
      return row?.holder === holder;
    },

    async renew(name, holder, ttlMs) {
      const nowMs = ctx.now();
      const result = await db
        .updateTable('leases')
        .set({ expires_at: isoAt(nowMs + ttlMs) })
        .where('name', '=', name)
        .where('holder', '=', holder)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },

    async release(name, holder) {
      const result = await db.deleteFrom('leases').where('name', '=', name).where('holder', '=', holder).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },

    async get(name) {
      const row = await db.selectFrom('leases').selectAll().where('name', '=', name).executeTakeFirst();
      return row ? { name: row.name, holder: row.holder, expiresAt: row.expires_at } : null;
    },
  };
}
