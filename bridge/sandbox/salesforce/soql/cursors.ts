import type { SandboxClock } from '../../clock.js';
import { SalesforceApiError } from '../errors.js';
import type { IdFactory } from '../ids.js';
import type { SchemaCatalog } from '../schema/catalog.js';
import type { RecordStore, Row } from '../store.js';
import { compileQuery, type CompiledQuery } from './compile.js';
import { projectRow, selectRows } from './execute.js';
import { parseSoql } from './parser.js';

/**
 * Query answers and their paging. A query's matching rows are fixed when it runs (rows are
 * immutable, so holding them is a snapshot); later pages are served from the cursor through
 * `nextRecordsUrl` `/services/data/vXX.X/query/<locator>-<offset>`. Cursors live two days on the
 * sandbox clock, as since API 56.0.
 */
export const CURSOR_LIFETIME_MS = 2 * 24 * 60 * 60 * 1000;
export const DEFAULT_BATCH_SIZE = 2000;
const MIN_BATCH_SIZE = 200;

interface Cursor {
  query: CompiledQuery;
  rows: Row[];
  includeDeleted: boolean;
  batchSize: number;
  createdAt: number;
}

export interface QueryPage {
  totalSize: number;
  done: boolean;
  nextRecordsUrl?: string;
  records: Array<Record<string, unknown>>;
}

/** `Sforce-Query-Options: batchSize=N`: default 2,000, at least 200, at most 2,000. */
export function batchSizeFromHeader(header: string | undefined): number | undefined {
  if (!header) return undefined;
  const match = /batchSize\s*=\s*(\d+)/i.exec(header);
  if (!match) return undefined;
  return Math.min(DEFAULT_BATCH_SIZE, Math.max(MIN_BATCH_SIZE, Number(match[1])));
}

export class QueryService {
  private readonly cursors = new Map<string, Cursor>();

  constructor(
    private readonly catalog: SchemaCatalog,
    private readonly store: RecordStore,
    private readonly clock: SandboxClock,
    private readonly ids: IdFactory,
    private readonly apiVersion: string,
  ) {}

  /** Every matching record, unpaged (control surface and tests). */
  all(soql: string, includeDeleted = false): QueryPage {
    const query = compileQuery(this.catalog, this.store, parseSoql(soql), this.clock.now());
    const options = { includeDeleted, apiVersion: this.apiVersion };
    const rows = selectRows(this.store, query, options);
    if (query.isCount) return { totalSize: rows.length, done: true, records: [] };
    return { totalSize: rows.length, done: true, records: rows.map((row) => projectRow(this.store, query, row, options)) };
  }

  run(soql: string, includeDeleted: boolean, batchSize = DEFAULT_BATCH_SIZE): QueryPage {
    this.expireOld();
    const query = compileQuery(this.catalog, this.store, parseSoql(soql), this.clock.now());
    const rows = selectRows(this.store, query, { includeDeleted, apiVersion: this.apiVersion });
    if (query.isCount) return { totalSize: rows.length, done: true, records: [] };
    const cursor: Cursor = { query, rows, includeDeleted, batchSize, createdAt: this.clock.now() };
    return this.page(cursor, 0, batchSize, () => {
      const locator = this.ids.next('01g');
      this.cursors.set(locator, cursor);
      return locator;
    });
  }

  /** queryMore: `<locator>-<offset>` from a nextRecordsUrl. */
  more(locatorAndOffset: string, batchSize?: number): QueryPage {
    this.expireOld();
    const match = /^([A-Za-z0-9]{15,18})-(\d+)$/.exec(locatorAndOffset);
    const cursor = match ? this.cursors.get(match[1] as string) : undefined;
    if (!match || !cursor) {
      throw new SalesforceApiError(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
    }
    const offset = Number(match[2]);
    if (offset > cursor.rows.length) throw new SalesforceApiError(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
    return this.page(cursor, offset, batchSize ?? cursor.batchSize, () => match[1] as string);
  }

  private page(cursor: Cursor, offset: number, batchSize: number, locator: () => string): QueryPage {
    const end = Math.min(cursor.rows.length, offset + batchSize);
    const options = { includeDeleted: cursor.includeDeleted, apiVersion: this.apiVersion };
    const records = cursor.rows.slice(offset, end).map((row) => projectRow(this.store, cursor.query, row, options));
    const page: QueryPage = { totalSize: cursor.rows.length, done: end >= cursor.rows.length, records };
    if (!page.done) page.nextRecordsUrl = `/services/data/v${this.apiVersion}/query/${locator()}-${end}`;
    return { totalSize: page.totalSize, done: page.done, ...(page.nextRecordsUrl ? { nextRecordsUrl: page.nextRecordsUrl } : {}), records };
  }

  private expireOld(): void {
    const oldest = this.clock.now() - CURSOR_LIFETIME_MS;
    for (const [locator, cursor] of this.cursors) if (cursor.createdAt <= oldest) this.cursors.delete(locator);
  }
}
