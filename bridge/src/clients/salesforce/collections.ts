import type { Logger } from '../../logger.js';
import { mayRetry, retryDelayMs, type RandomSource, type RetryPolicyOptions } from '../../lib/retryPolicy.js';
import { chunk } from './chunk.js';
import { ServerError } from './errors.js';
import type { Transport } from './transport.js';
import type { RecordError, SObjectRecord, UpsertOutcome, WriteOptions } from './types.js';

/** sObject Collections refuse a call of more than 200 records as a whole (EXCEEDED_ID_LIMIT). */
export const COLLECTION_LIMIT = 200;

export interface CollectionsContext {
  transport: Transport;
  apiVersion: string;
  retry: RetryPolicyOptions;
  random: RandomSource;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  logger: Logger;
}

interface SaveResult {
  id?: string | null;
  success: boolean;
  created?: boolean;
  errors?: Array<{ statusCode?: string; message?: string; fields?: string[] }>;
}

function toOutcome(result: SaveResult): UpsertOutcome {
  if (result.success && typeof result.id === 'string') return { ok: true, id: result.id, created: result.created === true };
  const errors: RecordError[] = (result.errors ?? []).map((e) => ({
    statusCode: e.statusCode ?? 'UNKNOWN_EXCEPTION',
    message: e.message ?? '',
    fields: Array.isArray(e.fields) ? e.fields : [],
  }));
  return { ok: false, errors: errors.length > 0 ? errors : [{ statusCode: 'UNKNOWN_EXCEPTION', message: 'Salesforce reported a failure without errors', fields: [] }] };
}

function isRowLocked(outcome: UpsertOutcome): boolean {
  return !outcome.ok && outcome.errors.some((e) => e.statusCode === 'UNABLE_TO_LOCK_ROW');
}

/**
 * Sends one ≤200-record collections call and re-sends only the rows Salesforce could not lock,
 * with the shared backoff. Under allOrNone a lock on one row rolled back all of them, so then the
 * whole set goes again. Both the upsert (by External ID) and the update (by Id) are safe to repeat.
 */
async function sendCollection(
  ctx: CollectionsContext,
  method: 'PATCH',
  path: string,
  sobject: string,
  records: SObjectRecord[],
  options: WriteOptions,
): Promise<UpsertOutcome[]> {
  const outcomes: Array<UpsertOutcome | undefined> = new Array(records.length);
  let pending = records.map((_, index) => index);
  let retries = 0;
  for (;;) {
    const results = await ctx.transport.json<SaveResult[]>({
      method,
      path,
      body: {
        allOrNone: options.allOrNone === true,
        records: pending.map((index) => ({ ...records[index], attributes: { type: sobject } })),
      },
      safety: 'idempotent',
      record: { sobject },
      ...(options.critical ? { critical: true } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    if (!Array.isArray(results) || results.length !== pending.length) {
      throw new ServerError(`Salesforce answered ${pending.length} ${sobject} records with ${Array.isArray(results) ? results.length : 'no'} results`);
    }
    const locked: number[] = [];
    results.forEach((result, position) => {
      const index = pending[position] as number;
      const outcome = toOutcome(result);
      outcomes[index] = outcome;
      if (isRowLocked(outcome)) locked.push(index);
    });
    if (locked.length === 0 || !mayRetry(retries, ctx.retry)) break;
    retries += 1;
    pending = options.allOrNone ? pending : locked;
    const delay = retryDelayMs(retries, ctx.retry, null, ctx.random);
    ctx.logger.warn({ sobject, lockedRows: locked.length, retry: retries, delayMs: delay }, 'retrying rows Salesforce could not lock');
    await ctx.sleep(delay, options.signal);
  }
  return outcomes.map((outcome) => outcome as UpsertOutcome);
}

export async function upsertCollections(
  ctx: CollectionsContext,
  sobject: string,
  externalIdField: string,
  records: SObjectRecord[],
  options: WriteOptions,
): Promise<UpsertOutcome[]> {
  const path = `/services/data/v${ctx.apiVersion}/composite/sobjects/${encodeURIComponent(sobject)}/${encodeURIComponent(externalIdField)}`;
  const outcomes: UpsertOutcome[] = [];
  for (const batch of chunk(records, COLLECTION_LIMIT)) {
    outcomes.push(...(await sendCollection(ctx, 'PATCH', path, sobject, batch, options)));
  }
  return outcomes;
}

export async function updateCollections(
  ctx: CollectionsContext,
  sobject: string,
  records: SObjectRecord[],
  options: WriteOptions,
): Promise<UpsertOutcome[]> {
  const path = `/services/data/v${ctx.apiVersion}/composite/sobjects`;
  const outcomes: UpsertOutcome[] = [];
  for (const batch of chunk(records, COLLECTION_LIMIT)) {
    outcomes.push(...(await sendCollection(ctx, 'PATCH', path, sobject, batch, options)));
  }
  return outcomes;
}
