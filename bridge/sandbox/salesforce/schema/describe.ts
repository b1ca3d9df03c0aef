import type { SchemaCatalog } from './catalog.js';
import type { FieldDef, ObjectDef } from './types.js';

/** REST describe answers (`/sobjects/` and `/sobjects/X/describe/`) built from the catalogue. */

const SOAP_TYPES: Record<FieldDef['type'], string> = {
  id: 'tns:ID',
  reference: 'tns:ID',
  string: 'xsd:string',
  textarea: 'xsd:string',
  phone: 'xsd:string',
  url: 'xsd:string',
  email: 'xsd:string',
  picklist: 'xsd:string',
  boolean: 'xsd:boolean',
  double: 'xsd:double',
  currency: 'xsd:double',
  int: 'xsd:int',
  date: 'xsd:date',
  datetime: 'xsd:dateTime',
  address: 'urn:address',
};

function objectUrls(apiVersion: string, name: string): Record<string, string> {
  const base = `/services/data/v${apiVersion}/sobjects/${name}`;
  return { sobject: base, describe: `${base}/describe`, rowTemplate: `${base}/{ID}` };
}

function objectFlags(def: ObjectDef): Record<string, unknown> {
  const stored = !def.isEvent;
  return {
    name: def.name,
    label: def.label,
    labelPlural: def.labelPlural,
    keyPrefix: def.keyPrefix,
    custom: def.custom,
    customSetting: false,
    createable: true,
    updateable: stored,
    deletable: stored,
    queryable: stored,
    retrieveable: stored,
    searchable: stored,
    layoutable: stored,
    replicateable: stored,
    triggerable: true,
    undeletable: stored,
    mergeable: def.name === 'Account' || def.name === 'Contact',
    deprecatedAndHidden: false,
    feedEnabled: false,
    activateable: false,
  };
}

function describeField(field: FieldDef): Record<string, unknown> {
  const isText = field.length !== undefined && field.type !== 'reference' && field.type !== 'id';
  const isNumber = field.type === 'double' || field.type === 'currency' || field.type === 'int';
  const autoNumber = field.autoNumberFormat !== undefined;
  return {
    name: field.name,
    label: field.label,
    type: field.type,
    soapType: SOAP_TYPES[field.type],
    length: isText ? field.length : field.type === 'reference' || field.type === 'id' ? 18 : 0,
    byteLength: isText ? (field.length ?? 0) * 3 : field.type === 'reference' || field.type === 'id' ? 18 : 0,
    precision: isNumber ? (field.precision ?? 18) : 0,
    scale: isNumber ? (field.scale ?? 0) : 0,
    digits: field.type === 'int' ? 9 : 0,
    nillable: field.nillable,
    externalId: field.externalId ?? false,
    unique: field.unique ?? false,
    caseSensitive: field.caseSensitive ?? false,
    createable: field.createable,
    updateable: field.updateable,
    custom: field.custom ?? false,
    calculated: field.calculated ?? false,
    autoNumber,
    defaultedOnCreate: field.defaultValue !== undefined || autoNumber || ['Id', 'OwnerId', 'CreatedDate', 'CreatedById', 'LastModifiedDate', 'LastModifiedById', 'SystemModstamp', 'IsDeleted'].includes(field.name),
    defaultValue: field.defaultValue ?? null,
    filterable: field.type !== 'textarea' || (field.length ?? 0) <= 255,
    sortable: field.type !== 'textarea' || (field.length ?? 0) <= 255,
    groupable: field.type !== 'textarea' && field.type !== 'double' && field.type !== 'currency',
    idLookup: field.name === 'Id' || (field.externalId ?? false),
    nameField: field.name === 'Name',
    htmlFormatted: false,
    picklistValues: (field.picklistValues ?? []).map((value, index) => ({
      active: true,
      defaultValue: index === 0 && field.name === 'Status' ? true : false,
      label: value,
      validFor: null,
      value,
    })),
    restrictedPicklist: field.type === 'picklist' ? (field.restrictedPicklist ?? false) : false,
    referenceTo: field.referenceTo ?? [],
    relationshipName: field.relationshipName ?? null,
    relationshipOrder: null,
    compoundFieldName: field.compoundFieldName ?? null,
    deprecatedAndHidden: false,
  };
}

export function describeGlobal(catalog: SchemaCatalog, apiVersion: string): Record<string, unknown> {
  return {
    encoding: 'UTF-8',
    maxBatchSize: 200,
    sobjects: catalog.all().map((def) => ({ ...objectFlags(def), urls: objectUrls(apiVersion, def.name) })),
  };
}

export function describeObject(def: ObjectDef, apiVersion: string): Record<string, unknown> {
  return {
    ...objectFlags(def),
    fields: def.fields.map(describeField),
    childRelationships: def.childRelationships.map((rel) => ({
      childSObject: rel.childSObject,
      field: rel.field,
      relationshipName: rel.relationshipName,
      cascadeDelete: rel.childSObject === 'OrderItem' && rel.field === 'OrderId',
      restrictedDelete: false,
      deprecatedAndHidden: false,
    })),
    recordTypeInfos: [],
    urls: objectUrls(apiVersion, def.name),
  };
}

/** The short form returned by `GET /sobjects/X/`: object info plus recently viewed rows (none here). */
export function describeBasic(def: ObjectDef, apiVersion: string): Record<string, unknown> {
  return { objectDescribe: { ...objectFlags(def), urls: objectUrls(apiVersion, def.name) }, recentItems: [] };
}
