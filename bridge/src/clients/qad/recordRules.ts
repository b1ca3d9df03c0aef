import { createHash } from 'node:crypto';
import type { QadListObject } from './profile.js';
import type { QadRecord, QadRecordProblem, QadRejectedRecord, QadRecordRejectionCode } from './types.js';

/**
 * What a QAD record must be before the bridge passes it on, in one place. A tenant's data is input
 * like any other: one row whose modified date is not a date, whose code is empty or holds the key
 * separator, or whose text carries a terminal escape, must neither stop the sync nor reach
 * Salesforce. Such a row is refused on its own, with a stable code naming the field and the fix,
 * and everything around it goes on.
 */

/** Account.QAD_Id__c, Product2.QAD_Item_Number__c and Contact.QAD_Contact_Id__c are Text(80) */
export const KEY_MAX_LENGTH = 80;
/** far above any QAD character column the mappings carry (QAD's are x(8)..x(60)), far below harm */
export const TEXT_MAX_LENGTH = 1_000;

/** canonical fields (CONTRACTS §5) and the type each must have; others are checked as text when text */
const NUMBER_FIELDS = new Set(['listPrice', 'quantity', 'unitPrice', 'line']);
const BOOLEAN_FIELDS = new Set(['active']);

/** the parts a record's key is built from, per object (see mapping.ts toRecord) */
const KEY_PARTS: Record<QadListObject, readonly string[]> = {
  customer: ['sharedSet', 'code'],
  supplier: ['sharedSet', 'code'],
  item: ['domain', 'itemCode'],
  contact: ['contactId'],
};
/** fields another record's key is built from (a contact's Account is `<sharedSet>|<customerCode>`) */
const REFERENCE_PARTS: Partial<Record<QadListObject, readonly string[]>> = { contact: ['sharedSet', 'customerCode'] };

const KEY_SEPARATOR = '|';
/** C0 and C1 controls and DEL: a NUL, an ESC starting a terminal sequence, a CSI (0x9b) */
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
/** in free text, tab and line breaks are data (address lines); every other control is refused */
const TEXT_CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;
/** invisible format characters (bidi overrides, zero-width) in a key make two keys look alike */
const KEY_FORMAT = /[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/;

const ISO_INSTANT = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * The instant an ISO-8601 modified date stands for, or null when it is not one. Only the ISO forms
 * QAD tenants answer with are accepted (a date, a date-time with or without seconds, fraction and
 * zone; without a zone it is read as UTC, the same for every row, so rows still compare); a
 * `31/12/2025` or `12/31/2025` is refused rather than guessed, and so is a day the month lacks.
 */
export function parseQadInstant(value: unknown): number | null {
  if (typeof value !== 'string') return null;
  const m = ISO_INSTANT.exec(value.trim());
  if (!m) return null;
  const [, y, mo, d, h = '00', mi = '00', s = '00', fraction = '', zone] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return null;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day > daysInMonth) return null;
  let offsetMinutes = 0;
  if (zone && zone !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const zh = Number(digits.slice(0, 2));
    const zm = Number(digits.slice(2, 4));
    if (zh > 23 || zm > 59) return null;
    offsetMinutes = sign * (zh * 60 + zm);
  }
  const millis = Number(fraction.padEnd(3, '0').slice(0, 3));
  return Date.UTC(year, month - 1, day, hour, minute, second, millis) - offsetMinutes * 60_000;
}

