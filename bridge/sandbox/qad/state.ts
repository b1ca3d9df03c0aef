import type { SandboxClock } from '../clock.js';
import {
  KeyedTable,
  itemKey,
  orderKey,
  partyKey,
  type ContactRecord,
  type DomainRecord,
  type ItemRecord,
  type OrderRecord,
  type PartyRecord,
  type UserRecord,
} from './model.js';
import { generateCustomers, type QadSeed } from './seed.js';

export type CallKind =
  | 'token'
  | 'securityControl'
  | 'apiDocs'
  | 'browse'
  | 'erpRead'
  | 'erpWrite'
  | 'soHeaderRead'
  | 'soHeaderWrite'
  | 'soLineRead'
  | 'soLineTemplate'
  | 'soFieldChange'
  | 'soLineCommit'
  | 'qxtendQuery'
  | 'qxtendMaintain'
  | 'unauthorized'
  | 'forbidden'
  | 'faulted'
  | 'notFound';

/** Calls that belong to a sales-order write, the ones "fail after step N" counts. */
export const ORDER_STEP_KINDS: ReadonlySet<CallKind> = new Set([
  'soHeaderRead',
  'soHeaderWrite',
  'soLineRead',
  'soLineTemplate',
  'soFieldChange',
  'soLineCommit',
]);

/**
 * What a faulted call did before failing. `refused`: nothing, the tenant turned it away before doing
 * the work (a gateway or an overloaded server answering 503). `answerLost`: the work was done and
 * committed, then the answer never reached the caller (a gateway timeout behind a busy server, a
 * crash right after the commit), so a caller cannot tell it from `refused` except by reading back.
 */
export type FaultEffect = 'refused' | 'answerLost';

export interface FaultSettings {
  latencyMs: number;
  /** the next `count` calls (of `kinds`, or any) answer `status`, with `effect` (default refused) and, if set, a Retry-After */
  failNext: { count: number; status: number; kinds?: CallKind[]; effect: FaultEffect; retryAfterSeconds?: number } | null;
  /**
   * Step `step` of an order write (counted over ORDER_STEP_KINDS and QXtend sales-order calls from
   * the moment this is set) fails with a 503 or a server crash, either refused (not carried out) or
   * carried out with its answer lost.
   */
  orderStepFault: { step: number; mode: '5xx' | 'crash'; effect: FaultEffect; downForMs?: number; seen: number } | null;
}

/** The tenant's business data, as `TenantState.snapshotData` copies it. */
export type DataSnapshot = ReadonlyMap<DataTable, Map<string, unknown>>;
type DataTable = 'customers' | 'suppliers' | 'items' | 'contacts' | 'orders';
const DATA_TABLES: readonly DataTable[] = ['customers', 'suppliers', 'items', 'contacts', 'orders'];

export interface TokenRecord {
  username: string;
  issuedAt: number;
  lastUsedAt: number;
}

function fillParty(p: QadSeed['customers'][number], fallback: { sharedSet: string; currency: string }, now: string): PartyRecord {
  return {
    sharedSet: p.sharedSet ?? fallback.sharedSet,
    code: p.code,
    businessRelation: p.businessRelation ?? `BR${p.code}`,
    name: p.name,
    addressLine1: p.addressLine1 ?? '',
    addressLine2: p.addressLine2 ?? '',
    city: p.city ?? '',
    state: p.state ?? '',
    postalCode: p.postalCode ?? '',
    country: p.country ?? 'US',
    phone: p.phone ?? '',
    email: p.email ?? '',
    currency: p.currency ?? fallback.currency,
    creditTerms: p.creditTerms ?? '30D',
    active: p.active ?? true,
    modifiedAt: p.modifiedAt ?? now,
  };
}

export class TenantState {
  clientId = '';
  users: UserRecord[] = [];
  domains: DomainRecord[] = [];
  securityControl = { sessionLength: 60, timeoutMinutes: 20 };
  readonly customers = new KeyedTable<PartyRecord>();
  readonly suppliers = new KeyedTable<PartyRecord>();
  readonly items = new KeyedTable<ItemRecord>();
  readonly contacts = new KeyedTable<ContactRecord>();
  readonly orders = new KeyedTable<OrderRecord>();
  readonly tokens = new Map<string, TokenRecord>();
  readonly refreshTokens = new Map<string, string>();
  /** entity paths (below the context root) that this tenant does not serve */
  readonly hiddenPaths = new Set<string>();
  readonly counters = new Map<string, number>();
  /** tenant calls being served now, and the most at once since the last counter reset */
  inFlight = 0;
  maxInFlight = 0;
  faults: FaultSettings = { latencyMs: 0, failNext: null, orderStepFault: null };

  constructor(readonly clock: SandboxClock) {}

  nowIso(): string {
    return new Date(this.clock.now()).toISOString();
  }

  count(kind: CallKind): void {
    this.counters.set(kind, (this.counters.get(kind) ?? 0) + 1);
    this.counters.set('total', (this.counters.get('total') ?? 0) + 1);
  }

  counterSnapshot(): Record<string, number> {
    return { ...Object.fromEntries([...this.counters.entries()].sort()), maxInFlight: this.maxInFlight };
  }

  resetCounters(): void {
    this.counters.clear();
    this.maxInFlight = this.inFlight;
  }

