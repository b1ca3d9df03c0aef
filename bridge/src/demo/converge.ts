/** What the demo and the end-to-end tests read from the two sandboxes, never from the bridge. */
export interface WorldCounts {
  qad: { customers: number; suppliers: number; items: number; contacts: number; salesOrders: number; distinctSalesOrders: number };
  salesforce: {
    accounts: number;
    distinctAccountKeys: number;
    accountsBothRoles: number;
    products: number;
    productsWithPrice: number;
    contacts: number;
    contactsWithAccount: number;
    ordersActivated: number;
    ordersWithQadNumber: number;
    auditRecords: number;
    auditFailed: number;
  };
  apiCalls: { salesforce: number; qad: number };
}

export interface Expectation {
  accountKeys: number;
  bothRoles: number;
  items: number;
  contacts: number;
  orders: number;
  /** QAD customer/supplier key -> name the Salesforce edit set */
  editedNames: Map<string, string>;
}

export function convergenceProblems(counts: WorldCounts, expected: Expectation, qadNames: Map<string, string>): string[] {
  const p: string[] = [];
  const sf = counts.salesforce;
  if (sf.accounts !== expected.accountKeys || sf.distinctAccountKeys !== expected.accountKeys) p.push(`accounts ${sf.accounts} (distinct ${sf.distinctAccountKeys}) of ${expected.accountKeys}`);
  if (sf.accountsBothRoles !== expected.bothRoles) p.push(`accounts with both roles ${sf.accountsBothRoles} of ${expected.bothRoles}`);
  if (sf.products !== expected.items || sf.productsWithPrice !== expected.items) p.push(`products ${sf.products} (priced ${sf.productsWithPrice}) of ${expected.items}`);
  if (sf.contacts !== expected.contacts || sf.contactsWithAccount !== expected.contacts) p.push(`contacts ${sf.contacts} (under an account ${sf.contactsWithAccount}) of ${expected.contacts}`);
  if (sf.ordersActivated !== expected.orders) p.push(`activated orders ${sf.ordersActivated} of ${expected.orders}`);
  if (sf.ordersWithQadNumber !== expected.orders) p.push(`orders with a QAD number ${sf.ordersWithQadNumber} of ${expected.orders}`);
  if (counts.qad.salesOrders !== expected.orders) p.push(`QAD sales orders ${counts.qad.salesOrders} of ${expected.orders}`);
  let namesPending = 0;
  for (const [key, name] of expected.editedNames) if (qadNames.get(key) !== name) namesPending += 1;
  if (namesPending > 0) p.push(`${namesPending} Account edits not yet in QAD`);
  return p;
}

export function duplicatesIn(counts: WorldCounts): number {
  const sf = counts.salesforce;
  return (
    Math.max(0, sf.accounts - sf.distinctAccountKeys) +
    Math.max(0, counts.qad.salesOrders - counts.qad.distinctSalesOrders) +
    Math.max(0, counts.qad.salesOrders - sf.ordersWithQadNumber)
  );
}
