import type { SalesforcePort } from '../ports.js';
import type { SyncStream } from '../stream.js';
import { qadBusinessRelationStream } from './qadBusinessRelations.js';
import { qadContactsStream } from './qadContacts.js';
import { qadItemsStream } from './qadItems.js';
import { sfAccountsStream } from './sfAccounts.js';
import { sfOrdersStream } from './sfOrders.js';

/**
 * A connection's streams by name. An order is a batch of its own: the stream worker runs as many
 * order lanes as the connection has QAD writes in flight, so each order starts as soon as a lane is
 * free rather than when the slowest order of a batch is done.
 */
export function connectionStreams(): ReadonlyMap<string, SyncStream> {
  const orders = { ...sfOrdersStream, batchSize: 1 };
  const list: SyncStream[] = [qadBusinessRelationStream('customer'), qadBusinessRelationStream('supplier'), qadItemsStream, qadContactsStream, sfAccountsStream, orders];
  return new Map(list.map((s) => [s.name, s]));
}

/**
 * The org's standard price book, which every product needs an entry in: read once per runtime and
 * kept; a failed read is not kept, so the next order tries again.
 */
export function standardPricebookReader(salesforce: SalesforcePort): () => Promise<string> {
  let cached: Promise<string> | null = null;
  return () => {
    cached ??= (async () => {
      for await (const row of salesforce.query<{ Id: string }>('SELECT Id FROM Pricebook2 WHERE IsStandard = true LIMIT 1')) return row.Id;
      throw Object.assign(new Error('the org has no standard price book; activate it in Setup (Price Books) so products can be ordered'), { code: 'BRIDGE_ERR_NO_STANDARD_PRICEBOOK', retryable: false });
    })();
    cached.catch(() => (cached = null));
    return cached;
  };
}
