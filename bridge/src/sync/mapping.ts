import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadMappings, mapQadToSalesforce, mapSalesforceToQad, type MappingFile } from '../config/index.js';
import { ConfigError } from '../errors.js';

/**
 * The mappings a connection runs, one per QAD object, taken from the store's validated mapping
 * files (config/mappings/). The engine only looks them up here; the mapping rules themselves
 * (ownership, joins, flags, links) live with the config module.
 */
export interface MappingSet {
  customer: MappingFile;
  supplier: MappingFile;
  item: MappingFile;
  contact: MappingFile;
}

export const DEFAULT_MAPPINGS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../config/mappings');

export function mappingSetFrom(mappings: readonly MappingFile[]): MappingSet {
  const pick = (object: keyof MappingSet): MappingFile => {
    const found = mappings.find((m) => m.qadObject === object);
    if (!found) throw new ConfigError(`no mapping for QAD ${object}`, [`mappings: none maps QAD ${object}. Fix: add a mapping file with "qadObject": "${object}" to the connection's mappings`]);
    return found;
  };
  return { customer: pick('customer'), supplier: pick('supplier'), item: pick('item'), contact: pick('contact') };
}

export function loadMappingSet(dir: string = DEFAULT_MAPPINGS_DIR, references?: readonly string[]): MappingSet {
  const catalog = loadMappings(dir);
  return mappingSetFrom(catalog.select(references));
}

const ADDRESS_PARTS: Record<string, string> = { Street: 'Street', City: 'City', State: 'State', PostalCode: 'PostalCode', Country: 'Country' };

/**
 * CDC names compound fields as `BillingAddress.City` and carries them nested; mappings speak of
 * the flat API names (`BillingCity`). This turns one into the other.
 */
export function flattenCompoundFields(fields: Record<string, unknown>, changedFields: readonly string[]): { fields: Record<string, unknown>; changedFields: string[] } {
  const flat: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(fields)) {
    const prefix = /^(Billing|Shipping|Mailing|Other)Address$/.exec(name)?.[1];
    if (prefix && value && typeof value === 'object') {
      for (const [part, partValue] of Object.entries(value as Record<string, unknown>)) {
        if (ADDRESS_PARTS[part]) flat[`${prefix}${ADDRESS_PARTS[part]}`] = partValue;
      }
    } else {
      flat[name] = value;
    }
  }
  const changed = changedFields.map((name) => {
    const m = /^(Billing|Shipping|Mailing|Other)Address\.(\w+)$/.exec(name);
    return m && ADDRESS_PARTS[m[2]!] ? `${m[1]}${ADDRESS_PARTS[m[2]!]}` : name;
  });
  return { fields: flat, changedFields: changed };
}

export { mapQadToSalesforce, mapSalesforceToQad };
