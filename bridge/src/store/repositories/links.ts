import type { Selectable } from 'kysely';
import { BridgeError } from '../../errors.js';
import { chunk, isoAt, isUniqueViolation, type RepositoryContext, inTransaction } from './context.js';
import type { RecordLinksTable } from '../schema.js';

/** One QAD record paired with one Salesforce record, plus the hash of what was last written either way. */
export interface RecordLink {
  connectionId: string;
  object: string;
  qadKey: string;
  salesforceId: string | null;
  /** content hash of the last version written in either direction; an echo with this hash is our own write */
  lastHash: string | null;
  lastSyncedAt: string;
}

export interface LinkUpsert {
  connectionId: string;
  object: string;
  qadKey: string;
  /** undefined keeps the stored id; null clears it */
  salesforceId?: string | null;
  /** undefined keeps the stored hash */
  lastHash?: string | null;
}

export interface LinksRepository {
  upsert(link: LinkUpsert): Promise<RecordLink>;
  upsertMany(links: readonly LinkUpsert[]): Promise<void>;
  findByQadKey(connectionId: string, object: string, qadKey: string): Promise<RecordLink | null>;
  findBySalesforceId(connectionId: string, object: string, salesforceId: string): Promise<RecordLink | null>;
  /** every link to one Salesforce record, whatever the object (an Account is customer and supplier) */
  findAllBySalesforceId(connectionId: string, salesforceId: string): Promise<RecordLink[]>;
  findManyByQadKeys(connectionId: string, object: string, qadKeys: readonly string[]): Promise<Map<string, RecordLink>>;
  findManyBySalesforceIds(connectionId: string, object: string, salesforceIds: readonly string[]): Promise<Map<string, RecordLink>>;
  count(connectionId: string, object?: string): Promise<number>;
}

/** Two QAD keys claim the same Salesforce record: a data problem a person must resolve, never retried. */
export class LinkConflictError extends BridgeError {
  constructor(message: string, cause: unknown) {
    super('BRIDGE_ERR_LINK_CONFLICT', message, { statusCode: 409, retryable: false, cause });
  }
}

type Row = Selectable<RecordLinksTable>;

function toLink(row: Row): RecordLink {
  return {
    connectionId: row.connection_id,
    object: row.object,
    qadKey: row.qad_key,
    salesforceId: row.salesforce_id,
    lastHash: row.last_hash,
    lastSyncedAt: row.last_synced_at,
  };
}

const CHUNK = 500;

function definedOnly(link: LinkUpsert): Partial<LinkUpsert> {
  return Object.fromEntries(Object.entries(link).filter(([, value]) => value !== undefined)) as Partial<LinkUpsert>;
}

