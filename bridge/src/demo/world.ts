import type { RunningSandbox } from '../../sandbox/start.js';
import type { WorldCounts } from './converge.js';

const NOT_CALLS = new Set(['unauthorized', 'forbidden', 'faulted', 'notFound', 'total', 'maxInFlight']);

function sum(values: Iterable<number>): number {
  let total = 0;
  for (const v of values) total += v;
  return total;
}

function countOf(sandbox: RunningSandbox, soql: string): number {
  return sandbox.org.control.query(soql).length;
}

/** counts read straight from the simulated org and tenant (uncounted control access, not the API) */
export function readWorld(sandbox: RunningSandbox): WorldCounts {
  const control = sandbox.org.control;
  const accounts = control.query<{ QAD_Id__c: string | null; QAD_Is_Customer__c: boolean; QAD_Is_Supplier__c: boolean }>('SELECT QAD_Id__c, QAD_Is_Customer__c, QAD_Is_Supplier__c FROM Account WHERE QAD_Id__c != null');
  const products = control.query<{ Id: string }>('SELECT Id FROM Product2 WHERE QAD_Item_Number__c != null');
  const priced = new Set(control.query<{ Product2Id: string }>(`SELECT Product2Id FROM PricebookEntry WHERE Pricebook2Id = '${sandbox.org.standardPricebookId}'`).map((r) => r.Product2Id));
  const contacts = control.query<{ AccountId: string | null }>('SELECT AccountId FROM Contact WHERE QAD_Contact_Id__c != null');
  const orders = control.query<{ Status: string; QAD_Sales_Order_Number__c: string | null }>('SELECT Status, QAD_Sales_Order_Number__c FROM Order');
  const state = sandbox.qad.state;
  const qadOrders = state.orders.size;
  const sfNumbers = new Set(orders.map((o) => o.QAD_Sales_Order_Number__c).filter((n): n is string => !!n));
  return {
    qad: {
      customers: state.customers.size,
      suppliers: state.suppliers.size,
      items: state.items.size,
      contacts: state.contacts.size,
      salesOrders: qadOrders,
      distinctSalesOrders: sfNumbers.size,
    },
    salesforce: {
      accounts: accounts.length,
      distinctAccountKeys: new Set(accounts.map((a) => a.QAD_Id__c)).size,
      accountsBothRoles: accounts.filter((a) => a.QAD_Is_Customer__c && a.QAD_Is_Supplier__c).length,
      products: products.length,
      productsWithPrice: products.filter((p) => priced.has(p.Id)).length,
      contacts: contacts.length,
      contactsWithAccount: contacts.filter((c) => !!c.AccountId).length,
      ordersActivated: orders.filter((o) => o.Status === 'Activated').length,
      ordersWithQadNumber: orders.filter((o) => !!o.QAD_Sales_Order_Number__c).length,
      auditRecords: countOf(sandbox, 'SELECT Id FROM Sync_Audit__c'),
      auditFailed: countOf(sandbox, "SELECT Id FROM Sync_Audit__c WHERE Status__c = 'Failed'"),
    },
    apiCalls: {
      // one count per request; fault counters mark requests already counted under their kind
      salesforce: sum(Object.entries(control.counters()).filter(([kind]) => kind !== 'faults').map(([, n]) => n)),
      qad: sum(Object.entries(state.counterSnapshot()).filter(([kind]) => !NOT_CALLS.has(kind)).map(([, n]) => n)),
    },
  };
}

/** QAD customer/supplier key → name, for checking that Salesforce edits arrived */
export function qadPartyNames(sandbox: RunningSandbox): Map<string, string> {
  const names = new Map<string, string>();
  for (const table of [sandbox.qad.state.suppliers, sandbox.qad.state.customers]) {
    for (const row of table.sorted()) names.set(`${row.sharedSet}|${row.code}`, row.name);
  }
  return names;
}
