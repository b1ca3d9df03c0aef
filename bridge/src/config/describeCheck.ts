import { MappingCheckError } from '../errors.js';
import { fieldKind, writesToQad, writesToSalesforce, type FieldMappingSpec, type MappingFile } from './mappingSchema.js';
import { closest } from './zodProblems.js';

/**
 * Checks a mapping against the org's describe of its Salesforce object before any record moves:
 * every field exists, the bridge may create and update what it writes, the External ID really is
 * one, and QAD values fit (type and length). The describe is the REST `sobjects/<name>/describe`
 * JSON; only the parts used here are typed.
 */
export interface DescribeField {
  name: string;
  type: string;
  length?: number;
  createable?: boolean;
  updateable?: boolean;
  externalId?: boolean;
  idLookup?: boolean;
  referenceTo?: string[];
  calculated?: boolean;
}

export interface SObjectDescribeLike {
  name: string;
  fields: DescribeField[];
}

const TEXT_TYPES = new Set(['string', 'textarea', 'phone', 'email', 'url', 'picklist', 'multipicklist', 'combobox', 'encryptedstring']);
const NUMBER_TYPES = new Set(['double', 'int', 'long', 'currency', 'percent']);

function valueTypeOf(field: FieldMappingSpec): 'text' | 'boolean' | 'number' | 'reference' {
  switch (fieldKind(field)) {
    case 'flag':
      return 'boolean';
    case 'link':
      return 'reference';
    case 'constant': {
      const constant = (field as Extract<FieldMappingSpec, { constant: unknown }>).constant;
      return typeof constant === 'boolean' ? 'boolean' : typeof constant === 'number' ? 'number' : 'text';
    }
    default:
      return 'text';
  }
}

function typeFits(valueType: ReturnType<typeof valueTypeOf>, sfType: string): boolean {
  switch (valueType) {
    case 'boolean':
      return sfType === 'boolean';
    case 'number':
      return NUMBER_TYPES.has(sfType) || TEXT_TYPES.has(sfType);
    case 'reference':
      return sfType === 'reference';
    default:
      return TEXT_TYPES.has(sfType);
  }
}

/** Every problem with the mapping against this describe, one line each, naming the field and the fix. */
export function checkMappingAgainstDescribe(mapping: MappingFile, describe: SObjectDescribeLike): string[] {
  const label = `${mapping.name}@${mapping.version}`;
  const problems: string[] = [];
  if (describe.name.toLowerCase() !== mapping.salesforceObject.toLowerCase()) {
    return [`${label}: the describe is for ${describe.name}, the mapping targets ${mapping.salesforceObject}. Fix: check the mapping's "salesforceObject"`];
  }
  const byName = new Map(describe.fields.map((field) => [field.name.toLowerCase(), field]));
  const names = describe.fields.map((field) => field.name);

  mapping.fields.forEach((field, index) => {
    const where = `${label} fields[${index}] ${mapping.salesforceObject}.${field.salesforce}`;
    const sf = byName.get(field.salesforce.toLowerCase());
    if (!sf) {
      const suggestion = closest(field.salesforce, names);
      const packaged = /__c$/i.test(field.salesforce) ? ' or deploy the ml-connector package to this org' : '';
      problems.push(`${where}: does not exist in the org. Fix: ${suggestion ? `did you mean ${suggestion}? ` : ''}correct the name${packaged}, or give the integration user field access`);
      return;
    }
    if (writesToSalesforce(field)) {
      if (sf.createable === false || sf.updateable === false || sf.calculated === true) {
        const missing = [sf.createable === false ? 'createable' : null, sf.updateable === false ? 'updateable' : null, sf.calculated ? 'not a formula' : null].filter(Boolean).join(', ');
        problems.push(`${where}: the bridge writes it but it is not ${missing} for the integration user. Fix: grant edit access in QAD_Sync_Integration, or set "ownership": "salesforce"`);
      }
      const valueType = valueTypeOf(field);
      if (!typeFits(valueType, sf.type)) {
        problems.push(`${where}: a ${valueType} value cannot go into a ${sf.type} field. Fix: map a ${sf.type} field, or change the mapping kind`);
      } else if (valueType === 'reference') {
        const target = (field as Extract<FieldMappingSpec, { link: { object: string } }>).link.object;
        if (!(sf.referenceTo ?? []).some((object) => object.toLowerCase() === target.toLowerCase())) {
          problems.push(`${where}: looks up ${(sf.referenceTo ?? []).join(', ') || 'nothing'}, not ${target}. Fix: set link.object to ${(sf.referenceTo ?? [])[0] ?? 'the referenced object'}`);
        }
      }
      if (field.maxLength !== undefined && sf.length !== undefined && sf.length > 0 && TEXT_TYPES.has(sf.type) && field.maxLength > sf.length && !field.truncate) {
        problems.push(`${where}: QAD values of up to ${field.maxLength} characters do not fit its length ${sf.length}. Fix: widen the field, or set "truncate": true`);
      }
    }
    if (writesToQad(field) && !TEXT_TYPES.has(sf.type) && sf.type !== 'boolean' && !NUMBER_TYPES.has(sf.type)) {
      problems.push(`${where}: a ${sf.type} field cannot flow back to QAD. Fix: set "ownership": "qad"`);
    }
  });

  const external = byName.get(mapping.externalId.toLowerCase());
  if (external && !(external.externalId || (external.idLookup && external.name !== 'Id'))) {
    problems.push(`${label} externalId ${mapping.salesforceObject}.${external.name}: is not an External ID field, so upserts cannot use it. Fix: mark it External ID (the package does) or pick one that is`);
  }
  return problems;
}

/** Checks every mapping against its describe and throws one error listing all problems. */
export function assertMappingsMatchOrg(mappings: readonly MappingFile[], describes: ReadonlyMap<string, SObjectDescribeLike>): void {
  const problems: string[] = [];
  for (const mapping of mappings) {
    const describe = describes.get(mapping.salesforceObject);
    if (!describe) {
      problems.push(`${mapping.name}@${mapping.version}: the org has no ${mapping.salesforceObject} object visible to the integration user. Fix: check the object name and the integration user's permissions`);
      continue;
    }
    problems.push(...checkMappingAgainstDescribe(mapping, describe));
  }
  if (problems.length > 0) throw new MappingCheckError(`the mappings do not match the org:\n  - ${problems.join('\n  - ')}`, problems);
}

/** Text field lengths of a describe, for `truncate` in mapQadToSalesforce. */
export function fieldLengths(describe: SObjectDescribeLike): Map<string, number> {
  return new Map(describe.fields.filter((field) => TEXT_TYPES.has(field.type) && (field.length ?? 0) > 0).map((field) => [field.name, field.length as number]));
}
