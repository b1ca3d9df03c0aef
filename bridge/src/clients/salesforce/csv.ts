import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { SalesforceConfigError } from './errors.js';
import type { RecordError, SObjectRecord } from './types.js';

/** Bulk API 2.0 sets a field to null only when the cell says `#N/A`; an empty cell leaves it unchanged. */
const BULK_NULL = '#N/A';

function cell(value: unknown, column: string): string {
  if (value === undefined) return '';
  if (value === null) return BULK_NULL;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  throw new SalesforceConfigError(`Bulk CSV column ${column} holds a ${typeof value} value; give a string, number, boolean, date or null`);
}

/**
 * Flattens one record for CSV: a relationship given as `{ Account: { QAD_Id__c: 'x' } }` becomes the
 * column `Account.QAD_Id__c`, which is how Bulk API 2.0 sets a lookup by the parent's External ID.
 */
export function flattenRecord(record: SObjectRecord): Record<string, unknown> {
  const flat: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) {
    if (key === 'attributes') continue;
    if (value && typeof value === 'object' && !(value instanceof Date) && !Array.isArray(value)) {
      for (const [childKey, childValue] of Object.entries(value as Record<string, unknown>)) {
        if (childKey === 'attributes') continue;
        flat[`${key}.${childKey}`] = childValue;
      }
    } else {
      flat[key] = value;
    }
  }
  return flat;
}

export function csvColumns(rows: Array<Record<string, unknown>>): string[] {
  const seen = new Set<string>();
  for (const row of rows) for (const key of Object.keys(row)) seen.add(key);
  return [...seen];
}

function rowsToCsv(rows: Array<Record<string, unknown>>, columns: string[], header: boolean): string {
  const matrix = rows.map((row) => columns.map((column) => cell(row[column], column)));
  return stringify(header ? [columns, ...matrix] : matrix, { record_delimiter: '\n' });
}

const SLICE_ROWS = 1000;

/**
 * Builds the CSV uploads for one ingest: same columns everywhere, each upload under `maxBytes`
 * (a job takes one upload), split on row boundaries. Slices of rows are stringified at once
 * because per-row stringify calls cost more than the rows themselves.
 */
export function buildCsvUploads(records: SObjectRecord[], maxBytes: number): { columns: string[]; uploads: string[] } {
  const rows = records.map(flattenRecord);
  const columns = csvColumns(rows);
  if (columns.length === 0) throw new SalesforceConfigError('Bulk ingest got records without any fields');
  const header = rowsToCsv([], columns, true);
  const uploads: string[] = [];
  let current = header;
  const pushPiece = (piece: string): void => {
    if (Buffer.byteLength(current) + Buffer.byteLength(piece) > maxBytes && current !== header) {
      uploads.push(current);
      current = header;
    }
    if (Buffer.byteLength(header) + Buffer.byteLength(piece) > maxBytes) {
      throw new SalesforceConfigError(`A Bulk CSV row is larger than bulkMaxUploadBytes (${maxBytes}); raise the limit or shorten the row`);
    }
    current += piece;
  };
  for (let start = 0; start < rows.length; start += SLICE_ROWS) {
    const slice = rows.slice(start, start + SLICE_ROWS);
    const piece = rowsToCsv(slice, columns, false);
    if (Buffer.byteLength(header) + Buffer.byteLength(piece) <= maxBytes) {
      pushPiece(piece);
    } else {
      for (const row of slice) pushPiece(rowsToCsv([row], columns, false));
    }
  }
  if (current !== header) uploads.push(current);
  return { columns, uploads };
}

export function parseCsv(text: string): Array<Record<string, string>> {
  if (text.trim() === '') return [];
  return parse(text, { columns: true, skip_empty_lines: true, relax_column_count: true }) as Array<Record<string, string>>;
}

/**
 * Bulk reports a failure as `STATUS_CODE:message:Field1,Field2 --` in `sf__Error`. The message may
 * itself contain colons, so the field list is taken only when the last segment looks like one.
 */
export function parseBulkError(raw: string | undefined): RecordError {
  const text = (raw ?? '').replace(/\s*--\s*$/, '').trim();
  const firstColon = text.indexOf(':');
  if (firstColon <= 0) return { statusCode: 'UNKNOWN_EXCEPTION', message: text, fields: [] };
  const statusCode = text.slice(0, firstColon).trim();
  let message = text.slice(firstColon + 1).trim();
  let fields: string[] = [];
  const lastColon = message.lastIndexOf(':');
  if (lastColon >= 0) {
    const tail = message.slice(lastColon + 1).trim();
    if (tail === '' || /^[A-Za-z_][\w.]*(\s*,\s*[A-Za-z_][\w.]*)*$/.test(tail)) {
      fields = tail === '' ? [] : tail.split(',').map((f) => f.trim());
      message = message.slice(0, lastColon).trim();
    }
  }
  return { statusCode: /^[A-Z_]+$/.test(statusCode) ? statusCode : 'UNKNOWN_EXCEPTION', message, fields };
}
