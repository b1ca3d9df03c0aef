import type { FieldDef } from '../schema/types.js';
import type { RecordStore, Row } from '../store.js';
import { outputValue, type StoredValue } from '../values.js';
import { readPath, type CompiledQuery, type ResolvedPath } from './compile.js';

/** Runs a compiled query over the store and shapes rows the way the REST query answer does. */
export interface ExecuteOptions {
  /** queryAll: deleted rows too */
  includeDeleted: boolean;
  apiVersion: string;
}

function compareValues(a: StoredValue, b: StoredValue): number {
  if (typeof a === 'string' && typeof b === 'string') {
    const x = a.toLowerCase();
    const y = b.toLowerCase();
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  return (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0;
}

function sortRows(store: RecordStore, rows: Row[], orderBy: CompiledQuery['orderBy']): Row[] {
  if (orderBy.length === 0) return rows;
  const keyed = rows.map((row) => ({ row, keys: orderBy.map((o) => readPath(store, row, o.path) ?? null) }));
  keyed.sort((left, right) => {
    for (let i = 0; i < orderBy.length; i += 1) {
      const o = orderBy[i] as CompiledQuery['orderBy'][number];
      const a = left.keys[i] ?? null;
      const b = right.keys[i] ?? null;
      if (a === null && b === null) continue;
      if (a === null) return o.nullsFirst ? -1 : 1;
      if (b === null) return o.nullsFirst ? 1 : -1;
      const c = compareValues(a, b);
      if (c !== 0) return o.descending ? -c : c;
    }
    return 0;
  });
  return keyed.map((k) => k.row);
}

/** Matching rows in answer order, with OFFSET and LIMIT applied. */
export function selectRows(store: RecordStore, query: CompiledQuery, options: ExecuteOptions, source?: Row[]): Row[] {
  let rows: Row[];
  if (source) rows = source;
  else if (query.candidates) rows = query.candidates(store);
  else rows = [...store.rows(query.object.name)];
  if (options.includeDeleted && !source) {
    const live = new Set(rows);
    for (const deleted of store.deletedRows(query.object.name)) if (!live.has(deleted.row)) rows.push(deleted.row);
  }
  if (query.predicate) rows = rows.filter(query.predicate);
  rows = sortRows(store, rows, query.orderBy);
  const offset = query.offset ?? 0;
  if (offset > 0 || query.limit !== undefined) rows = rows.slice(offset, query.limit === undefined ? undefined : offset + query.limit);
  return rows;
}

function attributes(objectName: string, id: unknown, apiVersion: string): Record<string, string> {
  return { type: objectName, url: `/services/data/v${apiVersion}/sobjects/${objectName}/${String(id)}` };
}

function addressValue(store: RecordStore, row: Row, field: FieldDef): Record<string, unknown> | null {
  const prefix = field.name.replace(/Address$/, '');
  const parts = { street: row[`${prefix}Street`], city: row[`${prefix}City`], state: row[`${prefix}State`], postalCode: row[`${prefix}PostalCode`], country: row[`${prefix}Country`] };
  void store;
  if (Object.values(parts).every((v) => v === null || v === undefined)) return null;
  return { ...Object.fromEntries(Object.entries(parts).map(([k, v]) => [k, v ?? null])), geocodeAccuracy: null, latitude: null, longitude: null };
}

function placeValue(store: RecordStore, target: Record<string, unknown>, row: Row, path: ResolvedPath, apiVersion: string): void {
  let container = target;
  let current: Row | undefined = row;
  for (let i = 0; i < path.hops.length; i += 1) {
    const hop = path.hops[i] as FieldDef;
    const relName = path.relationshipNames[i] as string;
    const parentId: StoredValue | undefined = current?.[hop.name];
    const parentObject = hop.referenceTo?.[0] as string;
    current = typeof parentId === 'string' ? store.get(parentObject, parentId) : undefined;
    if (!current) {
      if (!(relName in container)) container[relName] = null;
      return;
    }
    let nested = container[relName] as Record<string, unknown> | null | undefined;
    if (!nested) {
      nested = { attributes: attributes(parentObject, current.Id, apiVersion) };
      container[relName] = nested;
    }
    container = nested;
  }
  const value = path.field.type === 'address' ? addressValue(store, current as Row, path.field) : outputValue(path.field, (current as Row)[path.field.name]);
  container[path.field.name] = value;
}

/** One answer record: attributes, the selected fields, parents nested, children as sub-results. */
export function projectRow(store: RecordStore, query: CompiledQuery, row: Row, options: ExecuteOptions): Record<string, unknown> {
  const record: Record<string, unknown> = { attributes: attributes(query.object.name, row.Id, options.apiVersion) };
  for (const item of query.items) {
    if (item.kind === 'field') {
      placeValue(store, record, row, item.path, options.apiVersion);
      continue;
    }
    const { sub } = item;
    const children = selectRows(store, sub.query, options, store.children(sub.childObject, sub.parentField, row.Id as string));
    record[sub.relationshipName] =
      children.length === 0
        ? null
        : { totalSize: children.length, done: true, records: children.map((child) => projectRow(store, sub.query, child, options)) };
  }
  return record;
}