  loadSeed(seed: QadSeed): void {
    const now = this.nowIso();
    this.clientId = seed.clientId;
    this.users = seed.users.map((u) => ({ ...u }));
    this.domains = seed.domains.map((d) => ({ ...d, entities: [...d.entities], sites: [...d.sites] }));
    if (seed.securityControl) this.securityControl = { ...seed.securityControl };
    for (const table of [this.customers, this.suppliers, this.items, this.contacts, this.orders]) table.clear();
    this.tokens.clear();
    const first = this.domains[0];
    if (!first) throw new Error('QAD seed needs at least one domain');
    const fallback = { sharedSet: first.sharedSet, currency: first.currency };
    for (const c of seed.customers) this.putCustomer(fillParty(c, fallback, now));
    for (const s of seed.suppliers) {
      const supplier = fillParty(s, fallback, now);
      // EE rule: a customer and supplier with the same code share one business relation.
      const twin = this.customers.get(partyKey(supplier));
      if (twin) supplier.businessRelation = twin.businessRelation;
      this.suppliers.set(partyKey(supplier), supplier);
    }
    for (const i of seed.items) {
      const item: ItemRecord = {
        domain: i.domain ?? first.code,
        itemCode: i.itemCode,
        description: i.description,
        description2: i.description2 ?? '',
        unitOfMeasure: i.unitOfMeasure ?? 'EA',
        productLine: i.productLine ?? '',
        status: i.status ?? 'ACTIVE',
        listPrice: i.listPrice ?? 0,
        modifiedAt: i.modifiedAt ?? now,
      };
      this.items.set(itemKey(item), item);
    }
    for (const c of seed.contacts) {
      const contact: ContactRecord = {
        contactId: c.contactId,
        businessRelation: c.businessRelation ?? `BR${c.customerCode}`,
        customerCode: c.customerCode,
        sharedSet: c.sharedSet ?? first.sharedSet,
        firstName: c.firstName ?? '',
        lastName: c.lastName,
        email: c.email ?? '',
        phone: c.phone ?? '',
        title: c.title ?? '',
        modifiedAt: c.modifiedAt ?? now,
      };
      this.contacts.set(contact.contactId, contact);
    }
  }

  /** A copy of the business data, so a refused call can be undone as if it never ran. */
  snapshotData(): DataSnapshot {
    return new Map(DATA_TABLES.map((name) => [name, this[name].snapshot() as Map<string, unknown>]));
  }

  restoreData(snapshot: DataSnapshot): void {
    for (const name of DATA_TABLES) (this[name] as KeyedTable<unknown>).restore(snapshot.get(name) as Map<string, unknown>);
  }

  putCustomer(c: PartyRecord): void {
    this.customers.set(partyKey(c), c);
  }

  /** Adds `count` generated customers to the first domain's shared set (or `sharedSet`). */
  generateCustomers(count: number, options: { sharedSet?: string; prefix?: string } = {}): number {
    const domain = this.domains[0]!;
    const sharedSet = options.sharedSet ?? domain.sharedSet;
    const rows = generateCustomers(count, { sharedSet, prefix: options.prefix ?? 'G', modifiedAt: this.nowIso(), currency: domain.currency });
    const fallback = { sharedSet, currency: domain.currency };
    for (const row of rows) this.putCustomer(fillParty(row, fallback, this.nowIso()));
    return rows.length;
  }

  /**
   * Direct edits for tests: changes the name (and phone) of `count` records, chosen evenly across
   * the table so they land on different pages. With `bumpModifiedDate` false the content changes but
   * the modified date does not, which only content-hash change detection can see.
   */
  editRecords(table: 'customers' | 'suppliers' | 'items' | 'contacts', count: number, options: { bumpModifiedDate?: boolean; keys?: string[] } = {}): string[] {
    const source = this[table];
    const keys = options.keys ?? spread(source.keys(), count);
    const now = this.nowIso();
    const stamp = `${this.clock.now().toString(36)}`;
    for (const key of keys) {
      const row = source.get(key) as Record<string, unknown> | undefined;
      if (!row) throw new Error(`no ${table} record ${key}`);
      if ('name' in row) row.name = `${String(row.name).replace(/ \(edited [a-z0-9]+\)$/, '')} (edited ${stamp})`;
      if ('description' in row) row.description = `${String(row.description).replace(/ \(edited [a-z0-9]+\)$/, '')} (edited ${stamp})`;
      if ('lastName' in row) row.lastName = `${String(row.lastName).replace(/ \(edited [a-z0-9]+\)$/, '')} (edited ${stamp})`;
      if (options.bumpModifiedDate !== false) row.modifiedAt = now;
    }
    source.touch();
    return keys;
  }

  domain(code: string): DomainRecord | undefined {
    return this.domains.find((d) => d.code === code);
  }

  user(username: string, password: string): UserRecord | undefined {
    return this.users.find((u) => u.username === username && u.password === password);
  }

  order(domain: string, orderNumber: string): OrderRecord | undefined {
    return this.orders.get(orderKey({ domain, orderNumber }));
  }
}

function spread(keys: string[], count: number): string[] {
  if (count >= keys.length) return keys;
  const step = keys.length / count;
  const out: string[] = [];
  for (let i = 0; i < count; i += 1) out.push(keys[Math.floor(i * step)]!);
  return out;
}
