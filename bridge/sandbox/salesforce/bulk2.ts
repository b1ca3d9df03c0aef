import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import type { SandboxClock } from '../clock.js';
import { changeOrigin } from './context.js';
import type { OrgWriter, Transaction } from './dml.js';
import { SalesforceApiError } from './errors.js';
import type { IdFactory } from './ids.js';
import { normalizeId } from './ids.js';
import type { SchemaCatalog } from './schema/catalog.js';
import type { FieldDef } from './schema/types.js';
import { formatDateTime } from './values.js';

/**
 * Bulk API 2.0 ingest jobs: create, one CSV upload, close, asynchronous processing in chunks of
 * 200 rows (one transaction each, origin `bulkapi`), and the three result files.
 */
export type BulkOperation = 'insert' | 'update' | 'upsert' | 'delete';
type JobState = 'Open' | 'UploadComplete' | 'InProgress' | 'JobComplete' | 'Failed' | 'Aborted';

const CHUNK = 200;
const DAY = 86_400_000;

interface Job {
  id: string;
  object: string;
  operation: BulkOperation;
  externalIdFieldName?: string;
  lineEnding: 'LF' | 'CRLF';
  apiVersion: string;
  client: string | undefined;
  state: JobState;
  createdAt: number;
  modifiedAt: number;
  csv?: string;
  columns: string[];
  successful: string[][];
  failed: string[][];
  unprocessed: string[][];
  errorMessage?: string;
  startedAt?: number;
  finishedAt?: number;
}

export interface BulkDeps {
  catalog: SchemaCatalog;
  writer: OrgWriter;
  ids: IdFactory;
  clock: SandboxClock;
  userId: string;
}

const bulkError = (status: number, code: string, message: string) => new SalesforceApiError(status, code, message);

