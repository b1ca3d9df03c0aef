import { malformedQuery, SalesforceApiError } from '../errors.js';
import { normalizeId } from '../ids.js';
import type { SchemaCatalog } from '../schema/catalog.js';
import type { FieldDef, ObjectDef } from '../schema/types.js';
import type { RecordStore, Row } from '../store.js';
import { formatDate, type StoredValue } from '../values.js';
import type { Condition, FieldPath, Literal, OrderBy, SelectQuery } from './ast.js';

/**
 * Binds a parsed query to the schema: every field path is resolved once to the lookups it crosses
 * and the field it reads, and the WHERE clause becomes a predicate closure. Errors here are the
 * platform's INVALID_FIELD / INVALID_TYPE / MALFORMED_QUERY answers.
 */
export interface ResolvedPath {
  /** lookups crossed, in order (each points at the next object) */
  hops: FieldDef[];
  field: FieldDef;
  /** object of the final field */
  objectName: string;
  /** canonical relationship names, for nesting the answer */
  relationshipNames: string[];
}

export interface CompiledSubquery {
  relationshipName: string;
  childObject: string;
  parentField: string;
  query: CompiledQuery;
}

export interface CompiledQuery {
  object: ObjectDef;
  isCount: boolean;
  /** select items in order: a path or a subquery */
  items: Array<{ kind: 'field'; path: ResolvedPath } | { kind: 'subquery'; sub: CompiledSubquery }>;
  predicate: ((row: Row) => boolean) | null;
  /** rows to start from when the WHERE pins Id, an External ID or a lookup to a few values */
  candidates: ((store: RecordStore) => Row[]) | null;
  orderBy: Array<{ path: ResolvedPath; descending: boolean; nullsFirst: boolean }>;
  limit?: number;
  offset?: number;
}

const DAY = 86_400_000;

const invalidField = (name: string, objectName: string): SalesforceApiError =>
  new SalesforceApiError(400, 'INVALID_FIELD', `No such column '${name}' on entity '${objectName}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name.`);

export function resolvePath(catalog: SchemaCatalog, objectName: string, path: string[]): ResolvedPath {
  const hops: FieldDef[] = [];
  const relationshipNames: string[] = [];
  let current = objectName;
  for (let i = 0; i < path.length - 1; i += 1) {
    const segment = path[i] as string;
    if (i === 0 && segment.toLowerCase() === objectName.toLowerCase() && path.length > 1) continue;
    const lookup = catalog.relationship(current, segment);
    if (!lookup) {
      throw new SalesforceApiError(400, 'INVALID_FIELD', `Didn't understand relationship '${segment}' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name.`);
    }
    hops.push(lookup);
    relationshipNames.push(lookup.relationshipName as string);
    current = lookup.referenceTo?.[0] as string;
  }
  const name = path[path.length - 1] as string;
  const field = catalog.field(current, name);
  if (!field) throw invalidField(name, current);
  return { hops, field, objectName: current, relationshipNames };
}

/** Follows the lookups of a path from a row; undefined when a lookup is empty. */
export function readPath(store: RecordStore, row: Row, path: ResolvedPath): StoredValue | undefined {
  let current: Row | undefined = row;
  for (const hop of path.hops) {
    const parentId: StoredValue | undefined = current[hop.name];
    current = typeof parentId === 'string' ? store.get(hop.referenceTo?.[0] as string, parentId) : undefined;
    if (!current) return undefined;
  }
  return current[path.field.name] ?? null;
}

function startOfDayUtc(ms: number): number {
  return Math.floor(ms / DAY) * DAY;
}

/** [from, to) of a relative date literal on the sandbox clock (UTC days). */
function dateRange(literal: Extract<Literal, { kind: 'dateLiteral' }>, now: number): [number, number] {
  const today = startOfDayUtc(now);
  switch (literal.name) {
    case 'TODAY':
      return [today, today + DAY];
    case 'YESTERDAY':
      return [today - DAY, today];
    case 'TOMORROW':
      return [today + DAY, today + 2 * DAY];
    case 'LAST_N_DAYS':
      return [today - (literal.n ?? 0) * DAY, today + DAY];
    default:
      return [today + DAY, today + (1 + (literal.n ?? 0)) * DAY];
  }
}

const TEXT_TYPES = new Set(['string', 'textarea', 'phone', 'url', 'email', 'picklist']);

