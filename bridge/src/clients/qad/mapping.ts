import { createHash } from 'node:crypto';
import type { QadListObject, QadObjectName } from './profile.js';
import type { QadRecord, QadWorkspace } from './types.js';

/** Canonical fields whose values are numbers or flags whatever the wire gives (QXtend sends text). */
const NUMERIC = new Set(['listPrice', 'quantity', 'unitPrice', 'line']);
const BOOLEAN = new Set(['active']);

/**
 * A tenant value as its canonical type. Text columns may come as numbers and flags as "yes"/"1"
 * (QXtend sends everything as text); a value that cannot be read as the field's type is kept as it
 * came, so the record rules (recordRules.ts) refuse the record naming the field, instead of the
 * value quietly becoming null or false.
 */
export function canonicalValue(field: string, value: unknown): unknown {
  if (value === undefined || value === null) return null;
  if (NUMERIC.has(field)) {
    if (typeof value === 'number') return value;
    if (typeof value !== 'string') return value;
    if (value.trim() === '') return null;
    const n = Number(value.trim());
    return Number.isFinite(n) ? n : value;
  }
  if (BOOLEAN.has(field)) {
    if (typeof value === 'boolean') return value;
    if (typeof value === 'number' && (value === 0 || value === 1)) return value === 1;
    if (typeof value !== 'string') return value;
    const text = value.trim();
    if (/^(true|yes|y|1)$/i.test(text)) return true;
    if (/^(false|no|n|0|)$/i.test(text)) return false;
    return value;
  }
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  return value;
}

/** tenant row -> canonical fields; the first tenant field that is present wins for a canonical name. */
export function toCanonicalFields(map: Readonly<Record<string, string>>, row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [tenantField, canonical] of Object.entries(map)) {
    if (canonical in out && out[canonical] !== null) continue;
    if (tenantField in row) out[canonical] = canonicalValue(canonical, row[tenantField]);
  }
  return out;
}

/** canonical fields -> tenant fields; a canonical field mapped from several tenant fields fills them all. */
export function toTenantFields(map: Readonly<Record<string, string>>, canonical: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [tenantField, name] of Object.entries(map)) {
    if (name in canonical && canonical[name] !== undefined) out[tenantField] = canonical[name];
  }
  return out;
}

/** tenant field name (any casing, as QAD errors spell it) -> canonical name. */
export function canonicalNameOf(map: Readonly<Record<string, string>>, tenantField: string): string | undefined {
  const wanted = tenantField.toLowerCase();
  for (const [field, canonical] of Object.entries(map)) {
    if (field.toLowerCase() === wanted || field.split('.').pop()?.toLowerCase() === wanted) return canonical;
  }
  return undefined;
}

/** Fills in the context fields a tenant does not repeat per row, then builds the CONTRACTS §5 key. */
export function toRecord(object: QadListObject, fields: Record<string, unknown>, workspace: QadWorkspace, singleDomain: boolean): QadRecord {
  const out = { ...fields };
  let key: string;
  switch (object) {
    case 'customer':
    case 'supplier':
      if (out.sharedSet == null || out.sharedSet === '') out.sharedSet = workspace.sharedSet;
      key = `${String(out.sharedSet)}|${String(out.code)}`;
      break;
    case 'item':
      if (out.domain == null || out.domain === '') out.domain = workspace.domain;
      key = singleDomain ? String(out.itemCode) : `${String(out.domain)}|${String(out.itemCode)}`;
      break;
    case 'contact':
      if (out.sharedSet == null || out.sharedSet === '') out.sharedSet = workspace.sharedSet;
      key = String(out.contactId);
      break;
  }
  const modifiedAt = typeof out.modifiedAt === 'string' && out.modifiedAt !== '' ? out.modifiedAt : undefined;
  return { object, key, fields: out, ...(modifiedAt ? { modifiedAt } : {}) };
}

/** Splits a CONTRACTS §5 key back into the parts a tenant needs. */
export function splitKey(object: QadObjectName, key: string, workspace: QadWorkspace): { scope: string; code: string } {
  const bar = key.indexOf('|');
  if (bar < 0) return { scope: object === 'item' ? workspace.domain : workspace.sharedSet, code: key };
  return { scope: key.slice(0, bar), code: key.slice(bar + 1) };
}

function stable(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stable);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => [k, stable(v)]));
  }
  return value;
}

/** sha256 of the canonical content; the modified date is left out so only real changes count. */
export function contentHash(record: QadRecord): string {
  const { modifiedAt: _ignored, ...content } = record.fields;
  return createHash('sha256').update(JSON.stringify(stable({ key: record.key, fields: content }))).digest('hex');
}

export function toWireDate(date: string, format: 'iso-midnight-utc' | 'date'): string {
  const day = date.slice(0, 10);
  return format === 'date' ? day : `${day}T00:00:00.000Z`;
}
