import { fieldKind, writesToQad, writesToSalesforce, type FieldMappingSpec, type MappingFile } from './mappingSchema.js';

/**
 * Running a mapping. Pure functions: the engine supplies the QAD record, a link resolver and the
 * Salesforce field lengths; these say what to write, and which links are still missing so the job
 * can wait on them by name.
 */
export interface QadRecordLike {
  object: string;
  key: string;
  fields: Record<string, unknown>;
}

export interface MissingLink {
  object: string;
  qadKey: string;
  /** the waiting_on value for jobs.wait/wake: `<object>:<qadKey>` */
  waitingOn: string;
}

export interface SalesforceWrite {
  /** the fields to upsert, External ID included */
  fields: Record<string, unknown>;
  externalId: { field: string; value: string };
  missingLinks: MissingLink[];
}

export function waitingOnLink(object: string, qadKey: string): string {
  return `${object}:${qadKey}`;
}

function present(value: unknown): boolean {
  return value !== undefined && value !== null && !(typeof value === 'string' && value.trim() === '');
}

function fillTemplate(template: string, fields: Record<string, unknown>): string | null {
  let complete = true;
  const filled = template.replace(/\{([A-Za-z][A-Za-z0-9]*)\}/g, (_match, name: string) => {
    const value = fields[name];
    if (!present(value)) complete = false;
    return present(value) ? String(value) : '';
  });
  return complete ? filled : null;
}

function fit(field: FieldMappingSpec, value: unknown, lengths: ReadonlyMap<string, number> | undefined): unknown {
  if (typeof value !== 'string' || !field.truncate) return value;
  const limit = lengths?.get(field.salesforce);
  return limit !== undefined && value.length > limit ? value.slice(0, limit) : value;
}

function copyValue(field: Extract<FieldMappingSpec, { qad: string }>, fields: Record<string, unknown>): unknown {
  let value = fields[field.qad];
  if (!present(value) && field.fallback) value = fields[field.fallback];
  if (typeof value !== 'string') return value;
  switch (field.transform) {
    case 'trim':
      return value.trim();
    case 'upper':
      return value.toUpperCase();
    case 'lower':
      return value.toLowerCase();
    default:
      return value;
  }
}

/**
 * QAD → Salesforce. Fields QAD does not own are left out; an absent QAD value is left out rather
 * than blanking Salesforce (except joins and flags, which are always computed in full).
 */
export function mapQadToSalesforce(
  mapping: MappingFile,
  record: QadRecordLike,
  resolveLink: (object: string, qadKey: string) => string | null | undefined,
  sfLengths?: ReadonlyMap<string, number>,
): SalesforceWrite {
  const out: Record<string, unknown> = {};
  const missingLinks: MissingLink[] = [];
  for (const field of mapping.fields) {
    if (!writesToSalesforce(field)) continue;
    let value: unknown;
    switch (fieldKind(field)) {
      case 'copy':
        value = copyValue(field as Extract<FieldMappingSpec, { qad: string }>, record.fields);
        if (!present(value)) continue;
        break;
      case 'join': {
        const join = field as Extract<FieldMappingSpec, { qadJoin: string[] }>;
        const parts = join.qadJoin.map((name) => record.fields[name]).filter(present).map(String);
        value = parts.length > 0 ? parts.join(join.separator) : null;
        break;
      }
      case 'flag': {
        const flag = field as Extract<FieldMappingSpec, { qadFlag: string }>;
        value = flag.trueValues.includes(record.fields[flag.qadFlag] as string | number | boolean);
        break;
      }
      case 'constant':
        value = (field as Extract<FieldMappingSpec, { constant: unknown }>).constant;
        break;
      case 'key':
        value = record.key;
        break;
      case 'link': {
        const link = (field as Extract<FieldMappingSpec, { link: unknown }>).link;
        const qadKey = fillTemplate(link.keyTemplate, record.fields);
        if (qadKey === null) continue;
        const id = resolveLink(link.object, qadKey);
        if (!id) {
          missingLinks.push({ object: link.object, qadKey, waitingOn: waitingOnLink(link.object, qadKey) });
          continue;
        }
        value = id;
        break;
      }
    }
    out[field.salesforce] = fit(field, value, sfLengths);
  }
  return { fields: out, externalId: { field: mapping.externalId, value: record.key }, missingLinks };
}

/**
 * Salesforce → QAD: only fields Salesforce owns or shares, and (when given) only those the change
 * touched. A joined field is split back: one part per QAD field, the remainder kept in the last.
 */
export function mapSalesforceToQad(mapping: MappingFile, sfFields: Record<string, unknown>, changedFields?: readonly string[]): Record<string, unknown> {
  const changed = changedFields ? new Set(changedFields.map((name) => name.toLowerCase())) : null;
  const out: Record<string, unknown> = {};
  for (const field of mapping.fields) {
    if (!writesToQad(field)) continue;
    if (changed && !changed.has(field.salesforce.toLowerCase())) continue;
    if (!(field.salesforce in sfFields)) continue;
    const value = sfFields[field.salesforce];
    const kind = fieldKind(field);
    if (kind === 'copy') {
      out[(field as Extract<FieldMappingSpec, { qad: string }>).qad] = value ?? null;
    } else if (kind === 'join') {
      const join = field as Extract<FieldMappingSpec, { qadJoin: string[] }>;
      const parts = typeof value === 'string' ? value.split(join.separator) : [];
      join.qadJoin.forEach((name, index) => {
        const last = index === join.qadJoin.length - 1;
        const part = last ? parts.slice(index).join(' ') : parts[index];
        out[name] = part === undefined || part === '' ? null : part;
      });
    } else if (kind === 'flag') {
      const flag = field as Extract<FieldMappingSpec, { qadFlag: string; trueValues: unknown[] }>;
      if (value === true) out[flag.qadFlag] = flag.trueValues[0];
    }
  }
  return out;
}

/** Salesforce fields whose CDC changes may flow back to QAD. */
export function salesforceOwnedFields(mapping: MappingFile): string[] {
  return mapping.fields.filter(writesToQad).map((field) => field.salesforce);
}
