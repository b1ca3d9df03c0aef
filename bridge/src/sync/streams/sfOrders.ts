import type { QadSalesOrderInput } from '../ports.js';
import { failedFrom, salesforceId, waitKey, type JobOutcome, type StreamContext, type SyncStream } from '../stream.js';
import type { RecordLink } from '../../store/index.js';

export interface OrderActivationPayload {
  orderId: string;
}

interface OrderRow {
  Id: string;
  Status: string;
  EffectiveDate: string | null;
  EndDate: string | null;
  PoNumber: string | null;
  AccountId: string | null;
  QAD_Sales_Order_Number__c: string | null;
  OrderItems: { records: OrderItemRow[] } | null;
}

interface OrderItemRow {
  Id: string;
  Product2Id: string | null;
  Quantity: number;
  UnitPrice: number;
  ServiceDate: string | null;
}

const ORDER_SOQL = (id: string): string =>
  `SELECT Id, Status, EffectiveDate, EndDate, PoNumber, AccountId, QAD_Sales_Order_Number__c, ` +
  `(SELECT Id, Product2Id, Quantity, UnitPrice, ServiceDate FROM OrderItems ORDER BY Id) FROM Order WHERE Id = '${salesforceId(id)}'`;

async function readOrder(ctx: StreamContext, id: string): Promise<OrderRow | null> {
  for await (const row of ctx.salesforce.query<OrderRow>(ORDER_SOQL(id))) return row;
  return null;
}

/** `<set>|<code>` → { sharedSet, code }; `<domain>|<item>` → { domain, item } */
function splitKey(key: string): [string | undefined, string] {
  const at = key.lastIndexOf('|');
  return at < 0 ? [undefined, key] : [key.slice(0, at), key.slice(at + 1)];
}

async function accountLink(ctx: StreamContext, accountId: string): Promise<RecordLink | null> {
  const links = await ctx.links.findAllBySalesforceId(ctx.connectionId, accountId);
  return links.find((l) => l.object === 'customer') ?? links.find((l) => l.object === 'supplier') ?? null;
}

/**
 * Orders that reached Activated → a QAD sales order (F's client writes it step by step under a
 * number derived from the Salesforce order id, so a retry resumes instead of duplicating), then the
 * QAD number written back onto the Order. That write carries client=ml-connector and is passed over
 * when its change event comes back. An order whose account or a product is not linked waits.
 */
export const sfOrdersStream: SyncStream = {
  name: 'sf-orders',
  direction: 'Salesforce to QAD',
  auditObject: 'Order',
  defaultOperation: 'Create',
  batchSize: 10,
  sourceIdOf: (job) => job.key,
  async reread(job) {
    return { orderId: job.key } satisfies OrderActivationPayload;
  },
  async run(jobs, ctx) {
    return Promise.all(jobs.map((job) => runOne(job.key, ctx)));
  },
};

async function runOne(orderId: string, ctx: StreamContext): Promise<JobOutcome> {
  const base = { sourceId: orderId, salesforceRecordId: orderId, operation: 'Create' as const };
  let order: OrderRow | null;
  try {
    order = await readOrder(ctx, orderId);
  } catch (error) {
    return failedFrom(error, base);
  }
  if (!order) return { kind: 'skipped', reason: 'the Order no longer exists in Salesforce', ...base };
  if (order.Status !== 'Activated') return { kind: 'skipped', reason: `the Order is ${order.Status}, not Activated`, ...base };
  if (order.QAD_Sales_Order_Number__c) {
    return {
      kind: 'succeeded',
      ...base,
      targetId: order.QAD_Sales_Order_Number__c,
      links: [{ object: 'salesOrder', qadKey: order.QAD_Sales_Order_Number__c, salesforceId: orderId, lastHash: null }],
    };
  }
  const missing: Array<{ wait: string; text: string }> = [];
  const account = order.AccountId ? await accountLink(ctx, order.AccountId) : null;
  if (!account) missing.push({ wait: waitKey.salesforce(order.AccountId ?? 'none'), text: `Account ${order.AccountId ?? '(none)'}` });
  const lines = order.OrderItems?.records ?? [];
  const itemKeys: string[] = [];
  for (const line of lines) {
    const link = line.Product2Id ? await ctx.links.findBySalesforceId(ctx.connectionId, 'item', line.Product2Id) : null;
    if (!link) missing.push({ wait: waitKey.salesforce(line.Product2Id ?? 'none'), text: `Product2 ${line.Product2Id ?? '(none)'} (line ${line.Id})` });
    else itemKeys.push(link.qadKey);
  }
  if (missing.length > 0) {
    return { kind: 'waiting', waitingOn: missing[0]!.wait, message: `not linked to QAD yet: ${missing.map((m) => m.text).join(', ')}`, ...base };
  }
  const [, customerCode] = splitKey(account!.qadKey);
  let currency = 'USD';
  try {
    const customer = await ctx.qad.get(account!.object === 'supplier' ? 'supplier' : 'customer', account!.qadKey);
    if (typeof customer?.fields.currency === 'string' && customer.fields.currency !== '') currency = customer.fields.currency;
  } catch (error) {
    return failedFrom(error, base);
  }
  const orderDate = (order.EffectiveDate ?? new Date().toISOString()).slice(0, 10);
  const input: QadSalesOrderInput = {
    salesforceOrderId: orderId,
    customerCode,
    ...(order.PoNumber ? { poNumber: order.PoNumber } : {}),
    orderDate,
    dueDate: (order.EndDate ?? orderDate).slice(0, 10),
    currency,
    lines: lines.map((line, i) => ({
      line: i + 1,
      itemCode: splitKey(itemKeys[i]!)[1],
      quantity: Number(line.Quantity),
      unitPrice: Number(line.UnitPrice),
      ...(line.ServiceDate ? { dueDate: line.ServiceDate.slice(0, 10) } : {}),
    })),
  };
  let orderNumber: string;
  try {
    orderNumber = (await ctx.qad.createSalesOrder(input)).orderNumber;
  } catch (error) {
    return failedFrom(error, { ...base, sent: input });
  }
  try {
    await ctx.salesforce.update('Order', orderId, { QAD_Sales_Order_Number__c: orderNumber });
  } catch (error) {
    // the QAD order exists; the retry finds it again by its deterministic number and only writes back
    return failedFrom(error, { ...base, targetId: orderNumber, sent: input });
  }
  return {
    kind: 'succeeded',
    ...base,
    targetId: orderNumber,
    sent: input,
    links: [{ object: 'salesOrder', qadKey: orderNumber, salesforceId: orderId, lastHash: null }],
  };
}
