import { errorsEnvelope, json, type Reply, type RequestContext } from './http.js';
import type { RestEntity } from './restEntities.js';
import type { TenantState } from './state.js';
import type { Workspace } from './workspace.js';

/**
 * api/qracore/browses (facts §2.8): page/pageSize/pageAction/callId, repeated
 * `filter=field,op,value[,literal]` (rg takes `field,rg,from,literal,to,literal`), flat dotted keys,
 * and `auxillaryData.HasMoreParams` as a string.
 */

export interface BrowseOptions {
  nextPageAction: string;
  maxPageSize: number;
}

interface Filter {
  column: string;
  op: string;
  value: string;
  to?: string;
}

const OPS = new Set(['eq', 'cn', 'sw', 'ew', 'gt', 'ge', 'lt', 'le', 'rg']);
const ISO_DATE = /^\d{4}-\d{2}-\d{2}/;

function parseFilter(raw: string): Filter | string {
  const parts = raw.split(',');
  const [column, op] = parts;
  if (!column || !op || !OPS.has(op)) return `Invalid filter '${raw}'`;
  if (op === 'rg') {
    if (parts.length < 5) return `Range filter '${raw}' needs field,rg,from,literal,to,literal`;
    return { column, op, value: parts[2] ?? '', to: parts[4] ?? '' };
  }
  return { column, op, value: parts[2] ?? '' };
}

function compare(a: unknown, b: string): number {
  if (typeof a === 'number' && b.trim() !== '' && !Number.isNaN(Number(b))) return a - Number(b);
  const left = String(a);
  if (ISO_DATE.test(left) && ISO_DATE.test(b)) return Date.parse(left) - Date.parse(b);
  return left < b ? -1 : left > b ? 1 : 0;
}

function matches(value: unknown, f: Filter): boolean {
  const text = String(value ?? '').toLowerCase();
  const wanted = f.value.toLowerCase();
  switch (f.op) {
    case 'eq':
      return typeof value === 'boolean' ? String(value) === wanted : compare(value, f.value) === 0;
    case 'cn':
      return text.includes(wanted);
    case 'sw':
      return text.startsWith(wanted);
    case 'ew':
      return text.endsWith(wanted);
    case 'gt':
      return compare(value, f.value) > 0;
    case 'ge':
      return compare(value, f.value) >= 0;
    case 'lt':
      return compare(value, f.value) < 0;
    case 'le':
      return compare(value, f.value) <= 0;
    case 'rg':
      return compare(value, f.value) >= 0 && compare(value, f.to ?? '') <= 0;
    default:
      return false;
  }
}

export function handleBrowse(state: TenantState, ctx: RequestContext, entities: RestEntity[], workspace: Workspace, options: BrowseOptions): Reply {
  const browseId = ctx.query.get('browseId') ?? '';
  const entity = entities.find((e) => e.browseId === browseId);
  if (!entity) return errorsEnvelope(404, `Browse '${browseId}' does not exist`, 'browse', 'browseId');
  const page = Number(ctx.query.get('page') ?? '1');
  const pageSize = Number(ctx.query.get('pageSize') ?? '50');
  const pageAction = ctx.query.get('pageAction') ?? 'first';
  if (!Number.isInteger(page) || page < 1) return errorsEnvelope(400, `Invalid page '${ctx.query.get('page')}'`, 'browse', 'page');
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > options.maxPageSize) {
    return errorsEnvelope(400, `Invalid pageSize '${ctx.query.get('pageSize')}' (1..${options.maxPageSize})`, 'browse', 'pageSize');
  }
  const expectedAction = page === 1 ? 'first' : options.nextPageAction;
  if (pageAction !== expectedAction) return errorsEnvelope(400, `Invalid pageAction '${pageAction}' for page ${page}`, 'browse', 'pageAction');

  const filters: Filter[] = [];
  for (const raw of ctx.query.getAll('filter')) {
    const parsed = parseFilter(raw);
    if (typeof parsed === 'string') return errorsEnvelope(400, parsed, 'browse', 'filter');
    filters.push(parsed);
  }
  const source = state[entity.table].sorted();
  const sample = entity.toRest(source[0] ?? {});
  for (const f of filters) {
    const [prefix, field] = f.column.split('.', 2);
    if (prefix !== entity.rowPrefix || !field || (source.length > 0 && !(field in sample))) {
      return errorsEnvelope(400, `Unknown browse column '${f.column}'`, 'browse', 'filter');
    }
  }
  const matched = matchingRows(source, JSON.stringify([state[entity.table].version, browseId, workspace.domain.code, workspace.domain.sharedSet, filters]), () => {
    const found: number[] = [];
    for (const [index, record] of source.entries()) {
      const rest = entity.toRest(record);
      // Browses run in the workspace: domain-level data of that domain, shared-set data of its set.
      if (entity.scope === 'domain' && rest.domainCode !== workspace.domain.code) continue;
      if (entity.scope === 'sharedSet' && rest.sharedSetCode !== workspace.domain.sharedSet) continue;
      if (!filters.every((f) => matches(rest[f.column.slice(entity.rowPrefix.length + 1)], f))) continue;
      found.push(index);
    }
    return found;
  });
  const skip = (page - 1) * pageSize;
  const rows = matched.slice(skip, skip + pageSize).map((index) => {
    const flat: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(entity.toRest(source[index]!))) flat[`${entity.rowPrefix}.${k}`] = v;
    return flat;
  });
  const hasMore = matched.length > skip + pageSize;
  return json(200, { data: rows, auxillaryData: { HasMoreParams: hasMore ? 'true' : 'false', callId: ctx.query.get('callId') ?? '' } }, 'browse');
}

/**
 * Which rows of a table a browse matches, kept per sorted view of the table (a new view replaces it
 * whenever rows come, go or are replaced) and per query, so paging through a query costs the page,
 * not the table: a tenant serving a million customers answers page 2,000 as fast as page 1.
 */
const matchCache = new WeakMap<readonly unknown[], Map<string, number[]>>();
const QUERIES_KEPT = 8;

function matchingRows(source: readonly unknown[], query: string, compute: () => number[]): number[] {
  let byQuery = matchCache.get(source);
  if (!byQuery) {
    byQuery = new Map();
    matchCache.set(source, byQuery);
  }
  let found = byQuery.get(query);
  if (!found) {
    found = compute();
    byQuery.set(query, found);
    if (byQuery.size > QUERIES_KEPT) byQuery.delete(byQuery.keys().next().value!);
  }
  return found;
}
