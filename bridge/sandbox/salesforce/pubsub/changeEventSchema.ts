import type avro from 'avsc';
import { avroTypeFor, schemaIdFor } from './avroTypes.js';
import { encodeFieldBitmaps, type FieldLocation } from './bitmapEncoding.js';

/** The slice of a REST describe the bus needs. */
export interface DescribeFieldLike {
  name: string;
  type: string;
  calculated?: boolean;
  compoundFieldName?: string | null;
}

export interface SObjectDescribeLike {
  name: string;
  fields: DescribeFieldLike[];
}

export const CHANGE_TYPES = [
  'CREATE',
  'UPDATE',
  'DELETE',
  'UNDELETE',
  'GAP_CREATE',
  'GAP_UPDATE',
  'GAP_DELETE',
  'GAP_UNDELETE',
  'GAP_OVERFLOW',
  'SNAPSHOT',
] as const;
export type ChangeEventType = (typeof CHANGE_TYPES)[number];

const HEADER_SCHEMA = {
  type: 'record',
  name: 'ChangeEventHeader',
  namespace: 'com.salesforce.eventbus',
  fields: [
    { name: 'entityName', type: 'string' },
    { name: 'recordIds', type: { type: 'array', items: 'string' } },
    { name: 'changeType', type: { type: 'enum', name: 'ChangeType', namespace: 'com.salesforce.eventbus', symbols: [...CHANGE_TYPES] } },
    { name: 'changeOrigin', type: 'string' },
    { name: 'transactionKey', type: 'string' },
    { name: 'sequenceNumber', type: 'int' },
    { name: 'commitTimestamp', type: 'long' },
    { name: 'commitNumber', type: 'long' },
    { name: 'commitUser', type: 'string' },
    { name: 'nulledFields', type: { type: 'array', items: 'string' } },
    { name: 'diffFields', type: { type: 'array', items: 'string' } },
    { name: 'changedFields', type: { type: 'array', items: 'string' } },
  ],
};

// Change events leave out the record id (it is in the header) and bookkeeping fields.
const EXCLUDED_FIELDS = new Set(['Id', 'IsDeleted', 'SystemModstamp', 'LastViewedDate', 'LastReferencedDate']);

function primitiveFor(describeType: string): avro.Schema {
  switch (describeType) {
    case 'boolean':
      return 'boolean';
    case 'int':
      return 'int';
    case 'double':
    case 'currency':
    case 'percent':
      return 'double';
    case 'datetime':
      return { type: 'long', logicalType: 'timestamp-millis' } as avro.Schema;
    case 'date':
      return { type: 'int', logicalType: 'date' } as avro.Schema;
    default:
      return 'string';
  }
}

interface TopLevelField {
  name: string;
  describeType: string;
  /** describe names of the parts and their names inside the nested record */
  parts?: Array<{ apiName: string; nestedName: string; describeType: string }>;
}

export interface ChangeEventSchema {
  entityName: string;
  schemaId: string;
  schemaJson: string;
  type: avro.Type;
  /** top-level field names after the header, in schema order (index + 1 in the record) */
  fields: TopLevelField[];
  /** describe API name → where it sits in the schema */
  locations: Map<string, FieldLocation>;
}

function nestedNameFor(parent: string, child: string): string {
  // BillingStreet inside BillingAddress is `Street`; FirstName inside Contact Name stays `FirstName`.
  const prefix = parent.endsWith('Address') ? parent.slice(0, -'Address'.length) : '';
  return prefix && child.startsWith(prefix) && child.length > prefix.length ? child.slice(prefix.length) : child;
}

export function changeEventName(entityName: string): string {
  return entityName.endsWith('__c') ? `${entityName.slice(0, -3)}__ChangeEvent` : `${entityName}ChangeEvent`;
}