/** A value for a message: printable (controls escaped), short, quoted. */
export function printable(value: unknown, max = 40): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
  const cut = text.length > max ? `${text.slice(0, max)}…` : text;
  return JSON.stringify(cut).replace(/[\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** `name` or `name (QAD field customerV2.customerName)` */
export type FieldLabel = (canonical: string) => string;
const plainLabel: FieldLabel = (canonical) => canonical;

function problem(code: QadRecordRejectionCode, field: string, text: string, fix: string): QadRecordProblem {
  return { code, field, message: `${text}. Fix: ${fix}` };
}

function typeName(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

function checkKeyPart(object: QadListObject, field: string, value: unknown, label: FieldLabel, out: QadRecordProblem[], required: boolean): void {
  const where = label(field);
  if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) {
    if (required) out.push(problem('QAD_ERR_EMPTY_KEY', field, `${where} is empty, so this ${object} has no key of its own (it would merge with every other empty one)`, `give the ${object} its ${field} in QAD`));
    return;
  }
  if (typeof value !== 'string') {
    out.push(problem('QAD_ERR_WRONG_TYPE', field, `${where} is ${typeName(value)}, not text`, `check that the profile maps ${field} to the tenant's ${field} column`));
    return;
  }
  if (CONTROL.test(value) || KEY_FORMAT.test(value)) {
    out.push(problem('QAD_ERR_CONTROL_CHARACTER', field, `${where} ${printable(value)} holds control or invisible characters`, `remove them from the ${field} in QAD`));
  }
  if (value.includes(KEY_SEPARATOR)) {
    out.push(problem('QAD_ERR_KEY_SEPARATOR', field, `${where} ${printable(value)} holds "|", the separator of the bridge's keys (<set>|<code>)`, `rename the ${field} in QAD without "|"`));
  }
}

function checkValue(field: string, value: unknown, label: FieldLabel, out: QadRecordProblem[]): void {
  if (value === undefined || value === null) return;
  const where = label(field);
  if (field === 'modifiedAt') {
    if (parseQadInstant(value) === null) {
      out.push(
        problem(
          'QAD_ERR_BAD_MODIFIED_DATE',
          field,
          `${where} ${printable(value)} is not an ISO-8601 date (e.g. 2025-12-31T10:00:00Z), so the record cannot be ordered against the last poll`,
          `correct the record's modified date in QAD; if the tenant's column holds another format, point the profile's modifiedDateColumn at an ISO date column or set it to null (content-hash detection)`,
        ),
      );
    }
    return;
  }
  if (NUMBER_FIELDS.has(field)) {
    if (typeof value !== 'number' || !Number.isFinite(value)) out.push(problem('QAD_ERR_WRONG_TYPE', field, `${where} is ${printable(value)}, not a number`, `correct the ${field} in QAD`));
    return;
  }
  if (BOOLEAN_FIELDS.has(field)) {
    if (typeof value !== 'boolean') out.push(problem('QAD_ERR_WRONG_TYPE', field, `${where} is ${printable(value)}, not true or false`, `correct the ${field} in QAD`));
    return;
  }
  if (typeof value !== 'string') {
    out.push(problem('QAD_ERR_WRONG_TYPE', field, `${where} is ${typeName(value)}, not text`, `check that the profile maps ${field} to a text column of the tenant`));
    return;
  }
  if (value.length > TEXT_MAX_LENGTH) {
    out.push(problem('QAD_ERR_VALUE_TOO_LONG', field, `${where} is ${value.length} characters long, more than the ${TEXT_MAX_LENGTH} the bridge accepts`, `shorten the ${field} in QAD`));
  }
  if (TEXT_CONTROL.test(value)) {
    out.push(problem('QAD_ERR_CONTROL_CHARACTER', field, `${where} ${printable(value)} holds control characters (NUL, escape sequences)`, `remove them from the ${field} in QAD`));
  }
}

/** Everything wrong with one record, in field order; empty when it may be passed on. */
export function screenRecord(record: QadRecord, label: FieldLabel = plainLabel, options: { domainInKey?: boolean } = {}): QadRecordProblem[] {
  const object = record.object as QadListObject;
  const out: QadRecordProblem[] = [];
  const keyParts = KEY_PARTS[object] ?? [];
  for (const part of keyParts) {
    // a single-domain tenant's item key is the code alone; the domain is only context then
    const inKey = !(object === 'item' && part === 'domain' && options.domainInKey === false);
    checkKeyPart(object, part, record.fields[part], label, out, inKey);
  }
  for (const part of REFERENCE_PARTS[object] ?? []) {
    if (!keyParts.includes(part)) checkKeyPart(object, part, record.fields[part], label, out, false);
  }
  if (keyParts.every((part) => !out.some((p) => p.field === part)) && record.key.length > KEY_MAX_LENGTH) {
    out.push(
      problem(
        'QAD_ERR_KEY_TOO_LONG',
        keyParts[keyParts.length - 1] ?? 'key',
        `the key ${printable(record.key)} is ${record.key.length} characters, more than the ${KEY_MAX_LENGTH} Salesforce's External ID field holds (the <set>| prefix included)`,
        `shorten the ${keyParts.join(' or ')} in QAD`,
      ),
    );
  }
  for (const [field, value] of Object.entries(record.fields)) {
    if (keyParts.includes(field) || (REFERENCE_PARTS[object] ?? []).includes(field)) continue;
    checkValue(field, value, label, out);
  }
  return out;
}

/**
 * The hash a refusal is remembered by: the whole row, modified date included, so the same bad row
 * is reported once, and a correction (even of the date alone) is seen as a change.
 */
export function rejectionHash(record: QadRecord): string {
  return createHash('sha256').update(JSON.stringify([record.object, record.key, record.fields], (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))).digest('hex');
}

/**
 * The hash-store key under which a refusal is remembered. It can never be a record's key: those
 * never start with "|" (the set or domain before it is never empty, and a code holding "|" is
 * refused above).
 */
export function rejectionStoreKey(hash: string): string {
  return `|rejected|${hash}`;
}

/** What the engine audits for a refused record: its printable key, one code, every problem. */
export function rejectionOf(record: QadRecord, problems: readonly QadRecordProblem[]): QadRejectedRecord {
  const first = problems[0]!;
  const key = printable(record.key, KEY_MAX_LENGTH).slice(1, -1).slice(0, KEY_MAX_LENGTH);
  return {
    object: record.object as QadListObject,
    key,
    code: first.code,
    message: `QAD ${record.object} ${key || '(no key)'} refused: ${problems.map((p) => p.message).join('; ')}`,
    problems: [...problems],
    ...(typeof record.fields.modifiedAt === 'string' ? { modifiedAt: printable(record.fields.modifiedAt, 60).slice(1, -1) } : {}),
  };
}
