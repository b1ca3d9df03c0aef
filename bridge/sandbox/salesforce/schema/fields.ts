import type { FieldDef } from './types.js';

/**
 * Small builders so the object catalogue reads like a field list. Defaults follow what describe
 * reports for an ordinary custom or standard field: nillable, createable, updateable.
 */
type Extra = Partial<FieldDef>;

function base(name: string, label: string, type: FieldDef['type'], extra: Extra): FieldDef {
  return { name, label, type, nillable: true, createable: true, updateable: true, custom: name.endsWith('__c'), ...extra };
}

export const text = (name: string, label: string, length: number, extra: Extra = {}): FieldDef =>
  base(name, label, 'string', { length, ...extra });
export const longText = (name: string, label: string, length: number, extra: Extra = {}): FieldDef =>
  base(name, label, 'textarea', { length, ...extra });
export const phone = (name: string, label: string): FieldDef => base(name, label, 'phone', { length: 40 });
export const url = (name: string, label: string): FieldDef => base(name, label, 'url', { length: 255 });
export const email = (name: string, label: string): FieldDef => base(name, label, 'email', { length: 80 });
export const checkbox = (name: string, label: string, defaultValue = false): FieldDef =>
  base(name, label, 'boolean', { nillable: false, defaultValue });
export const number = (name: string, label: string, precision: number, scale: number, extra: Extra = {}): FieldDef =>
  base(name, label, 'double', { precision, scale, ...extra });
export const currency = (name: string, label: string, extra: Extra = {}): FieldDef =>
  base(name, label, 'currency', { precision: 18, scale: 2, ...extra });
export const date = (name: string, label: string, extra: Extra = {}): FieldDef => base(name, label, 'date', extra);
export const dateTime = (name: string, label: string, extra: Extra = {}): FieldDef => base(name, label, 'datetime', extra);
export const picklist = (name: string, label: string, values: string[], extra: Extra = {}): FieldDef =>
  base(name, label, 'picklist', { length: 255, picklistValues: values, restrictedPicklist: true, ...extra });
export const lookup = (name: string, label: string, target: string, relationshipName: string, extra: Extra = {}): FieldDef =>
  base(name, label, 'reference', { length: 18, referenceTo: [target], relationshipName, ...extra });
/** Text(80) External ID, Unique, case-sensitive: the shape of every key field in the package */
export const externalKey = (name: string, label: string, length = 80): FieldDef =>
  text(name, label, length, { externalId: true, unique: true, caseSensitive: true });

/** Fields every stored object has; the org sets them, a client never writes them. */
export function systemFields(): FieldDef[] {
  const readOnly = { createable: false, updateable: false };
  return [
    base('Id', 'Record ID', 'id', { length: 18, nillable: false, ...readOnly }),
    base('IsDeleted', 'Deleted', 'boolean', { nillable: false, ...readOnly }),
    base('CreatedDate', 'Created Date', 'datetime', { nillable: false, ...readOnly }),
    base('CreatedById', 'Created By ID', 'reference', { length: 18, nillable: false, referenceTo: ['User'], relationshipName: 'CreatedBy', ...readOnly }),
    base('LastModifiedDate', 'Last Modified Date', 'datetime', { nillable: false, ...readOnly }),
    base('LastModifiedById', 'Last Modified By ID', 'reference', { length: 18, nillable: false, referenceTo: ['User'], relationshipName: 'LastModifiedBy', ...readOnly }),
    base('SystemModstamp', 'System Modstamp', 'datetime', { nillable: false, ...readOnly }),
  ];
}

export function addressFields(prefix: 'Billing' | 'Shipping'): FieldDef[] {
  const compoundFieldName = `${prefix}Address`;
  return [
    longText(`${prefix}Street`, `${prefix} Street`, 255, { compoundFieldName }),
    text(`${prefix}City`, `${prefix} City`, 40, { compoundFieldName }),
    text(`${prefix}State`, `${prefix} State/Province`, 80, { compoundFieldName }),
    text(`${prefix}PostalCode`, `${prefix} Zip/Postal Code`, 20, { compoundFieldName }),
    text(`${prefix}Country`, `${prefix} Country`, 80, { compoundFieldName }),
    base(compoundFieldName, `${prefix} Address`, 'address', { createable: false, updateable: false }),
  ];
}