/** Builds the Avro schema of `<Entity>ChangeEvent` from the object's describe. */
export function buildChangeEventSchema(describe: SObjectDescribeLike): ChangeEventSchema {
  const partsByParent = new Map<string, DescribeFieldLike[]>();
  for (const field of describe.fields) {
    if (field.compoundFieldName) {
      const list = partsByParent.get(field.compoundFieldName) ?? [];
      list.push(field);
      partsByParent.set(field.compoundFieldName, list);
    }
  }
  const fields: TopLevelField[] = [];
  for (const field of describe.fields) {
    if (EXCLUDED_FIELDS.has(field.name) || field.compoundFieldName) continue;
    const parts = partsByParent.get(field.name);
    if (parts) {
      fields.push({
        name: field.name,
        describeType: field.type,
        parts: parts.map((part) => ({ apiName: part.name, nestedName: nestedNameFor(field.name, part.name), describeType: part.type })),
      });
    } else if (!field.calculated && field.type !== 'address' && field.type !== 'location') {
      fields.push({ name: field.name, describeType: field.type });
    }
  }

  const definedRecords = new Map<string, string>();
  const avroFields: Array<Record<string, unknown>> = [{ name: 'ChangeEventHeader', type: HEADER_SCHEMA }];
  for (const field of fields) {
    if (!field.parts) {
      avroFields.push({ name: field.name, type: ['null', primitiveFor(field.describeType)], default: null });
      continue;
    }
    const recordFields = field.parts.map((part) => ({ name: part.nestedName, type: ['null', primitiveFor(part.describeType)], default: null }));
    const shapeKey = JSON.stringify(recordFields);
    // Avro names must be unique in a schema: Billing- and ShippingAddress share one `Address` record.
    const existing = definedRecords.get(shapeKey);
    if (existing) {
      avroFields.push({ name: field.name, type: ['null', existing], default: null });
      continue;
    }
    const baseName = field.describeType === 'address' ? 'Address' : field.name === 'Name' ? 'Switchable_PersonName' : `${field.name}Type`;
    const recordName = [...definedRecords.values()].includes(`com.sforce.eventbus.${baseName}`) ? `${field.name}Type` : baseName;
    const fullName = `com.sforce.eventbus.${recordName}`;
    definedRecords.set(shapeKey, fullName);
    avroFields.push({
      name: field.name,
      type: ['null', { type: 'record', name: recordName, namespace: 'com.sforce.eventbus', fields: recordFields }],
      default: null,
    });
  }

  const schema = { type: 'record', name: changeEventName(describe.name), namespace: 'com.sforce.eventbus', fields: avroFields };
  const schemaJson = JSON.stringify(schema);
  const locations = new Map<string, FieldLocation>();
  fields.forEach((field, offset) => {
    const index = offset + 1;
    locations.set(field.name, { index });
    field.parts?.forEach((part, childIndex) => {
      locations.set(part.apiName, { index, childIndex });
      locations.set(`${field.name}.${part.nestedName}`, { index, childIndex });
    });
  });
  return {
    entityName: describe.name,
    schemaId: schemaIdFor(schemaJson),
    schemaJson,
    type: avroTypeFor(schema as avro.Schema),
    fields,
    locations,
  };
}

function toEpochMs(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return value;
  if (value instanceof Date) return value.getTime();
  // Salesforce writes `+0000` offsets, which Date.parse does not read.
  const parsed = Date.parse(String(value).replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  return Number.isNaN(parsed) ? null : parsed;
}

function avroValue(value: unknown, describeType: string): unknown {
  if (value === null || value === undefined) return null;
  switch (describeType) {
    case 'boolean':
      return typeof value === 'boolean' ? value : String(value) === 'true';
    case 'int':
      return Math.trunc(Number(value));
    case 'double':
    case 'currency':
    case 'percent':
      return Number(value);
    case 'datetime':
      return toEpochMs(value);
    case 'date': {
      const ms = toEpochMs(value);
      return ms === null ? null : Math.floor(ms / 86_400_000);
    }
    default:
      return typeof value === 'string' ? value : JSON.stringify(value);
  }
}

export interface ChangeEventHeaderValues {
  entityName: string;
  recordIds: string[];
  changeType: ChangeEventType;
  changeOrigin: string;
  transactionKey: string;
  sequenceNumber: number;
  commitTimestamp: number;
  commitNumber: bigint;
  commitUser: string;
  changedFields: readonly string[];
  nulledFields: readonly string[];
  diffFields: readonly string[];
}

function locate(schema: ChangeEventSchema, names: readonly string[]): FieldLocation[] {
  return names.flatMap((name) => {
    const location = schema.locations.get(name);
    return location ? [location] : [];
  });
}

/**
 * Encodes one change: fields the change carries get their values, every other field is null (as
 * Pub/Sub does), and the three field lists become bitmaps over this schema.
 */
export function encodeChangeEvent(
  schema: ChangeEventSchema,
  header: ChangeEventHeaderValues,
  values: Record<string, unknown>,
): Buffer {
  const record: Record<string, unknown> = {
    ChangeEventHeader: {
      entityName: header.entityName,
      recordIds: header.recordIds,
      changeType: header.changeType,
      changeOrigin: header.changeOrigin,
      transactionKey: header.transactionKey,
      sequenceNumber: header.sequenceNumber,
      commitTimestamp: header.commitTimestamp,
      commitNumber: header.commitNumber,
      commitUser: header.commitUser,
      nulledFields: encodeFieldBitmaps(locate(schema, header.nulledFields)),
      diffFields: encodeFieldBitmaps(locate(schema, header.diffFields)),
      changedFields: encodeFieldBitmaps(locate(schema, header.changedFields)),
    },
  };
  for (const field of schema.fields) {
    if (!field.parts) {
      record[field.name] = avroValue(values[field.name], field.describeType);
      continue;
    }
    const touched = field.parts.some((part) => values[part.apiName] !== undefined);
    record[field.name] = touched
      ? Object.fromEntries(field.parts.map((part) => [part.nestedName, avroValue(values[part.apiName], part.describeType)]))
      : null;
  }
  return schema.type.toBuffer(record);
}