/** The literal as a comparable value of the field's type, or a range for date literals. */
function literalFor(field: FieldDef, literal: Literal, now: number): StoredValue | [StoredValue, StoredValue] {
  const wrongType = (expected: string) =>
    malformedQuery(`value of filter criterion for field '${field.name}' must be of type ${expected}${expected === 'string' || expected === 'id' ? ' and should be enclosed in quotes' : ' and should not be enclosed in quotes'}`);
  if (literal.kind === 'null') return null;
  switch (field.type) {
    case 'boolean':
      if (literal.kind !== 'boolean') throw wrongType('boolean');
      return literal.value;
    case 'double':
    case 'currency':
    case 'int':
      if (literal.kind !== 'number') throw wrongType('double');
      return literal.value;
    case 'date':
      if (literal.kind === 'date') return literal.value;
      if (literal.kind === 'dateLiteral') {
        const [from, to] = dateRange(literal, now);
        return [formatDate(from), formatDate(to)];
      }
      throw wrongType('date');
    case 'datetime':
      if (literal.kind === 'datetime') return literal.value;
      if (literal.kind === 'dateLiteral') return dateRange(literal, now);
      throw wrongType('dateTime');
    case 'id':
    case 'reference': {
      if (literal.kind !== 'string') throw wrongType('id');
      const id = normalizeId(literal.value);
      if (id === null) throw new SalesforceApiError(400, 'INVALID_QUERY_FILTER_OPERATOR', `invalid ID field: ${literal.value}`);
      return id;
    }
    default:
      if (literal.kind !== 'string') throw wrongType('string');
      return literal.value;
  }
}

function caseFold(field: FieldDef, value: StoredValue): StoredValue {
  return typeof value === 'string' && TEXT_TYPES.has(field.type) && !field.caseSensitive ? value.toLowerCase() : value;
}

function likeRegex(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i += 1) {
    const ch = pattern[i] as string;
    if (ch === '\\' && (pattern[i + 1] === '%' || pattern[i + 1] === '_')) {
      source += pattern[i + 1];
      i += 1;
    } else if (ch === '%') source += '.*';
    else if (ch === '_') source += '.';
    else source += ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, 'is');
}

function comparePredicate(field: FieldDef, op: string, literal: StoredValue | [StoredValue, StoredValue]): (v: StoredValue) => boolean {
  if (Array.isArray(literal)) {
    const [from, to] = literal as [string | number, string | number];
    switch (op) {
      case '=':
        return (v) => v !== null && v >= from && v < to;
      case '!=':
        return (v) => v === null || v < from || v >= to;
      case '<':
        return (v) => v !== null && v < from;
      case '<=':
        return (v) => v !== null && v < to;
      case '>':
        return (v) => v !== null && v >= to;
      default:
        return (v) => v !== null && v >= from;
    }
  }
  if (literal === null) {
    if (op === '=') return (v) => v === null;
    if (op === '!=') return (v) => v !== null;
    throw malformedQuery(`null can only be compared with = or != (field ${field.name})`);
  }
  const target = caseFold(field, literal);
  const fold = (v: StoredValue) => caseFold(field, v) as string | number | boolean;
  switch (op) {
    case '=':
      return (v) => v !== null && fold(v) === target;
    case '!=':
      return (v) => v === null || fold(v) !== target;
    case '<':
      return (v) => v !== null && fold(v) < (target as string | number);
    case '<=':
      return (v) => v !== null && fold(v) <= (target as string | number);
    case '>':
      return (v) => v !== null && fold(v) > (target as string | number);
    default:
      return (v) => v !== null && fold(v) >= (target as string | number);
  }
}

function compileCondition(catalog: SchemaCatalog, store: RecordStore, objectName: string, condition: Condition, now: number): (row: Row) => boolean {
  switch (condition.kind) {
    case 'and': {
      const parts = condition.items.map((c) => compileCondition(catalog, store, objectName, c, now));
      return (row) => parts.every((p) => p(row));
    }
    case 'or': {
      const parts = condition.items.map((c) => compileCondition(catalog, store, objectName, c, now));
      return (row) => parts.some((p) => p(row));
    }
    case 'not': {
      const inner = compileCondition(catalog, store, objectName, condition.item, now);
      return (row) => !inner(row);
    }
    case 'in': {
      const path = resolvePath(catalog, objectName, condition.field.path);
      const values = new Set(condition.values.map((v) => {
        const literal = literalFor(path.field, v, now);
        if (Array.isArray(literal)) throw malformedQuery('date literals are not supported inside IN by the sandbox');
        return caseFold(path.field, literal);
      }));
      return (row) => {
        const value = readPath(store, row, path) ?? null;
        const hit = values.has(caseFold(path.field, value));
        return condition.negated ? !hit : hit;
      };
    }
    case 'compare': {
      const path = resolvePath(catalog, objectName, condition.field.path);
      if (condition.op === 'LIKE') {
        if (!TEXT_TYPES.has(path.field.type) && path.field.type !== 'id' && path.field.type !== 'reference') {
          throw new SalesforceApiError(400, 'INVALID_QUERY_FILTER_OPERATOR', `invalid operator on ${path.field.type} field: LIKE (${path.field.name})`);
        }
        if (condition.value.kind !== 'string') throw malformedQuery(`LIKE needs a string pattern (field ${path.field.name})`);
        const regex = likeRegex(condition.value.value);
        return (row) => {
          const value = readPath(store, row, path);
          return typeof value === 'string' && regex.test(value);
        };
      }
      const test = comparePredicate(path.field, condition.op, literalFor(path.field, condition.value, now));
      return (row) => test(readPath(store, row, path) ?? null);
    }
  }
}