export class BulkJobs {
  private readonly jobs = new Map<string, Job>();
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly deps: BulkDeps) {}

  jobsInLastDay(): number {
    const since = this.deps.clock.now() - DAY;
    return [...this.jobs.values()].filter((j) => j.createdAt > since).length;
  }

  create(body: unknown, apiVersion: string, client: string | undefined): Record<string, unknown> {
    const b = (body ?? {}) as Record<string, unknown>;
    const def = typeof b.object === 'string' ? this.deps.catalog.object(b.object) : undefined;
    if (!def || def.isEvent) throw bulkError(400, 'INVALIDENTITY', `Entity '${String(b.object)}' is not supported by the Bulk API.`);
    const operation = b.operation;
    if (operation !== 'insert' && operation !== 'update' && operation !== 'upsert' && operation !== 'delete') {
      throw bulkError(400, 'INVALIDJOB', `operation must be insert, update, upsert or delete (the sandbox has no ${String(operation)})`);
    }
    if ((b.contentType ?? 'CSV') !== 'CSV') throw bulkError(400, 'INVALIDJOB', 'contentType must be CSV');
    if ((b.columnDelimiter ?? 'COMMA') !== 'COMMA') throw bulkError(400, 'INVALIDJOB', 'the sandbox supports columnDelimiter COMMA only');
    const lineEnding = b.lineEnding ?? 'LF';
    if (lineEnding !== 'LF' && lineEnding !== 'CRLF') throw bulkError(400, 'INVALIDJOB', 'lineEnding must be LF or CRLF');
    let externalIdFieldName: string | undefined;
    if (operation === 'upsert') {
      const field = typeof b.externalIdFieldName === 'string' ? this.deps.catalog.field(def.name, b.externalIdFieldName) : undefined;
      if (!field || (!field.externalId && field.name !== 'Id')) {
        throw bulkError(400, 'INVALIDJOB', `externalIdFieldName must name an External ID field of ${def.name}, got ${String(b.externalIdFieldName)}`);
      }
      externalIdFieldName = field.name;
    }
    const now = this.deps.clock.now();
    const job: Job = {
      id: this.deps.ids.next('750'),
      object: def.name,
      operation,
      ...(externalIdFieldName ? { externalIdFieldName } : {}),
      lineEnding,
      apiVersion,
      client,
      state: 'Open',
      createdAt: now,
      modifiedAt: now,
      columns: [],
      successful: [],
      failed: [],
      unprocessed: [],
    };
    this.jobs.set(job.id, job);
    return this.info(job);
  }

  private job(id: string): Job {
    const job = this.jobs.get(normalizeId(id) ?? id);
    if (!job) throw bulkError(404, 'NOT_FOUND', `Job ${id} does not exist`);
    return job;
  }

  upload(id: string, csv: string): void {
    const job = this.job(id);
    if (job.state !== 'Open') throw bulkError(409, 'INVALIDJOBSTATE', `Job ${job.id} is ${job.state}; data can only be uploaded while it is Open`);
    if (job.csv !== undefined) throw bulkError(409, 'INVALIDJOBSTATE', 'A job takes one upload; create another job for more data');
    job.csv = csv;
    job.modifiedAt = this.deps.clock.now();
  }

  close(id: string, body: unknown): Record<string, unknown> {
    const job = this.job(id);
    const state = (body as { state?: unknown } | null)?.state;
    if (state === 'Aborted') {
      if (job.state === 'JobComplete' || job.state === 'Failed') throw bulkError(409, 'INVALIDJOBSTATE', `Job ${job.id} is already ${job.state}`);
      job.state = 'Aborted';
    } else if (state === 'UploadComplete') {
      if (job.state !== 'Open') throw bulkError(409, 'INVALIDJOBSTATE', `Job ${job.id} is ${job.state}, not Open`);
      job.state = 'UploadComplete';
      const run = this.process(job).finally(() => this.running.delete(run));
      this.running.add(run);
    } else {
      throw bulkError(400, 'INVALIDJOBSTATE', 'state must be UploadComplete or Aborted');
    }
    job.modifiedAt = this.deps.clock.now();
    return this.info(job);
  }

  get(id: string): Record<string, unknown> {
    return this.info(this.job(id));
  }

  list(): Record<string, unknown> {
    return { done: true, records: [...this.jobs.values()].map((j) => this.info(j)), nextRecordsUrl: null };
  }

  remove(id: string): void {
    const job = this.job(id);
    if (job.state === 'Open' || job.state === 'UploadComplete' || job.state === 'InProgress') {
      throw bulkError(409, 'INVALIDJOBSTATE', `Job ${job.id} is ${job.state}; abort it or let it finish before deleting`);
    }
    this.jobs.delete(job.id);
  }

  results(id: string, which: 'successfulResults' | 'failedResults' | 'unprocessedrecords'): string {
    const job = this.job(id);
    const eol = job.lineEnding === 'CRLF' ? '\r\n' : '\n';
    if (which === 'unprocessedrecords') return stringify([job.columns, ...job.unprocessed], { record_delimiter: eol });
    if (job.state !== 'JobComplete' && job.state !== 'Failed' && job.state !== 'Aborted') {
      return stringify([which === 'successfulResults' ? ['sf__Id', 'sf__Created', ...job.columns] : ['sf__Id', 'sf__Error', ...job.columns]], { record_delimiter: eol });
    }
    const header = which === 'successfulResults' ? ['sf__Id', 'sf__Created', ...job.columns] : ['sf__Id', 'sf__Error', ...job.columns];
    return stringify([header, ...(which === 'successfulResults' ? job.successful : job.failed)], { record_delimiter: eol, quoted: true });
  }

  /** Waits for every job being processed (tests, close()). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
  }

  private info(job: Job): Record<string, unknown> {
    const processed = job.successful.length + job.failed.length;
    return {
      id: job.id,
      operation: job.operation,
      object: job.object,
      createdById: this.deps.userId,
      createdDate: formatDateTime(job.createdAt),
      systemModstamp: formatDateTime(job.modifiedAt),
      state: job.state,
      ...(job.externalIdFieldName ? { externalIdFieldName: job.externalIdFieldName } : {}),
      concurrencyMode: 'Parallel',
      contentType: 'CSV',
      apiVersion: Number(job.apiVersion),
      jobType: 'V2Ingest',
      contentUrl: `services/data/v${job.apiVersion}/jobs/ingest/${job.id}/batches`,
      lineEnding: job.lineEnding,
      columnDelimiter: 'COMMA',
      numberRecordsProcessed: processed,
      numberRecordsFailed: job.failed.length,
      retries: 0,
      totalProcessingTime: job.finishedAt !== undefined && job.startedAt !== undefined ? job.finishedAt - job.startedAt : 0,
      apiActiveProcessingTime: 0,
      apexProcessingTime: 0,
      ...(job.errorMessage ? { errorMessage: job.errorMessage } : {}),
    };
  }

  private fail(job: Job, message: string, rows: string[][]): void {
    job.state = 'Failed';
    job.errorMessage = message;
    job.unprocessed = rows;
    job.modifiedAt = this.deps.clock.now();
  }

  private async process(job: Job): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve));
    if (job.state === 'Aborted') return;
    job.state = 'InProgress';
    job.startedAt = this.deps.clock.now();
    let rows: string[][];
    try {
      rows = parse(job.csv ?? '', { relax_column_count: false, skip_empty_lines: true, bom: true }) as string[][];
    } catch (error) {
      this.fail(job, `InvalidBatch : Failed to parse CSV: ${(error as Error).message}`, []);
      return;
    }
    const header = rows.shift();
    if (!header || header.length === 0) {
      this.fail(job, 'InvalidBatch : the uploaded CSV has no header row', []);
      return;
    }
    job.columns = header;
    const problem = this.checkHeader(job, header);
    if (problem) {
      this.fail(job, `InvalidBatch : ${problem}`, rows);
      return;
    }
    for (let start = 0; start < rows.length; start += CHUNK) {
      if ((job.state as JobState) === 'Aborted') {
        job.unprocessed = rows.slice(start);
        return;
      }
      const tx = this.deps.writer.begin(changeOrigin('bulkapi', job.apiVersion, job.client));
      for (const row of rows.slice(start, start + CHUNK)) this.processRow(job, tx, header, row);
      tx.commit();
      await new Promise((resolve) => setImmediate(resolve));
    }
    job.state = 'JobComplete';
    job.finishedAt = this.deps.clock.now();
    job.modifiedAt = job.finishedAt;
  }

  private checkHeader(job: Job, header: string[]): string | null {
    for (const column of header) {
      const [relationship, fieldName] = column.includes('.') ? column.split('.', 2) : [undefined, column];
      if (relationship !== undefined) {
        const lookup = this.deps.catalog.relationship(job.object, relationship);
        const target = lookup?.referenceTo?.[0];
        if (!lookup || !target || !this.deps.catalog.field(target, fieldName as string)?.externalId) return `Field name not found : ${column}`;
      } else if (!this.deps.catalog.field(job.object, column)) return `Field name not found : ${column}`;
    }
    const needs = job.operation === 'upsert' ? job.externalIdFieldName : job.operation === 'insert' ? undefined : 'Id';
    if (needs && !header.some((c) => c.toLowerCase() === needs.toLowerCase())) return `Field name not provided : ${needs}`;
    return null;
  }

  private processRow(job: Job, tx: Transaction, header: string[], row: string[]): void {
    const input: Record<string, unknown> = {};
    header.forEach((column, i) => {
      const value = row[i] ?? '';
      if (value === '') return;
      const parsed = value === '#N/A' ? null : value;
      if (column.includes('.')) {
        const [relationship, fieldName] = column.split('.', 2) as [string, string];
        input[relationship] = { [fieldName]: parsed };
      } else input[column] = parsed;
    });
    try {
      const outcome = tx.savepoint(() => this.apply(job, tx, input));
      job.successful.push([outcome.id, String(outcome.created), ...row]);
    } catch (error) {
      if (!(error instanceof SalesforceApiError)) throw error;
      const id = typeof input.Id === 'string' ? input.Id : '';
      job.failed.push([id, `${error.errorCode}:${error.message}:${error.fields.join(',')} --`, ...row]);
    }
  }

  private apply(job: Job, tx: Transaction, input: Record<string, unknown>): { id: string; created: boolean } {
    const opts = { fromText: true };
    switch (job.operation) {
      case 'insert':
        return { id: tx.insert(job.object, input, opts), created: true };
      case 'upsert': {
        const field = this.deps.catalog.field(job.object, job.externalIdFieldName as string) as FieldDef;
        const key = Object.keys(input).find((k) => k.toLowerCase() === field.name.toLowerCase());
        return tx.upsert(job.object, field, key === undefined ? null : input[key], input, opts);
      }
      case 'update':
      case 'delete': {
        const id = typeof input.Id === 'string' ? normalizeId(input.Id) : null;
        if (id === null) throw new SalesforceApiError(400, 'MALFORMED_ID', `Id: invalid id ${String(input.Id)}`, ['Id']);
        if (job.operation === 'update') tx.update(job.object, id, input, opts);
        else tx.delete(job.object, id);
        return { id, created: false };
      }
    }
  }
}