export function linksRepository(ctx: RepositoryContext): LinksRepository {
  const { db } = ctx;

  async function upsertOne(executor: RepositoryContext['db'], link: LinkUpsert): Promise<void> {
    const at = isoAt(ctx.now());
    const update: Partial<Row> = { last_synced_at: at };
    if (link.salesforceId !== undefined) update.salesforce_id = link.salesforceId;
    if (link.lastHash !== undefined) update.last_hash = link.lastHash;
    try {
      await executor
        .insertInto('record_links')
        .values({
          connection_id: link.connectionId,
          object: link.object,
          qad_key: link.qadKey,
          salesforce_id: link.salesforceId ?? null,
          last_hash: link.lastHash ?? null,
          last_synced_at: at,
        })
        .onConflict((oc) => oc.columns(['connection_id', 'object', 'qad_key']).doUpdateSet(update))
        .execute();
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new LinkConflictError(
          `${link.object} ${link.salesforceId ?? ''} is already linked to another QAD key than ${JSON.stringify(link.qadKey)}`,
          error,
        );
      }
      throw error;
    }
  }

  return {
    async upsert(link) {
      await upsertOne(db, link);
      const stored = await this.findByQadKey(link.connectionId, link.object, link.qadKey);
      if (!stored) throw new Error('link vanished right after upsert');
      return stored;
    },

    async upsertMany(links) {
      if (links.length === 0) return;
      // One statement per chunk and per shape (which of id and hash the caller sets): a link left
      // undefined keeps its stored value, so rows that set different columns cannot share an UPDATE.
      const latest = new Map<string, LinkUpsert>();
      for (const link of links) {
        const id = `${link.connectionId}\u0000${link.object}\u0000${link.qadKey}`;
        const earlier = latest.get(id);
        latest.set(id, earlier ? { ...earlier, ...definedOnly(link) } : link);
      }
      const shapes = new Map<string, LinkUpsert[]>();
      for (const link of latest.values()) {
        const shape = `${link.connectionId}\u0000${link.object}\u0000${link.salesforceId !== undefined}/${link.lastHash !== undefined}`;
        shapes.set(shape, [...(shapes.get(shape) ?? []), link]);
      }
      const at = isoAt(ctx.now());
      await inTransaction(db, async (trx) => {
        for (const group of shapes.values()) {
          const sample = group[0]!;
          for (const part of chunk(group, CHUNK)) {
            // a Salesforce record already linked to another QAD key is named before anything is written
            const ids = part.map((link) => link.salesforceId).filter((id): id is string => typeof id === 'string');
            if (ids.length > 0) {
              const holders = await trx.selectFrom('record_links').select(['object', 'qad_key', 'salesforce_id']).where('connection_id', '=', sample.connectionId).where('object', '=', sample.object).where('salesforce_id', 'in', ids).execute();
              const holderOf = new Map(holders.map((row) => [row.salesforce_id, row.qad_key]));
              const claimed = new Map<string, string>();
              for (const link of part) {
                if (typeof link.salesforceId !== 'string') continue;
                const holder = holderOf.get(link.salesforceId) ?? claimed.get(link.salesforceId);
                if (holder !== undefined && holder !== link.qadKey) {
                  throw new LinkConflictError(`${link.object} ${link.salesforceId} is already linked to another QAD key than ${JSON.stringify(link.qadKey)}`, null);
                }
                claimed.set(link.salesforceId, link.qadKey);
              }
            }
            try {
              await trx
                .insertInto('record_links')
                .values(part.map((link) => ({ connection_id: link.connectionId, object: link.object, qad_key: link.qadKey, salesforce_id: link.salesforceId ?? null, last_hash: link.lastHash ?? null, last_synced_at: at })))
                .onConflict((oc) =>
                  oc.columns(['connection_id', 'object', 'qad_key']).doUpdateSet((eb) => ({
                    last_synced_at: eb.ref('excluded.last_synced_at'),
                    ...(sample.salesforceId !== undefined ? { salesforce_id: eb.ref('excluded.salesforce_id') } : {}),
                    ...(sample.lastHash !== undefined ? { last_hash: eb.ref('excluded.last_hash') } : {}),
                  })),
                )
                .execute();
            } catch (error) {
              if (isUniqueViolation(error)) throw new LinkConflictError(`a ${sample.object} Salesforce record in this batch is already linked to another QAD key`, error);
              throw error;
            }
          }
        }
      });
    },

    async findByQadKey(connectionId, object, qadKey) {
      const row = await db
        .selectFrom('record_links')
        .selectAll()
        .where('connection_id', '=', connectionId)
        .where('object', '=', object)
        .where('qad_key', '=', qadKey)
        .executeTakeFirst();
      return row ? toLink(row) : null;
    },

    async findBySalesforceId(connectionId, object, salesforceId) {
      const row = await db
        .selectFrom('record_links')
        .selectAll()
        .where('connection_id', '=', connectionId)
        .where('object', '=', object)
        .where('salesforce_id', '=', salesforceId)
        .executeTakeFirst();
      return row ? toLink(row) : null;
    },

    async findAllBySalesforceId(connectionId, salesforceId) {
      const rows = await db
        .selectFrom('record_links')
        .selectAll()
        .where('connection_id', '=', connectionId)
        .where('salesforce_id', '=', salesforceId)
        .orderBy('object')
        .execute();
      return rows.map(toLink);
    },

    async findManyByQadKeys(connectionId, object, qadKeys) {
      const result = new Map<string, RecordLink>();
      for (const part of chunk([...new Set(qadKeys)], CHUNK)) {
        const rows = await db
          .selectFrom('record_links')
          .selectAll()
          .where('connection_id', '=', connectionId)
          .where('object', '=', object)
          .where('qad_key', 'in', part)
          .execute();
        for (const row of rows) result.set(row.qad_key, toLink(row));
      }
      return result;
    },

    async findManyBySalesforceIds(connectionId, object, salesforceIds) {
      const result = new Map<string, RecordLink>();
      for (const part of chunk([...new Set(salesforceIds)], CHUNK)) {
        const rows = await db
          .selectFrom('record_links')
          .selectAll()
          .where('connection_id', '=', connectionId)
          .where('object', '=', object)
          .where('salesforce_id', 'in', part)
          .execute();
        for (const row of rows) if (row.salesforce_id) result.set(row.salesforce_id, toLink(row));
      }
      return result;
    },

    async count(connectionId, object) {
      let query = db
        .selectFrom('record_links')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('connection_id', '=', connectionId);
      if (object !== undefined) query = query.where('object', '=', object);
      const row = await query.executeTakeFirstOrThrow();
      return Number(row.n);
    },
  };
}
