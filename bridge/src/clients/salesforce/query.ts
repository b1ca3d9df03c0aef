import { ServerError } from './errors.js';
import type { Transport } from './transport.js';
import type { QueryOptions } from './types.js';

interface QueryPage<T> {
  totalSize: number;
  done: boolean;
  nextRecordsUrl?: string;
  records: T[];
}

export function checkBatchSize(batchSize: number | undefined): number | undefined {
  if (batchSize === undefined) return undefined;
  if (!Number.isInteger(batchSize) || batchSize < 200 || batchSize > 2000) {
    throw new RangeError(`query batchSize must be an integer from 200 to 2000 (Salesforce's range), got ${batchSize}`);
  }
  return batchSize;
}

/**
 * Streams every row of a SOQL query, one page at a time, following `nextRecordsUrl`. Paging by
 * locator rather than OFFSET, because OFFSET stops at 2,000 rows and re-runs the query per page.
 * Each page request is a read, so it shares the retry policy.
 */
export async function* queryRows<T>(
  transport: Transport,
  apiVersion: string,
  soql: string,
  options: QueryOptions = {},
): AsyncGenerator<T, void, undefined> {
  const batchSize = checkBatchSize(options.batchSize);
  const headers: Record<string, string> = batchSize ? { 'sforce-query-options': `batchSize=${batchSize}` } : {};
  const common = {
    method: 'GET' as const,
    headers,
    safety: 'idempotent' as const,
    isQuery: true,
    ...(options.critical ? { critical: true } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  };
  let page = await transport.json<QueryPage<T>>({
    ...common,
    path: `/services/data/v${apiVersion}/${options.all ? 'queryAll' : 'query'}`,
    query: { q: soql },
  });
  for (;;) {
    if (!page || !Array.isArray(page.records)) throw new ServerError('Salesforce query answer has no records array');
    for (const record of page.records) yield record;
    if (page.done || !page.nextRecordsUrl) return;
    page = await transport.json<QueryPage<T>>({ ...common, path: page.nextRecordsUrl });
  }
}
