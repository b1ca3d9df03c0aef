import { changeOrigin, recordJson, type OrgContext } from '../context.js';
import { MultipleMatchError } from '../dml.js';
import { notFound, SalesforceApiError } from '../errors.js';
import { callOptionsClient, json, noContent, type OrgAnswer, type OrgRequest, type Route } from '../http.js';
import { normalizeId } from '../ids.js';
import { describeBasic, describeGlobal, describeObject } from '../schema/describe.js';
import type { FieldDef, ObjectDef } from '../schema/types.js';
import type { Row } from '../store.js';
import { parseDateTime, formatDateTime } from '../values.js';

/** Resources, limits, describe, sObject rows (by Id and by External ID), getUpdated/getDeleted. */
const V = String.raw`/services/data/v\d+\.\d`;
const MINUTE = 60_000;
const DAY = 86_400_000;

export function objectOrThrow(ctx: OrgContext, name: string): ObjectDef {
  const def = ctx.catalog.object(name);
  if (!def) throw notFound();
  return def;
}

function storedObject(ctx: OrgContext, name: string): ObjectDef {
  const def = objectOrThrow(ctx, name);
  if (def.isEvent) throw new SalesforceApiError(405, 'METHOD_NOT_ALLOWED', `HTTP method not allowed for ${def.name}: platform events can only be published`);
  return def;
}

/** `id` when the segment is an id of this object; null when it reads as something else. */
function idOf(def: ObjectDef, segment: string): string | null {
  const id = normalizeId(segment);
  return id !== null && id.startsWith(def.keyPrefix) ? id : null;
}

function externalField(ctx: OrgContext, def: ObjectDef, name: string): FieldDef {
  const field = ctx.catalog.field(def.name, name);
  if (!field || (!field.externalId && field.name !== 'Id')) {
    throw new SalesforceApiError(404, 'NOT_FOUND', `Provided external ID field does not exist or is not accessible: ${name}`);
  }
  return field;
}

function bodyObject(request: OrgRequest): Record<string, unknown> {
  const body = request.json();
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new SalesforceApiError(400, 'JSON_PARSER_ERROR', 'The request body must be a JSON object of field values.');
  }
  return body as Record<string, unknown>;
}

/** One write in its own transaction: commit on success, rollback and rethrow on failure. */
export function writeOnce<T>(ctx: OrgContext, request: OrgRequest, work: (tx: ReturnType<OrgContext['writer']['begin']>) => T): T {
  return ctx.writer.inTransaction(changeOrigin('rest', request.apiVersion, callOptionsClient(request)), work);
}

function liveRow(ctx: OrgContext, def: ObjectDef, id: string): Row {
  const row = ctx.store.get(def.name, id);
  if (row) return row;
  if (ctx.store.getDeleted(def.name, id)) throw new SalesforceApiError(404, 'ENTITY_IS_DELETED', 'entity is deleted');
  throw notFound();
}

function fieldsParam(ctx: OrgContext, def: ObjectDef, request: OrgRequest): string[] | undefined {
  const raw = request.query.get('fields');
  if (!raw) return undefined;
  const names = raw.split(',').map((f) => f.trim()).filter(Boolean);
  for (const name of names) {
    if (!ctx.catalog.field(def.name, name)) throw new SalesforceApiError(400, 'INVALID_FIELD', `No such column '${name}' on entity '${def.name}'.`);
  }
  return names;
}

function replicationWindow(request: OrgRequest, ctx: OrgContext, maxDays: number): { start: number; end: number } {
  const startText = request.query.get('start');
  const endText = request.query.get('end');
  if (!startText || !endText) throw new SalesforceApiError(400, 'MISSING_ARGUMENT', 'start and end are required (ISO 8601 date-times in UTC)');
  const start = parseDateTime(startText);
  const end = parseDateTime(endText);
  if (start === null || end === null) throw new SalesforceApiError(400, 'INVALID_REPLICATION_DATE', `start and end must be ISO 8601 date-times, got ${startText} and ${endText}`);
  const startMinute = Math.floor(start / MINUTE) * MINUTE;
  const endMinute = Math.floor(Math.min(end, ctx.clock.now()) / MINUTE) * MINUTE;
  if (startMinute >= Math.floor(end / MINUTE) * MINUTE) {
    throw new SalesforceApiError(400, 'INVALID_REPLICATION_DATE', 'startDate must chronologically precede endDate by more than one minute');
  }
  if (startMinute < ctx.clock.now() - maxDays * DAY) {
    throw new SalesforceApiError(400, 'INVALID_REPLICATION_DATE', `startDate can not be more than ${maxDays} days ago`);
  }
  return { start: startMinute, end: endMinute };
}

