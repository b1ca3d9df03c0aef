import { readFile } from 'node:fs/promises';

/**
 * Seed data for the simulated org, shared by tests, the demo and benchmarks. A seed names records
 * by seed-local `key`s so that contacts, price book entries and orders can point at accounts and
 * products without knowing their ids. The QAD part of a combined seed file lives under `qad` and
 * is read by the simulated tenant, not here.
 *
 * {
 *   "salesforce": {
 *     "users":      [{ "key": "ops", "LastName": "Ops", "Username": "ops@example.com", "Email": "ops@example.com" }],
 *     "accounts":   [{ "key": "acme", "Name": "Acme", "QAD_Id__c": "SS1|C100", "QAD_Is_Customer__c": true }],
 *     "contacts":   [{ "account": "acme", "LastName": "Doe", "QAD_Contact_Id__c": "CT1" }],
 *     "products":   [{ "key": "widget", "Name": "Widget", "ProductCode": "W-1", "IsActive": true, "standardPrice": 12.5 }],
 *     "pricebooks": [{ "key": "trade", "Name": "Trade", "IsActive": true, "entries": [{ "product": "widget", "UnitPrice": 11 }] }],
 *     "orders":     [{ "key": "o1", "account": "acme", "pricebook": "standard", "EffectiveDate": "2026-01-15",
 *                      "Status": "Activated", "lines": [{ "product": "widget", "Quantity": 2, "UnitPrice": 12.5 }] }],
 *     "records":    { "Sync_Audit__c": [{ "Bridge_Event_Id__c": "e1", "Status__c": "Failed" }] }
 *   }
 * }
 *
 * The price book key `standard` is the org's standard price book. Orders are inserted as Draft
 * and activated afterwards when the seed says `Status: "Activated"`, as the platform requires.
 */
type Fields = Record<string, unknown>;

export interface SalesforceSeed {
  users?: Array<Fields & { key?: string }>;
  accounts?: Array<Fields & { key?: string }>;
  contacts?: Array<Fields & { key?: string; account?: string }>;
  products?: Array<Fields & { key?: string; standardPrice?: number }>;
  pricebooks?: Array<Fields & { key?: string; entries?: Array<Fields & { product: string }> }>;
  orders?: Array<Fields & { key?: string; account: string; pricebook?: string; lines?: Array<Fields & { product: string }> }>;
  records?: Record<string, Fields[]>;
}

/** The part of the org the loader needs (OrgControl satisfies it). */
export interface SeedTarget {
  insert(objectName: string, records: Fields[], options?: { changeOrigin?: string }): string[];
  update(objectName: string, records: Fields[], options?: { changeOrigin?: string }): void;
  query<T = Record<string, unknown>>(soql: string): T[];
  standardPricebookId: string;
}

export interface SeedResult {
  /** seed key -> record id, per object */
  ids: Record<string, Record<string, string>>;
  counts: Record<string, number>;
}

export class SeedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SeedError';
  }
}

/** Accepts a combined sandbox seed (`{ salesforce, qad }`) or the org part alone. */
export function salesforcePart(seed: unknown): SalesforceSeed {
  if (seed === null || seed === undefined) return {};
  if (typeof seed !== 'object' || Array.isArray(seed)) throw new SeedError('the seed must be a JSON object; see bridge/sandbox/seed/salesforce.ts for the format');
  const whole = seed as Record<string, unknown>;
  if ('salesforce' in whole) return (whole.salesforce ?? {}) as SalesforceSeed;
  if ('qad' in whole || 'pubsub' in whole) return {};
  return whole as SalesforceSeed;
}

export async function readSeedFile(path: string): Promise<unknown> {
  const text = await readFile(path, 'utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new SeedError(`${path} is not valid JSON (${(error as Error).message}); fix the file`);
  }
}

function strip<T extends Fields>(record: T, ...keys: string[]): Fields {
  const out: Fields = {};
  for (const [k, v] of Object.entries(record)) if (k !== 'key' && !keys.includes(k)) out[k] = v;
  return out;
}

