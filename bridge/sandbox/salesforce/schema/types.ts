/** REST describe field types the sandbox models (the subset the product's objects use). */
export type FieldType =
  | 'id'
  | 'string'
  | 'textarea'
  | 'phone'
  | 'url'
  | 'email'
  | 'boolean'
  | 'double'
  | 'currency'
  | 'int'
  | 'date'
  | 'datetime'
  | 'picklist'
  | 'reference'
  | 'address';

export interface FieldDef {
  name: string;
  label: string;
  type: FieldType;
  /** characters for text types */
  length?: number;
  /** digits for numbers (Number(p,s)) */
  precision?: number;
  scale?: number;
  nillable: boolean;
  createable: boolean;
  updateable: boolean;
  externalId?: boolean;
  unique?: boolean;
  caseSensitive?: boolean;
  picklistValues?: string[];
  restrictedPicklist?: boolean;
  referenceTo?: string[];
  relationshipName?: string;
  compoundFieldName?: string;
  /** `SA-{00000000}`-style display format of an auto-number field */
  autoNumberFormat?: string;
  /** value the platform fills when a create leaves the field out */
  defaultValue?: string | number | boolean;
  /** true when a create must supply it (Name, LastName, ...) */
  required?: boolean;
  /** computed by the org (Contact.Name, Order.TotalAmount, OrderItem.TotalPrice) */
  calculated?: boolean;
  custom?: boolean;
}

export interface ChildRelationship {
  childSObject: string;
  field: string;
  relationshipName: string;
}

export interface ObjectDef {
  name: string;
  label: string;
  labelPlural: string;
  keyPrefix: string;
  custom: boolean;
  /** platform events are published, never stored */
  isEvent?: boolean;
  fields: FieldDef[];
  childRelationships: ChildRelationship[];
}