const MAX_REPLICATION_IDS = 600_000;

export function restRoutes(ctx: OrgContext): Route[] {
  const v = (rest: string) => new RegExp(`^${V}${rest}/?$`);
  return [
    {
      method: 'GET',
      pattern: v(''),
      kind: 'resources',
      handler: (r) =>
        json(200, Object.fromEntries(['sobjects', 'query', 'queryAll', 'limits', 'composite', 'jobs'].map((k) => [k, `/services/data/v${r.apiVersion}/${k}`]))),
    },
    {
      method: 'GET',
      pattern: v('/limits'),
      kind: 'limits',
      handler: () => {
        const bulkUsed = ctx.bulk.jobsInLastDay();
        return json(200, {
          DailyApiRequests: { Max: ctx.allowance.max, Remaining: ctx.allowance.remaining() },
          DailyBulkApiRequests: { Max: 15000, Remaining: Math.max(0, 15000 - bulkUsed) },
          DailyBulkV2QueryJobs: { Max: 10000, Remaining: 10000 },
          DailyBulkV2QueryFileStorageMB: { Max: 976562, Remaining: 976562 },
          DataStorageMB: { Max: 5120, Remaining: 5120 },
          FileStorageMB: { Max: 5120, Remaining: 5120 },
          HourlyPublishedPlatformEvents: { Max: 250000, Remaining: 250000 },
          DailyDeliveredPlatformEvents: { Max: 50000, Remaining: 50000 },
        });
      },
    },
    { method: 'GET', pattern: v('/sobjects'), kind: 'describe', handler: (r) => json(200, describeGlobal(ctx.catalog, r.apiVersion)) },
    {
      method: 'GET',
      pattern: v('/sobjects/(\\w+)/describe'),
      kind: 'describe',
      handler: (r) => json(200, describeObject(objectOrThrow(ctx, r.params[0] as string), r.apiVersion)),
    },
    {
      method: 'GET',
      pattern: v('/sobjects/(\\w+)'),
      kind: 'describe',
      handler: (r) => json(200, describeBasic(objectOrThrow(ctx, r.params[0] as string), r.apiVersion)),
    },
    {
      method: 'POST',
      pattern: v('/sobjects/(\\w+)'),
      kind: 'sobject-create',
      handler: (r) => {
        const def = objectOrThrow(ctx, r.params[0] as string);
        const body = bodyObject(r);
        const id = writeOnce(ctx, r, (tx) => tx.insert(def.name, body));
        return json(201, { id, success: true, errors: [] });
      },
    },
    {
      method: 'GET',
      pattern: v('/sobjects/(\\w+)/updated'),
      kind: 'getUpdated',
      handler: (r) => {
        const def = storedObject(ctx, r.params[0] as string);
        const { start, end } = replicationWindow(r, ctx, 30);
        const ids: string[] = [];
        for (const row of ctx.store.rows(def.name)) {
          const stamp = row.SystemModstamp as number;
          if (stamp >= start && stamp < end) ids.push(row.Id as string);
        }
        if (ids.length > MAX_REPLICATION_IDS) throw new SalesforceApiError(400, 'EXCEEDED_ID_LIMIT', 'too many ids: narrow the start/end window');
        return json(200, { ids, latestDateCovered: formatDateTime(end) });
      },
    },
    {
      method: 'GET',
      pattern: v('/sobjects/(\\w+)/deleted'),
      kind: 'getDeleted',
      handler: (r) => {
        const def = storedObject(ctx, r.params[0] as string);
        const { start, end } = replicationWindow(r, ctx, 15);
        const deletedRecords: Array<{ id: string; deletedDate: string }> = [];
        for (const { row, deletedAt } of ctx.store.deletedRows(def.name)) {
          if (deletedAt >= start && deletedAt < end) deletedRecords.push({ id: row.Id as string, deletedDate: formatDateTime(deletedAt) });
        }
        if (deletedRecords.length > MAX_REPLICATION_IDS) throw new SalesforceApiError(400, 'EXCEEDED_ID_LIMIT', 'too many ids: narrow the start/end window');
        return json(200, {
          deletedRecords,
          earliestDateAvailable: formatDateTime(Math.floor(ctx.startedAt / MINUTE) * MINUTE),
          latestDateCovered: formatDateTime(end),
        });
      },
    },
    {
      method: 'GET',
      pattern: v('/sobjects/(\\w+)/([^/]+)'),
      kind: 'sobject-read',
      handler: (r) => {
        const def = storedObject(ctx, r.params[0] as string);
        const id = idOf(def, r.params[1] as string);
        if (id === null) throw new SalesforceApiError(404, 'NOT_FOUND', `Provided external ID field does not exist or is not accessible: ${r.params[1]}`);
        return json(200, recordJson(def, liveRow(ctx, def, id), r.apiVersion, fieldsParam(ctx, def, r)));
      },
    },
    {
      method: 'GET',
      pattern: v('/sobjects/(\\w+)/(\\w+)/([^/]+)'),
      kind: 'sobject-read',
      handler: (r) => {
        const def = storedObject(ctx, r.params[0] as string);
        const field = externalField(ctx, def, r.params[1] as string);
        const ids = field.name === 'Id' ? [normalizeId(r.params[2] as string) ?? ''] : ctx.store.findByExternalId(def.name, field, r.params[2] as string);
        const rows = ids.map((id) => ctx.store.get(def.name, id)).filter((row): row is Row => row !== undefined);
        if (rows.length === 0) throw notFound();
        if (rows.length > 1) return multipleChoices(def, rows.map((row) => row.Id as string), r.apiVersion);
        return json(200, recordJson(def, rows[0] as Row, r.apiVersion, fieldsParam(ctx, def, r)));
      },
    },
    {
      method: 'PATCH',
      pattern: v('/sobjects/(\\w+)/([^/]+)'),
      kind: 'sobject-update',
      handler: (r) => {
        const def = storedObject(ctx, r.params[0] as string);
        const id = idOf(def, r.params[1] as string);
        if (id === null) throw new SalesforceApiError(404, 'NOT_FOUND', `Provided external ID field does not exist or is not accessible: ${r.params[1]}`);
        liveRow(ctx, def, id);
        const body = bodyObject(r);
        writeOnce(ctx, r, (tx) => tx.update(def.name, id, body));
        return noContent();
      },
    },
    {
      method: 'PATCH',
      pattern: v('/sobjects/(\\w+)/(\\w+)/([^/]+)'),
      kind: 'sobject-upsert',
      handler: (r) => upsertOne(ctx, r),
    },
    {
      method: 'DELETE',
      pattern: v('/sobjects/(\\w+)/([^/]+)'),
      kind: 'sobject-delete',
      handler: (r) => {
        const def = storedObject(ctx, r.params[0] as string);
        const id = idOf(def, r.params[1] as string);
        if (id === null) throw notFound();
        liveRow(ctx, def, id);
        writeOnce(ctx, r, (tx) => tx.delete(def.name, id));
        return noContent();
      },
    },
  ];
}

function multipleChoices(def: ObjectDef, ids: string[], apiVersion: string): OrgAnswer {
  return json(300, ids.map((id) => `/services/data/v${apiVersion}/sobjects/${def.name}/${id}`));
}

function upsertOne(ctx: OrgContext, r: OrgRequest): OrgAnswer {
  const def = storedObject(ctx, r.params[0] as string);
  const field = externalField(ctx, def, r.params[1] as string);
  const body = bodyObject(r);
  try {
    const { id, created } = writeOnce(ctx, r, (tx) => tx.upsert(def.name, field, r.params[2] as string, body));
    if (created) return json(201, { id, success: true, errors: [], ...(Number(r.apiVersion) >= 46 ? { created: true } : {}) });
    if (Number(r.apiVersion) < 46) return noContent();
    return json(200, { id, success: true, errors: [], created: false });
  } catch (error) {
    if (error instanceof MultipleMatchError) return multipleChoices(def, error.ids, r.apiVersion);
    throw error;
  }
}