export function loadSalesforceSeed(target: SeedTarget, seed: SalesforceSeed, options: { changeOrigin?: string } = {}): SeedResult {
  const ids: SeedResult['ids'] = { User: {}, Account: {}, Contact: {}, Product2: {}, Pricebook2: { standard: target.standardPricebookId }, Order: {} };
  const counts: Record<string, number> = {};
  const add = (objectName: string, records: Fields[], keys: Array<string | undefined>): string[] => {
    if (records.length === 0) return [];
    const created = target.insert(objectName, records, options);
    counts[objectName] = (counts[objectName] ?? 0) + created.length;
    created.forEach((id, i) => {
      const key = keys[i];
      if (key !== undefined) (ids[objectName] ??= {})[key] = id;
    });
    return created;
  };
  const ref = (objectName: string, key: string, where: string): string => {
    const id = ids[objectName]?.[key];
    if (id === undefined) throw new SeedError(`${where} names ${objectName} key '${key}', which the seed does not define; add it or fix the key`);
    return id;
  };

  add('User', (seed.users ?? []).map((u) => strip(u)), (seed.users ?? []).map((u) => u.key));
  add('Account', (seed.accounts ?? []).map((a) => strip(a)), (seed.accounts ?? []).map((a) => a.key));
  add(
    'Contact',
    (seed.contacts ?? []).map((c, i) => ({ ...strip(c, 'account'), ...(c.account ? { AccountId: ref('Account', c.account, `contacts[${i}]`) } : {}) })),
    (seed.contacts ?? []).map((c) => c.key),
  );
  const products = seed.products ?? [];
  const productIds = add('Product2', products.map((p) => strip(p, 'standardPrice')), products.map((p) => p.key));
  const standardEntries = products
    .map((p, i) => ({ p, id: productIds[i] as string }))
    .filter(({ p }) => typeof p.standardPrice === 'number')
    .map(({ p, id }) => ({ Pricebook2Id: target.standardPricebookId, Product2Id: id, UnitPrice: p.standardPrice, IsActive: true }));
  add('PricebookEntry', standardEntries, []);
  const pricebooks = seed.pricebooks ?? [];
  add('Pricebook2', pricebooks.map((p) => strip(p, 'entries')), pricebooks.map((p) => p.key));
  const entries = pricebooks.flatMap((pb, i) =>
    (pb.entries ?? []).map((e, j) => ({
      ...strip(e, 'product'),
      Pricebook2Id: ref('Pricebook2', pb.key ?? '', `pricebooks[${i}]`),
      Product2Id: ref('Product2', e.product, `pricebooks[${i}].entries[${j}]`),
      IsActive: e.IsActive ?? true,
    })),
  );
  add('PricebookEntry', entries, []);

  const entryFor = new Map<string, string>();
  const orders = seed.orders ?? [];
  orders.forEach((order, i) => {
    const pricebookId = ref('Pricebook2', order.pricebook ?? 'standard', `orders[${i}]`);
    const header = { ...strip(order, 'account', 'pricebook', 'lines'), Status: 'Draft', AccountId: ref('Account', order.account, `orders[${i}]`), Pricebook2Id: pricebookId };
    const [orderId] = add('Order', [header], [order.key]);
    const lines = (order.lines ?? []).map((line, j) => {
      const productId = ref('Product2', line.product, `orders[${i}].lines[${j}]`);
      const entryKey = `${pricebookId}|${productId}`;
      let entryId = entryFor.get(entryKey);
      if (entryId === undefined) {
        const found = findEntry(target, pricebookId, productId);
        if (!found) throw new SeedError(`orders[${i}].lines[${j}]: product '${line.product}' has no entry in the order's price book; give it a standardPrice or a price book entry`);
        entryId = found;
        entryFor.set(entryKey, entryId);
      }
      return { ...strip(line, 'product'), OrderId: orderId, PricebookEntryId: entryId };
    });
    add('OrderItem', lines, []);
    if (order.Status !== undefined && order.Status !== 'Draft') target.update('Order', [{ Id: orderId, Status: order.Status }], options);
  });

  for (const [objectName, records] of Object.entries(seed.records ?? {})) add(objectName, records.map((r) => strip(r)), records.map((r) => r.key as string | undefined));
  return { ids, counts };
}

function findEntry(target: SeedTarget, pricebookId: string, productId: string): string | undefined {
  const rows = target.query<{ Id: string }>(`SELECT Id FROM PricebookEntry WHERE Pricebook2Id = '${pricebookId}' AND Product2Id = '${productId}'`);
  return rows[0]?.Id;
}
