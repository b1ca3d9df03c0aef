import { ConflictError } from '../../errors.js';
import { isoAt, isUniqueViolation, type RepositoryContext } from './context.js';

export interface ConnectionRecord {
  id: string;
  name: string;
  /** the connection's non-secret configuration, as validated by config/connectionConfig */
  config: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
}

export interface ConnectionsRepository {
  create(input: { id: string; name: string; config: Record<string, unknown> }): Promise<ConnectionRecord>;
  get(id: string): Promise<ConnectionRecord | null>;
  list(): Promise<ConnectionRecord[]>;
  updateConfig(id: string, config: Record<string, unknown>, name?: string): Promise<ConnectionRecord | null>;
  remove(id: string): Promise<boolean>;
}

type Row = { id: string; name: string; config: string; created_at: string; updated_at: string };

function toRecord(row: Row): ConnectionRecord {
  return {
    id: row.id,
    name: row.name,
    config: JSON.parse(row.config) as Record<string, unknown>,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function connectionsRepository(ctx: RepositoryContext): ConnectionsRepository {
  const { db } = ctx;
  return {
    async create(input) {
      const at = isoAt(ctx.now());
      const row: Row = { id: input.id, name: input.name, config: JSON.stringify(input.config), created_at: at, updated_at: at };
      try {
        await db.insertInto('connections').values(row).execute();
      } catch (error) {
        if (isUniqueViolation(error)) throw new ConflictError(`connection ${JSON.stringify(input.id)} already exists`, { cause: error });
        throw error;
      }
      return toRecord(row);
    },

    async get(id) {
      const row = await db.selectFrom('connections').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? toRecord(row) : null;
    },

    async list() {
      const rows = await db.selectFrom('connections').selectAll().orderBy('id').execute();
      return rows.map(toRecord);
    },

    async updateConfig(id, config, name) {
      const patch: Partial<Row> = { config: JSON.stringify(config), updated_at: isoAt(ctx.now()) };
      if (name !== undefined) patch.name = name;
      await db.updateTable('connections').set(patch).where('id', '=', id).execute();
      return this.get(id);
    },

    async remove(id) {
      const result = await db.transaction().execute(async (trx) => {
        await trx.deleteFrom('credentials').where('connection_id', '=', id).execute();
        return trx.deleteFrom('connections').where('id', '=', id).executeTakeFirst();
      });
      return Number(result.numDeletedRows) > 0;
    },
  };
}
