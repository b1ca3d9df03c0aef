import type { Logger } from '../../logger.js';
import { retryDelayMs, type RandomSource, type RetryPolicyOptions } from '../../lib/retryPolicy.js';
import { buildCsvUploads, parseBulkError, parseCsv } from './csv.js';
import { BulkJobFailedError, BulkJobTimeoutError, SalesforceConfigError, SalesforceError } from './errors.js';
import type { Transport } from './transport.js';
import type { BulkIngestOptions, BulkIngestResult, BulkOperation, SObjectRecord } from './types.js';

export interface BulkContext {
  transport: Transport;
  apiVersion: string;
  random: RandomSource;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  logger: Logger;
  pollTimeoutMs: number;
  maxUploadBytes: number;
}

interface JobInfo {
  id: string;
  state: 'Open' | 'UploadComplete' | 'InProgress' | 'JobComplete' | 'Failed' | 'Aborted';
  errorMessage?: string;
  numberRecordsProcessed?: number;
  numberRecordsFailed?: number;
}

/**
 * Polling is not an error retry, so it has its own gentler schedule: start at a second, grow by half,
 * never wait more than 15 s between looks. Written out here so the numbers are visible.
 */
export const BULK_POLL_POLICY: Readonly<RetryPolicyOptions> = Object.freeze({
  maxRetries: Number.POSITIVE_INFINITY,
  baseDelayMs: 1000,
  maxDelayMs: 15_000,
  factor: 1.5,
  jitter: 0.2,
});

const TERMINAL_STATES = new Set(['JobComplete', 'Failed', 'Aborted']);

async function runJob(
  ctx: BulkContext,
  sobject: string,
  operation: BulkOperation,
  csv: string,
  options: BulkIngestOptions,
): Promise<BulkIngestResult> {
  const base = `/services/data/v${ctx.apiVersion}/jobs/ingest`;
  const common = {
    ...(options.critical ? { critical: true } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    record: { sobject },
  };
  // Creating a job and uploading to it are not repeated: a second create leaves an orphan job and a
  // job takes one upload. Closing and polling are.
  const job = await ctx.transport.json<JobInfo>({
    ...common,
    method: 'POST',
    path: `${base}/`,
    body: {
      object: sobject,
      operation,
      contentType: 'CSV',
      lineEnding: 'LF',
      columnDelimiter: 'COMMA',
      ...(options.externalIdFieldName ? { externalIdFieldName: options.externalIdFieldName } : {}),
    },
    safety: 'once',
  });
  const jobPath = `${base}/${encodeURIComponent(job.id)}`;
  ctx.logger.info({ jobId: job.id, sobject, operation, bytes: Buffer.byteLength(csv) }, 'Bulk API 2.0 ingest job created');
  await ctx.transport.call({ ...common, method: 'PUT', path: `${jobPath}/batches/`, body: csv, contentType: 'text/csv', safety: 'once' });
  try {
    await ctx.transport.call({ ...common, method: 'PATCH', path: `${jobPath}/`, body: { state: 'UploadComplete' }, safety: 'idempotent' });
  } catch (error) {
    // A repeated close whose first attempt did land is refused as INVALIDJOBSTATE; polling shows the truth.
    if (!(error instanceof SalesforceError) || error.errorCode !== 'INVALIDJOBSTATE') throw error;
  }

  // a job is never done the instant it is closed: the first look waits one poll delay, so a job that
  // finishes within it costs one status call instead of two
  let polls = 1;
  let waited = retryDelayMs(polls, BULK_POLL_POLICY, null, ctx.random);
  await ctx.sleep(waited, options.signal);
  let info: JobInfo;
  for (;;) {
    info = await ctx.transport.json<JobInfo>({ ...common, method: 'GET', path: `${jobPath}/`, safety: 'idempotent' });
    if (TERMINAL_STATES.has(info.state)) break;
    if (waited >= ctx.pollTimeoutMs) {
      throw new BulkJobTimeoutError(
        `Bulk job ${job.id} for ${sobject} still ${info.state} after ${Math.round(waited / 1000)} s of polling; it may finish later, check it before re-running`,
        job.id,
        { record: { sobject } },
      );
    }
    polls += 1;
    const delay = retryDelayMs(polls, BULK_POLL_POLICY, null, ctx.random);
    waited += delay;
    await ctx.sleep(delay, options.signal);
  }
  ctx.logger.info({ jobId: job.id, state: info.state, processed: info.numberRecordsProcessed, failed: info.numberRecordsFailed, polls }, 'Bulk job finished');
  if (info.state !== 'JobComplete') {
    throw new BulkJobFailedError(`Bulk job ${job.id} for ${sobject} ended ${info.state}: ${info.errorMessage ?? 'no reason given'}`, job.id, {
      record: { sobject },
      ...(info.state === 'Failed' ? { errorCode: 'BULK_JOB_FAILED' } : { errorCode: 'BULK_JOB_ABORTED' }),
    });
  }
  const read = async (resource: string): Promise<Array<Record<string, string>>> => {
    const response = await ctx.transport.call({ ...common, method: 'GET', path: `${jobPath}/${resource}/`, accept: 'text/csv', safety: 'idempotent' });
    return parseCsv(response.text);
  };
  // a result file the job's counts say is empty is not fetched: unprocessed rows exist only for a
  // Failed or Aborted job, and those end above
  const processed = info.numberRecordsProcessed;
  const failedCount = info.numberRecordsFailed;
  const knownCounts = typeof processed === 'number' && typeof failedCount === 'number';
  const successRows = !knownCounts || processed - failedCount > 0 ? await read('successfulResults') : [];
  const failedRows = !knownCounts || failedCount > 0 ? await read('failedResults') : [];
  const unprocessedRows: Array<Record<string, string>> = [];
  const strip = (row: Record<string, string>): Record<string, string> => {
    const copy: Record<string, string> = {};
    for (const [key, value] of Object.entries(row)) if (!key.startsWith('sf__')) copy[key] = value;
    return copy;
  };
  return {
    jobId: job.id,
    jobIds: [job.id],
    successful: successRows.length,
    successes: successRows.map((row) => ({ record: strip(row), id: row.sf__Id ?? '', created: row.sf__Created === 'true' })),
    failed: failedRows.map((row) => ({ record: strip(row), error: parseBulkError(row.sf__Error) })),
    unprocessed: unprocessedRows.map(strip),
  };
}

/** Bulk API 2.0 ingest: one job per upload-sized slice of the records, results merged. */
export async function bulkIngest(
  ctx: BulkContext,
  sobject: string,
  operation: BulkOperation,
  records: SObjectRecord[],
  options: BulkIngestOptions = {},
): Promise<BulkIngestResult> {
  if (operation === 'upsert' && !options.externalIdFieldName) {
    throw new SalesforceConfigError('bulkIngest upsert needs externalIdFieldName (the External ID field to match on)');
  }
  if (records.length === 0) return { jobId: '', jobIds: [], successful: 0, successes: [], failed: [], unprocessed: [] };
  const { uploads } = buildCsvUploads(records, ctx.maxUploadBytes);
  const merged: BulkIngestResult = { jobId: '', jobIds: [], successful: 0, successes: [], failed: [], unprocessed: [] };
  for (const csv of uploads) {
    const result = await runJob(ctx, sobject, operation, csv, options);
    if (merged.jobId === '') merged.jobId = result.jobId;
    merged.jobIds.push(result.jobId);
    merged.successful += result.successful;
    merged.successes.push(...result.successes);
    merged.failed.push(...result.failed);
    merged.unprocessed.push(...result.unprocessed);
  }
  return merged;
}
