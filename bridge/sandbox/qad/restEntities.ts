import { createHash } from 'node:crypto';
import type { ContactRecord, ItemRecord, PartyRecord, TableName } from './model.js';
import type { FieldError } from './http.js';
import { capitalise } from './http.js';

/**
 * How the simulated tenant's REST services name things: the `api/erp/<plural>` component services,
 * their `viewUri` URNs, their browse ids and the flat dotted browse columns (facts §2.5, §2.8). The
 * names match config/qad-profiles/adaptive-rest.json, which is what a customer would have verified.
 */
export interface RestEntity {
  object: 'customer' | 'supplier' | 'item' | 'contact';
  table: TableName;
  path: string;
  plural: string;
  viewUri: string;
  browseId: string;
  rowPrefix: string;
  /** key fields in URI order */
  keys: string[];
  scope: 'sharedSet' | 'domain' | 'none';
  toRest(row: unknown): Record<string, unknown>;
  keyOf(values: Record<string, string>): string;
  /** applies a REST update onto the row; returns field errors instead of throwing */
  apply(row: unknown, fields: Record<string, unknown>, context: { currencies: Set<string> }): FieldError[];
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function partyEntity(object: 'customer' | 'supplier'): RestEntity {
  const codeField = object === 'customer' ? 'customerCode' : 'supplierCode';
  const plural = object === 'customer' ? 'customerV2s' : 'supplierV2s';
  const component = object === 'customer' ? 'customer.ICustomerV2' : 'supplier.ISupplierV2';
  const map: Array<[keyof PartyRecord, string]> = [
    ['code', codeField],
    ['sharedSet', 'sharedSetCode'],
    ['businessRelation', 'businessRelationCode'],
    ['name', 'businessRelationName1'],
    ['addressLine1', 'addressStreet1'],
    ['addressLine2', 'addressStreet2'],
    ['city', 'addressCity'],
    ['state', 'addressState'],
    ['postalCode', 'addressZip'],
    ['country', 'countryCode'],
    ['phone', 'telephone'],
    ['email', 'email'],
    ['currency', 'currencyCode'],
    ['creditTerms', 'creditTermsCode'],
    ['active', 'isActive'],
    ['modifiedAt', 'lastModifiedDate'],
  ];
  return {
    object,
    table: object === 'customer' ? 'customers' : 'suppliers',
    path: `api/erp/${plural}`,
    plural,
    viewUri: `urn:be:com.qad.base.${component}`,
    browseId: `urn:browse:bebrowse:com.qad.erp.base.${plural}`,
    rowPrefix: object === 'customer' ? 'customerV2' : 'supplierV2',
    keys: ['sharedSetCode', codeField],
    scope: 'sharedSet',
    toRest(row) {
      const p = row as PartyRecord;
      const out: Record<string, unknown> = {};
      for (const [own, rest] of map) out[rest] = p[own];
      return out;
    },
    keyOf: (v) => `${v.sharedSetCode}|${v[codeField]}`,
    apply(row, fields, context) {
      const p = row as PartyRecord;
      const errors: FieldError[] = [];
      const next = { ...p } as Record<string, unknown>;
      for (const [own, rest] of map) {
        if (!(rest in fields) || own === 'modifiedAt' || own === 'code' || own === 'sharedSet' || own === 'businessRelation') continue;
        next[own] = fields[rest];
      }
      const name = String(next.name ?? '');
      // Business relation names are x(36) in EE (facts §5.1); field names in errors come back capitalised (§2.6).
      if (name.trim() === '') errors.push({ fieldName: 'BusinessRelationName1', message: 'Name is mandatory.', code: '1021', value: name });
      else if (name.length > 36) errors.push({ fieldName: 'BusinessRelationName1', message: 'Name cannot be longer than 36 characters.', code: '1023', value: name });
      const email = String(next.email ?? '');
      if (email !== '' && !EMAIL.test(email)) errors.push({ fieldName: 'Email', message: `Email address ${email} is not valid.`, code: '3541', value: email });
      const currency = String(next.currency ?? '');
      if (!context.currencies.has(currency)) errors.push({ fieldName: 'CurrencyCode', message: `Currency ${currency} does not exist.`, code: '1135', value: currency });
      if (typeof next.active !== 'boolean') errors.push({ fieldName: 'IsActive', message: 'Active must be true or false.', code: '1001', value: next.active });
      if (errors.length === 0) Object.assign(p, next);
      return errors;
    },
  };
}

const itemMap: Array<[keyof ItemRecord, string]> = [
  ['itemCode', 'itemCode'],
  ['domain', 'domainCode'],
  ['description', 'description1'],
  ['description2', 'description2'],
  ['unitOfMeasure', 'unitOfMeasure'],
  ['productLine', 'productLine'],
  ['status', 'itemStatus'],
  ['listPrice', 'listPrice'],
  ['modifiedAt', 'lastModifiedDate'],
];

const contactMap: Array<[keyof ContactRecord, string]> = [
  ['contactId', 'contactId'],
  ['businessRelation', 'businessRelationCode'],
  ['customerCode', 'customerCode'],
  ['sharedSet', 'sharedSetCode'],
  ['firstName', 'firstName'],
  ['lastName', 'lastName'],
  ['email', 'email'],
  ['phone', 'telephone'],
  ['title', 'contactFunction'],
  ['modifiedAt', 'lastModifiedDate'],
];

function simpleEntity<T extends object>(spec: {
  object: 'item' | 'contact';
  table: TableName;
  plural: string;
  viewUri: string;
  browseId: string;
  rowPrefix: string;
  keys: string[];
  scope: 'domain' | 'none';
  map: Array<[keyof T, string]>;
  keyOf: (v: Record<string, string>) => string;
}): RestEntity {
  return {
    ...spec,
    path: `api/erp/${spec.plural}`,
    toRest(row) {
      const out: Record<string, unknown> = {};
      for (const [own, rest] of spec.map) out[rest] = (row as T)[own];
      return out;
    },
    apply(row, fields) {
      const errors: FieldError[] = [];
      for (const [own, rest] of spec.map) {
        if (!(rest in fields) || own === 'modifiedAt' || spec.keys.includes(rest)) continue;
        const value = fields[rest];
        if (typeof value !== typeof (row as T)[own]) {
          errors.push({ fieldName: capitalise(rest), message: `Value for ${rest} has the wrong type.`, code: '1001', value });
        }
      }
      if (errors.length === 0) {
        for (const [own, rest] of spec.map) {
          if (rest in fields && own !== 'modifiedAt' && !spec.keys.includes(rest)) (row as Record<string, unknown>)[own as string] = fields[rest];
        }
      }
      return errors;
    },
  };
}

export function restEntities(paths: Partial<Record<RestEntity['object'], string>> = {}): RestEntity[] {
  const list: RestEntity[] = [
    partyEntity('customer'),
    partyEntity('supplier'),
    simpleEntity<ItemRecord>({
      object: 'item',
      table: 'items',
      plural: 'items',
      viewUri: 'urn:be:com.qad.base.item.IItem',
      browseId: 'urn:browse:bebrowse:com.qad.erp.base.items',
      rowPrefix: 'item',
      keys: ['domainCode', 'itemCode'],
      scope: 'domain',
      map: itemMap,
      keyOf: (v) => `${v.domainCode}|${v.itemCode}`,
    }),
    simpleEntity<ContactRecord>({
      object: 'contact',
      table: 'contacts',
      plural: 'contacts',
      viewUri: 'urn:be:com.qad.base.address.IContact',
      browseId: 'urn:browse:bebrowse:com.qad.erp.base.contacts',
      rowPrefix: 'contact',
      keys: ['contactId'],
      scope: 'none',
      map: contactMap,
      keyOf: (v) => `${v.contactId}`,
    }),
  ];
  for (const entity of list) {
    const override = paths[entity.object];
    if (override) entity.path = override;
  }
  return list;
}

/** Optimistic-concurrency token handed out with each read and checked on update. */
export function concurrencyHash(rest: Record<string, unknown>): string {
  return createHash('sha1').update(JSON.stringify(rest)).digest('hex').slice(0, 16);
}
