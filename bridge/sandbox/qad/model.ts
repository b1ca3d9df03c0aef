/**
 * The simulated tenant's own records. They are stored in one neutral shape; the REST and QXtend
 * surfaces project them onto the field names each API uses (restNames.ts, qxtend/names.ts), the way
 * one QAD database is seen through both the Adaptive UI services and QXtend.
 */

export interface DomainRecord {
  code: string;
  entities: string[];
  sharedSet: string;
  sites: string[];
  currency: string;
}

export interface UserRecord {
  username: string;
  password: string;
  /** path prefixes (below the context root) this user is refused with "Access is denied" */
  deniedPaths?: string[];
  /** whether api/qracore/securityControl answers for this user */
  mayReadSecurityControl?: boolean;
}

export interface PartyRecord {
  sharedSet: string;
  code: string;
  businessRelation: string;
  name: string;
  addressLine1: string;
  addressLine2: string;
  city: string;
  state: string;
  postalCode: string;
  country: string;
  phone: string;
  email: string;
  currency: string;
  creditTerms: string;
  active: boolean;
  modifiedAt: string;
}

export interface ItemRecord {
  domain: string;
  itemCode: string;
  description: string;
  description2: string;
  unitOfMeasure: string;
  productLine: string;
  status: string;
  listPrice: number;
  modifiedAt: string;
}

export interface ContactRecord {
  contactId: string;
  businessRelation: string;
  customerCode: string;
  sharedSet: string;
  firstName: string;
  lastName: string;
  email: string;
  phone: string;
  title: string;
  modifiedAt: string;
}

export interface OrderLineRecord {
  line: number;
  itemCode: string;
  site: string;
  quantity: number;
  listPrice: number;
  netPrice: number;
  dueDate: string;
  unitOfMeasure: string;
}

export interface OrderRecord {
  domain: string;
  orderNumber: string;
  customerCode: string;
  billTo: string;
  shipTo: string;
  poNumber: string;
  orderDate: string;
  dueDate: string;
  currency: string;
  site: string;
  lines: OrderLineRecord[];
}

export type TableName = 'customers' | 'suppliers' | 'items' | 'contacts';

/**
 * A keyed table that hands out its rows in primary-key order, like a Progress primary index; the
 * sorted view is rebuilt only when keys come or go, so paging 10,000 rows does not sort per page.
 */
export class KeyedTable<T> {
  readonly #rows = new Map<string, T>();
  #sorted: T[] | null = null;
  #version = 0;

  /** moves on with every change, including a row edited in place (`touch`), so views of the table know when they are stale */
  get version(): number {
    return this.#version;
  }

  /** a row was changed in place */
  touch(): void {
    this.#version += 1;
  }

  get size(): number {
    return this.#rows.size;
  }

  get(key: string): T | undefined {
    return this.#rows.get(key);
  }

  has(key: string): boolean {
    return this.#rows.has(key);
  }

  set(key: string, row: T): void {
    // A replaced row object must replace its slot in the sorted view as well.
    if (this.#rows.get(key) !== row) this.#sorted = null;
    this.#rows.set(key, row);
    this.#version += 1;
  }

  delete(key: string): boolean {
    this.#sorted = null;
    this.#version += 1;
    return this.#rows.delete(key);
  }

  clear(): void {
    this.#rows.clear();
    this.#sorted = null;
    this.#version += 1;
  }

  /** A deep copy of every row, for putting the table back as it was (`restore`). */
  snapshot(): Map<string, T> {
    return structuredClone(this.#rows);
  }

  restore(rows: Map<string, T>): void {
    this.#rows.clear();
    for (const [key, row] of rows) this.#rows.set(key, row);
    this.#sorted = null;
    this.#version += 1;
  }

  keys(): string[] {
    return [...this.#rows.keys()].sort();
  }

  sorted(): T[] {
    if (!this.#sorted) {
      this.#sorted = [...this.#rows.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, row]) => row);
    }
    return this.#sorted;
  }
}

export function partyKey(p: { sharedSet: string; code: string }): string {
  return `${p.sharedSet}|${p.code}`;
}

export function itemKey(i: { domain: string; itemCode: string }): string {
  return `${i.domain}|${i.itemCode}`;
}

export function orderKey(o: { domain: string; orderNumber: string }): string {
  return `${o.domain}|${o.orderNumber}`;
}
