import { changeOrigin, recordJson, type OrgContext } from '../context.js';
import type { Transaction } from '../dml.js';
import { SalesforceApiError } from '../errors.js';
import { callOptionsClient, json, type OrgRequest, type Route } from '../http.js';
import { normalizeId } from '../ids.js';
import { objectOrThrow } from './rest.js';

/**
 * sObject Collections: create, update, upsert by External ID, retrieve and delete of up to 200
 * records in one call, with allOrNone and per-record results (errors carry `statusCode`).
 */
const V = String.raw`/services/data/v\d+\.\d`;
export const MAX_COLLECTION_RECORDS = 200;

export interface RecordOutcome {
  id?: string | null;
  success: boolean;
  errors: Array<{ statusCode: string; message: string; fields: string[] }>;
  created?: boolean;
}

const ROLLED_BACK = {
  statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK',
  message: 'Record rolled back because not all records were valid and the request was using AllOrNone header',
  fields: [] as string[],
};

export function toRecordError(error: unknown): RecordOutcome['errors'][number] {
  if (error instanceof SalesforceApiError) return { statusCode: error.errorCode, message: error.message, fields: error.fields };
  throw error;
}

function tooMany(): SalesforceApiError {
  return new SalesforceApiError(400, 'EXCEEDED_ID_LIMIT', `record limit reached. cannot submit more than ${MAX_COLLECTION_RECORDS} records into this call`);
}

interface CollectionBody {
  allOrNone: boolean;
  records: Array<Record<string, unknown>>;
}

function readCollection(r: OrgRequest): CollectionBody {
  const body = r.json() as { allOrNone?: unknown; records?: unknown };
  if (body === null || typeof body !== 'object' || !Array.isArray(body.records)) {
    throw new SalesforceApiError(400, 'JSON_PARSER_ERROR', 'The body must be {"allOrNone": boolean, "records": [ ... ]}.');
  }
  if (body.records.length > MAX_COLLECTION_RECORDS) throw tooMany();
  for (const record of body.records) {
    if (record === null || typeof record !== 'object' || Array.isArray(record)) {
      throw new SalesforceApiError(400, 'JSON_PARSER_ERROR', 'Every entry of records must be a JSON object.');
    }
  }
  return { allOrNone: body.allOrNone === true, records: body.records as Array<Record<string, unknown>> };
}

/** Field names in a body are case-insensitive (jsforce sends `id`). */
function idValue(record: Record<string, unknown>): unknown {
  const key = Object.keys(record).find((k) => k.toLowerCase() === 'id');
  return key === undefined ? undefined : record[key];
}

function recordType(record: Record<string, unknown>): string {
  const type = (record.attributes as { type?: unknown } | undefined)?.type;
  if (typeof type !== 'string' || type === '') throw new SalesforceApiError(400, 'INVALID_TYPE', 'Must specify a type in the attributes of every record');
  return type;
}

function typedObject(ctx: OrgContext, record: Record<string, unknown>) {
  const type = recordType(record);
  const def = ctx.catalog.object(type);
  if (!def) throw new SalesforceApiError(400, 'INVALID_TYPE', `sObject type '${type}' is not supported.`);
  return def;
}

type RecordFailure = RecordOutcome['errors'][number];
type BodyRecord = Record<string, unknown>;

const succeeded = (id: string): RecordOutcome => ({ id, success: true, errors: [] });

/**
 * Runs one operation per item in a single transaction. Each item is isolated by a savepoint; with
 * allOrNone a single failure rolls back everything and the innocent records say so.
 */
export function runCollection<T>(
  tx: Transaction,
  allOrNone: boolean,
  items: readonly T[],
  operation: (tx: Transaction, item: T) => RecordOutcome,
  failure: (item: T, error: RecordFailure) => RecordOutcome,
): RecordOutcome[] {
  const outcomes = items.map((item) => {
    try {
      return tx.savepoint(() => operation(tx, item));
    } catch (error) {
      return failure(item, toRecordError(error));
    }
  });
  if (allOrNone && outcomes.some((o) => !o.success)) {
    tx.rollback();
    return outcomes.map((o, i) => (o.success ? { ...failure(items[i] as T, ROLLED_BACK), ...(o.id ? { id: o.id } : {}) } : o));
  }
  tx.commit();
  return outcomes;
}

