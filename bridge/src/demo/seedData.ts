import type { QadSeed } from '../../sandbox/qad/seed.js';
import { generateCustomers, loadQadSeed } from '../../sandbox/qad/seed.js';

export interface DemoSize {
  customers: number;
  suppliers: number;
  /** suppliers that are also customers (same shared set and code): one Account with both flags */
  suppliersAlsoCustomers: number;
  items: number;
  contacts: number;
  orders: number;
  linesPerOrder: number;
  accountEdits: number;
}

export const DEMO_SIZE: DemoSize = Object.freeze({
  customers: 500,
  suppliers: 200,
  suppliersAlsoCustomers: 40,
  items: 300,
  contacts: 300,
  orders: 50,
  linesPerOrder: 3,
  accountEdits: 10,
});

const SHARED_SET = 'US-SET';
const DOMAIN = '10USA';
const MODIFIED = '2025-06-01T08:00:00.000Z';

/**
 * The demo's QAD tenant: the sandbox's base seed (users, domains) with generated master data.
 * Deterministic, so two demo runs sync the same records.
 */
export async function demoQadSeed(size: DemoSize = DEMO_SIZE): Promise<QadSeed> {
  const base = await loadQadSeed();
  const customers = generateCustomers(size.customers, { sharedSet: SHARED_SET, prefix: 'C', modifiedAt: MODIFIED });
  const shared = customers.slice(0, size.suppliersAlsoCustomers).map((c) => ({ ...c, name: c.name.replace('Customer', 'Partner') }));
  const ownSuppliers = generateCustomers(size.suppliers - size.suppliersAlsoCustomers, { sharedSet: SHARED_SET, prefix: 'S', modifiedAt: MODIFIED }).map((s) => ({
    ...s,
    name: s.name.replace('Generated Customer', 'Generated Supplier'),
  }));
  const suppliers = [...shared, ...ownSuppliers];
  // the shared relations keep one name on both sides, so the Account has one truth
  for (const s of shared) {
    const customer = customers.find((c) => c.code === s.code)!;
    customer.name = s.name;
  }
  const items: QadSeed['items'] = [];
  for (let i = 1; i <= size.items; i += 1) {
    const code = `D-${String(i).padStart(5, '0')}`;
    items.push({ domain: DOMAIN, itemCode: code, description: `Demo part ${code}`, description2: 'Generated', unitOfMeasure: 'EA', productLine: i % 2 ? 'FAST' : 'TOOL', status: 'ACTIVE', listPrice: Math.round((1 + (i % 97) * 1.25) * 100) / 100, modifiedAt: MODIFIED });
  }
  const contacts: QadSeed['contacts'] = [];
  for (let i = 1; i <= size.contacts; i += 1) {
    const customer = customers[(i - 1) % customers.length]!;
    contacts.push({
      contactId: `DC-${String(i).padStart(5, '0')}`,
      businessRelation: customer.businessRelation,
      customerCode: customer.code,
      sharedSet: SHARED_SET,
      firstName: `First${i}`,
      lastName: `Contact${i}`,
      email: `contact${i}@example.com`,
      phone: `+1 555 01${String(i % 100).padStart(2, '0')}`,
      title: 'Buyer',
      modifiedAt: MODIFIED,
    } as QadSeed['contacts'][number]);
  }
  return { ...base, customers, suppliers, items, contacts };
}

export function accountKeys(seed: QadSeed): Set<string> {
  const keys = new Set<string>();
  for (const p of [...seed.customers, ...seed.suppliers]) keys.add(`${p.sharedSet ?? SHARED_SET}|${p.code}`);
  return keys;
}
