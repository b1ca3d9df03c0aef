import type { SchemaCatalog } from './schema/catalog.js';
import type { FieldDef } from './schema/types.js';
import type { StoredValue } from './values.js';

/**
 * In-memory tables of the simulated org. Rows are never mutated in place (an update stores a new
 * object), so a query cursor holding row references keeps the snapshot it was opened on. Each
 * table indexes its rows by Id and by every External ID field, which keeps upserts and key lookups
 * constant-time on tables of tens of thousands of rows.
 */
export type Row = Readonly<Record<string, StoredValue>>;

export interface DeletedRow {
  row: Row;
  deletedAt: number;
}

class Table {
  readonly rows = new Map<string, Row>();
  readonly deleted = new Map<string, DeletedRow>();
  readonly keyIndexes = new Map<string, Map<string, Set<string>>>();
  /** lookup field -> parent id -> child ids, for child subqueries, roll-ups and cascades */
  readonly refIndexes = new Map<string, Map<string, Set<string>>>();

  constructor(
    readonly keyFields: FieldDef[],
    readonly refFields: FieldDef[],
  ) {
    for (const field of keyFields) this.keyIndexes.set(field.name, new Map());
    for (const field of refFields) this.refIndexes.set(field.name, new Map());
  }
}

/** Matching is case-insensitive only for a Unique field that is not case-sensitive (facts §10). */
export function externalKey(field: FieldDef, value: StoredValue): string | null {
  if (value === null) return null;
  const text = String(value);
  return field.unique && !field.caseSensitive ? text.toLowerCase() : text;
}

/** Undo steps of one transaction, replayed backwards when allOrNone rolls it back. */
export class Journal {
  private readonly undo: Array<() => void> = [];
  record(step: () => void): void {
    this.undo.push(step);
  }
  mark(): number {
    return this.undo.length;
  }
  /** Undoes everything recorded after `mark` (a savepoint around one record of a batch). */
  rollbackTo(mark: number): void {
    for (let i = this.undo.length - 1; i >= mark; i -= 1) this.undo[i]?.();
    this.undo.length = mark;
  }
  rollback(): void {
    this.rollbackTo(0);
  }
}

/** Lookups every row has; indexing them would cost memory and serve no query the product runs. */
const AUDIT_LOOKUPS = new Set(['CreatedById', 'LastModifiedById', 'OwnerId']);

export class RecordStore {
  private readonly tables = new Map<string, Table>();
  private readonly objectByPrefix = new Map<string, string>();
  journal: Journal | null = null;

  constructor(private readonly catalog: SchemaCatalog) {
    for (const def of catalog.all()) {
      if (def.isEvent) continue;
      const lookups = def.fields.filter((f) => f.type === 'reference' && !AUDIT_LOOKUPS.has(f.name));
      this.tables.set(def.name, new Table(def.fields.filter((f) => f.externalId), lookups));
      this.objectByPrefix.set(def.keyPrefix, def.name);
    }
  }

  private table(objectName: string): Table {
    const table = this.tables.get(objectName);
    if (!table) throw new Error(`no table for ${objectName}`);
    return table;
  }

  objectOfId(id: string): string | undefined {
    return this.objectByPrefix.get(id.slice(0, 3));
  }

  get(objectName: string, id: string): Row | undefined {
    return this.tables.get(objectName)?.rows.get(id);
  }

  getDeleted(objectName: string, id: string): DeletedRow | undefined {
    return this.tables.get(objectName)?.deleted.get(id);
  }

  /** Any live row by id, whatever its object. */
  getById(id: string): Row | undefined {
    const objectName = this.objectOfId(id);
    return objectName === undefined ? undefined : this.get(objectName, id);
  }

  rows(objectName: string): IterableIterator<Row> {
    return this.table(objectName).rows.values();
  }

  deletedRows(objectName: string): IterableIterator<DeletedRow> {
    return this.table(objectName).deleted.values();
  }

  count(objectName: string): number {
    return this.table(objectName).rows.size;
  }

  findByExternalId(objectName: string, field: FieldDef, value: StoredValue): string[] {
    const key = externalKey(field, value);
    if (key === null) return [];
    const ids = this.table(objectName).keyIndexes.get(field.name)?.get(key);
    return ids ? [...ids] : [];
  }

  /** Live rows whose lookup `field` points at `parentId`. */
  children(objectName: string, field: string, parentId: string): Row[] {
    const table = this.table(objectName);
    const ids = table.refIndexes.get(field)?.get(parentId);
    if (!ids) return [];
    const out: Row[] = [];
    for (const id of ids) {
      const row = table.rows.get(id);
      if (row) out.push(row);
    }
    return out;
  }

  /** Inserts or replaces a row, keeping the key indexes in step; journalled for rollback. */
  put(objectName: string, row: Row): void {
    const table = this.table(objectName);
    const id = row.Id as string;
    const previous = table.rows.get(id);
    if (previous) this.unindex(table, previous);
    table.rows.set(id, row);
    this.index(table, row);
    this.journal?.record(() => {
      this.unindex(table, row);
      if (previous) {
        table.rows.set(id, previous);
        this.index(table, previous);
      } else {
        table.rows.delete(id);
      }
    });
  }

  remove(objectName: string, id: string, deletedAt: number): void {
    const table = this.table(objectName);
    const row = table.rows.get(id);
    if (!row) return;
    this.unindex(table, row);
    table.rows.delete(id);
    const tombstone: Row = { ...row, IsDeleted: true, SystemModstamp: deletedAt };
    table.deleted.set(id, { row: tombstone, deletedAt });
    this.journal?.record(() => {
      table.deleted.delete(id);
      table.rows.set(id, row);
      this.index(table, row);
    });
  }

  private index(table: Table, row: Row): void {
    for (const field of table.refFields) {
      const parentId = row[field.name];
      if (typeof parentId !== 'string') continue;
      const byParent = table.refIndexes.get(field.name);
      if (!byParent) continue;
      let ids = byParent.get(parentId);
      if (!ids) byParent.set(parentId, (ids = new Set()));
      ids.add(row.Id as string);
    }
    for (const field of table.keyFields) {
      const key = externalKey(field, row[field.name] ?? null);
      if (key === null) continue;
      const byKey = table.keyIndexes.get(field.name);
      if (!byKey) continue;
      let ids = byKey.get(key);
      if (!ids) byKey.set(key, (ids = new Set()));
      ids.add(row.Id as string);
    }
  }

  private unindex(table: Table, row: Row): void {
    for (const field of table.refFields) {
      const parentId = row[field.name];
      if (typeof parentId !== 'string') continue;
      const ids = table.refIndexes.get(field.name)?.get(parentId);
      ids?.delete(row.Id as string);
      if (ids && ids.size === 0) table.refIndexes.get(field.name)?.delete(parentId);
    }
    for (const field of table.keyFields) {
      const key = externalKey(field, row[field.name] ?? null);
      if (key === null) continue;
      const ids = table.keyIndexes.get(field.name)?.get(key);
      ids?.delete(row.Id as string);
      if (ids && ids.size === 0) table.keyIndexes.get(field.name)?.delete(key);
    }
  }

  catalogObject(objectName: string) {
    return this.catalog.object(objectName);
  }
}