export function collectionRoutes(ctx: OrgContext): Route[] {
  const begin = (r: OrgRequest) => ctx.writer.begin(changeOrigin('rest', r.apiVersion, callOptionsClient(r)));
  /** A `{ allOrNone, records }` body: one operation per record, answered with the outcomes in order. */
  const overRecords = (r: OrgRequest, operation: (tx: Transaction, record: BodyRecord) => RecordOutcome, failure: (record: BodyRecord, error: RecordFailure) => RecordOutcome) => {
    const { allOrNone, records } = readCollection(r);
    return json(200, runCollection(begin(r), allOrNone, records, operation, failure));
  };
  return [
    {
      method: 'POST',
      pattern: new RegExp(`^${V}/composite/sobjects/?$`),
      kind: 'collections-create',
      handler: (r) =>
        overRecords(
          r,
          (tx, record) => succeeded(tx.insert(typedObject(ctx, record).name, record)),
          (_record, error) => ({ success: false, errors: [error] }),
        ),
    },
    {
      method: 'PATCH',
      pattern: new RegExp(`^${V}/composite/sobjects/?$`),
      kind: 'collections-update',
      handler: (r) =>
        overRecords(
          r,
          (tx, record) => {
            const def = typedObject(ctx, record);
            const raw = idValue(record);
            const id = typeof raw === 'string' ? normalizeId(raw) : null;
            if (id === null) throw new SalesforceApiError(400, 'MALFORMED_ID', `Id: missing or malformed id: ${String(raw)}`, ['Id']);
            tx.update(def.name, id, record);
            return succeeded(id);
          },
          (record, error) => {
            const raw = idValue(record);
            return { id: typeof raw === 'string' ? raw : null, success: false, errors: [error] };
          },
        ),
    },
    {
      method: 'PATCH',
      pattern: new RegExp(`^${V}/composite/sobjects/(\\w+)/(\\w+)/?$`),
      kind: 'collections-upsert',
      handler: (r) => {
        const def = objectOrThrow(ctx, r.params[0] as string);
        const field = ctx.catalog.field(def.name, r.params[1] as string);
        if (!field || (!field.externalId && field.name !== 'Id')) {
          throw new SalesforceApiError(404, 'NOT_FOUND', `Provided external ID field does not exist or is not accessible: ${r.params[1]}`);
        }
        return overRecords(
          r,
          (tx, record) => {
            if (recordType(record).toLowerCase() !== def.name.toLowerCase()) {
              throw new SalesforceApiError(400, 'INVALID_TYPE', `Every record must be of type ${def.name}, the type named in the URL`);
            }
            const key = Object.keys(record).find((k) => k.toLowerCase() === field.name.toLowerCase());
            const { id, created } = tx.upsert(def.name, field, key === undefined ? null : record[key], record);
            return { ...succeeded(id), created };
          },
          (_record, error) => ({ id: null, success: false, errors: [error] }),
        );
      },
    },
    {
      method: 'GET',
      pattern: new RegExp(`^${V}/composite/sobjects/(\\w+)/?$`),
      kind: 'collections-retrieve',
      handler: (r) => retrieve(ctx, r, r.params[0] as string, r.query.get('ids')?.split(',') ?? [], r.query.get('fields')?.split(',') ?? []),
    },
    {
      method: 'POST',
      pattern: new RegExp(`^${V}/composite/sobjects/(\\w+)/?$`),
      kind: 'collections-retrieve',
      handler: (r) => {
        const body = r.json() as { ids?: unknown; fields?: unknown };
        const list = (v: unknown) => (Array.isArray(v) ? v.map(String) : []);
        return retrieve(ctx, r, r.params[0] as string, list(body?.ids), list(body?.fields));
      },
    },
    {
      method: 'DELETE',
      pattern: new RegExp(`^${V}/composite/sobjects/?$`),
      kind: 'collections-delete',
      handler: (r) => {
        const ids = (r.query.get('ids') ?? '').split(',').filter(Boolean);
        if (ids.length === 0) throw new SalesforceApiError(400, 'MISSING_ARGUMENT', 'ids is required: a comma-separated list of record ids');
        if (ids.length > MAX_COLLECTION_RECORDS) throw tooMany();
        const outcomes = runCollection(
          begin(r),
          r.query.get('allOrNone') === 'true',
          ids,
          (tx, raw) => {
            const id = normalizeId(raw);
            const objectName = id === null ? undefined : ctx.store.objectOfId(id);
            if (id === null || objectName === undefined) throw new SalesforceApiError(400, 'MALFORMED_ID', `malformed id ${raw}`);
            tx.delete(objectName, id);
            return succeeded(id);
          },
          (raw, error) => ({ id: raw, success: false, errors: [error] }),
        );
        return json(200, outcomes);
      },
    },
  ];
}

function retrieve(ctx: OrgContext, r: OrgRequest, objectName: string, ids: string[], fields: string[]) {
  const def = objectOrThrow(ctx, objectName);
  if (fields.length === 0) throw new SalesforceApiError(400, 'MISSING_ARGUMENT', 'fields is required: the fields to return');
  if (ids.length > 2000) throw new SalesforceApiError(400, 'EXCEEDED_ID_LIMIT', 'cannot retrieve more than 2000 records in one call');
  for (const name of fields) {
    if (!ctx.catalog.field(def.name, name)) throw new SalesforceApiError(400, 'INVALID_FIELD', `No such column '${name}' on entity '${def.name}'.`);
  }
  return json(
    200,
    ids.map((raw) => {
      const id = normalizeId(raw.trim());
      const row = id === null ? undefined : ctx.store.get(def.name, id);
      return row ? recordJson(def, row, r.apiVersion, ['Id', ...fields]) : null;
    }),
  );
}