/** Index-backed starting rows when a top-level conjunct pins Id, an External ID or a lookup. */
function compileCandidates(catalog: SchemaCatalog, objectName: string, where: Condition | undefined, now: number): CompiledQuery['candidates'] {
  const conjuncts = where === undefined ? [] : where.kind === 'and' ? where.items : [where];
  for (const c of conjuncts) {
    const isEquality = (c.kind === 'compare' && c.op === '=') || (c.kind === 'in' && !c.negated);
    if (!isEquality || c.field.path.length !== 1) continue;
    const field = catalog.field(objectName, c.field.path[0] as string);
    if (!field) continue;
    const literals = c.kind === 'in' ? c.values : [c.value];
    if (literals.some((l) => l.kind !== 'string')) continue;
    const values = literals.map((l) => literalFor(field, l, now)).filter((v): v is string => typeof v === 'string');
    if (field.name === 'Id') {
      return (store) => values.map((id) => store.get(objectName, id)).filter((r): r is Row => r !== undefined);
    }
    // the index holds exact keys, folded only for Unique case-insensitive fields; SOQL equality
    // folds every text field that is not case-sensitive, so only fields where both agree qualify
    if (field.externalId && (field.caseSensitive || field.unique)) {
      return (store) => values.flatMap((v) => store.findByExternalId(objectName, field, v)).map((id) => store.get(objectName, id) as Row);
    }
    if (field.type === 'reference' && !['CreatedById', 'LastModifiedById', 'OwnerId'].includes(field.name)) {
      return (store) => values.flatMap((v) => store.children(objectName, field.name, v));
    }
  }
  return null;
}

export function compileQuery(catalog: SchemaCatalog, store: RecordStore, query: SelectQuery, now: number, objectOverride?: ObjectDef): CompiledQuery {
  const object = objectOverride ?? catalog.object(query.from);
  if (!object || object.isEvent) {
    throw new SalesforceApiError(400, 'INVALID_TYPE', `sObject type '${query.from}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name.`);
  }
  const items: CompiledQuery['items'] = [];
  let isCount = false;
  for (const item of query.select) {
    if (item.kind === 'count') isCount = true;
    else if (item.kind === 'field') items.push({ kind: 'field', path: resolvePath(catalog, object.name, item.path) });
    else {
      if (objectOverride) throw malformedQuery('a subquery cannot contain another subquery');
      const rel = catalog.childRelationship(object.name, item.query.from);
      if (!rel) throw new SalesforceApiError(400, 'INVALID_TYPE', `Didn't understand relationship '${item.query.from}' in FROM part of query call. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name.`);
      const childDef = catalog.object(rel.childSObject) as ObjectDef;
      const sub = compileQuery(catalog, store, item.query, now, childDef);
      if (sub.isCount) throw malformedQuery('COUNT() is not supported in a subquery');
      items.push({ kind: 'subquery', sub: { relationshipName: rel.relationshipName, childObject: childDef.name, parentField: rel.field, query: sub } });
    }
  }
  const orderBy = query.orderBy.map((o: OrderBy) => ({ path: resolvePath(catalog, object.name, o.field.path), descending: o.descending, nullsFirst: o.nullsFirst }));
  return {
    object,
    isCount,
    items,
    predicate: query.where ? compileCondition(catalog, store, object.name, query.where, now) : null,
    candidates: objectOverride ? null : compileCandidates(catalog, object.name, query.where, now),
    orderBy,
    ...(query.limit !== undefined ? { limit: query.limit } : {}),
    ...(query.offset !== undefined ? { offset: query.offset } : {}),
  };
}

export type { FieldPath };
