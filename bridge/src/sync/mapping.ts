/**
 * Per-field mappings between QAD canonical records (CONTRACTS §5) and Salesforce fields, with the
 * side that owns each field. The connection's mapping files (config/mappings/) are read into this
 * shape at start-up; `DEFAULT_MAPPINGS` is the set the example config ships with.
 */
export type FieldOwner = 'qad' | 'salesforce' | 'both';

export interface FieldMapping {
  qad: string;
  salesforce: string;
  owner: FieldOwner;
}

export interface ObjectMapping {
  version: number;
  fields: FieldMapping[];
}

export interface MappingSet {
  account: ObjectMapping;
  product: ObjectMapping;
  contact: ObjectMapping;
}

export const DEFAULT_MAPPINGS: MappingSet = Object.freeze({
  account: {
    version: 1,
    fields: [
      { qad: 'name', salesforce: 'Name', owner: 'both' },
      { qad: 'addressLine1', salesforce: 'BillingStreet', owner: 'qad' },
      { qad: 'city', salesforce: 'BillingCity', owner: 'qad' },
      { qad: 'state', salesforce: 'BillingState', owner: 'qad' },
      { qad: 'postalCode', salesforce: 'BillingPostalCode', owner: 'qad' },
      { qad: 'country', salesforce: 'BillingCountry', owner: 'qad' },
      { qad: 'phone', salesforce: 'Phone', owner: 'both' },
    ],
  },
  product: {
    version: 1,
    fields: [
      { qad: 'description', salesforce: 'Name', owner: 'qad' },
      { qad: 'itemCode', salesforce: 'ProductCode', owner: 'qad' },
      { qad: 'description2', salesforce: 'Description', owner: 'qad' },
      { qad: 'unitOfMeasure', salesforce: 'QuantityUnitOfMeasure', owner: 'qad' },
      { qad: 'productLine', salesforce: 'Family', owner: 'qad' },
    ],
  },
  contact: {
    version: 1,
    fields: [
      { qad: 'firstName', salesforce: 'FirstName', owner: 'qad' },
      { qad: 'lastName', salesforce: 'LastName', owner: 'qad' },
      { qad: 'email', salesforce: 'Email', owner: 'qad' },
      { qad: 'phone', salesforce: 'Phone', owner: 'qad' },
      { qad: 'title', salesforce: 'Title', owner: 'qad' },
    ],
  },
}) as MappingSet;

function present(value: unknown): boolean {
  return value !== undefined && value !== null && value !== '';
}

/** QAD → Salesforce: every mapped field QAD owns or shares; absent QAD values are left out rather than blanking Salesforce. */
export function toSalesforceFields(mapping: ObjectMapping, qadFields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of mapping.fields) {
    if (field.owner === 'salesforce') continue;
    const value = qadFields[field.qad];
    if (present(value)) out[field.salesforce] = value;
  }
  return out;
}

/** Salesforce → QAD: only fields Salesforce owns or shares, and only those the change touched. */
export function toQadFields(mapping: ObjectMapping, sfFields: Record<string, unknown>, changedFields: readonly string[]): Record<string, unknown> {
  const changed = new Set(changedFields);
  const out: Record<string, unknown> = {};
  for (const field of mapping.fields) {
    if (field.owner === 'qad') continue;
    if (!changed.has(field.salesforce)) continue;
    if (field.salesforce in sfFields) out[field.qad] = sfFields[field.salesforce];
  }
  return out;
}

/** the Salesforce fields a CDC change may carry back to QAD */
export function salesforceOwnedFields(mapping: ObjectMapping): string[] {
  return mapping.fields.filter((f) => f.owner !== 'qad').map((f) => f.salesforce);
}
