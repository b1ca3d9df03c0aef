import { RecordError } from './errors.js';
import { normalizeId } from './ids.js';
import type { FieldDef } from './schema/types.js';

/**
 * How field values live in the store and how they travel. Datetimes are stored as epoch ms (they are
 * compared and ordered a lot) and answered in the platform's `2024-05-01T10:00:00.000+0000` form;
 * dates are `YYYY-MM-DD` strings, which already order correctly.
 */
export type StoredValue = string | number | boolean | null;

export function formatDateTime(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}

export function formatDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATETIME_RE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(Z|[+-]\d{2}:?\d{2})?$/;

export function parseDateTime(text: string): number | null {
  const m = DATETIME_RE.exec(text.trim());
  if (!m) return null;
  let zone = m[8] ?? 'Z';
  if (zone !== 'Z' && !zone.includes(':')) zone = `${zone.slice(0, 3)}:${zone.slice(3)}`;
  const iso = `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6] ?? '00'}.${(m[7] ?? '0').padEnd(3, '0')}${zone}`;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? null : ms;
}

export function isValidDate(text: string): boolean {
  const m = DATE_RE.exec(text);
  if (!m) return false;
  const d = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(text);
}

const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function badValue(field: FieldDef, value: unknown, expected: string): RecordError {
  return new RecordError(
    'INVALID_TYPE_ON_FIELD_IN_RECORD',
    `${field.label}: value not of required type: ${String(value)} (expected ${expected})`,
    [field.name],
  );
}

/**
 * Turns an incoming JSON (or CSV text) value into the stored form, checking type, length and range.
 * `fromText` marks CSV input, where every value arrives as a string.
 */
export function coerceValue(field: FieldDef, value: unknown, fromText = false): StoredValue {
  if (value === null || value === undefined) return null;
  switch (field.type) {
    case 'boolean': {
      if (typeof value === 'boolean') return value;
      if (typeof value === 'string' && /^(true|false)$/i.test(value)) return value.toLowerCase() === 'true';
      if (fromText && (value === '1' || value === '0')) return value === '1';
      throw badValue(field, value, 'boolean');
    }
    case 'double':
    case 'currency':
    case 'int': {
      const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
      if (!Number.isFinite(n)) throw badValue(field, value, 'number');
      const scale = field.scale ?? 0;
      const rounded = Number(n.toFixed(scale));
      const integerDigits = (field.precision ?? 18) - scale;
      if (Math.abs(Math.trunc(rounded)) >= 10 ** integerDigits) {
        throw new RecordError('NUMBER_OUTSIDE_VALID_RANGE', `${field.label}: value outside of valid range on numeric field: ${n}`, [field.name]);
      }
      return rounded;
    }
    case 'date': {
      if (typeof value !== 'string') throw badValue(field, value, 'date YYYY-MM-DD');
      const day = value.length > 10 ? value.slice(0, 10) : value;
      if (!isValidDate(day)) throw badValue(field, value, 'date YYYY-MM-DD');
      return day;
    }
    case 'datetime': {
      if (typeof value === 'number' && Number.isFinite(value)) return value;
      const ms = typeof value === 'string' ? parseDateTime(value) : null;
      if (ms === null) throw badValue(field, value, 'dateTime ISO 8601');
      return ms;
    }
    case 'reference':
    case 'id': {
      if (typeof value !== 'string') throw badValue(field, value, 'id');
      if (value === '') return null;
      const id = normalizeId(value);
      if (id === null) throw new RecordError('MALFORMED_ID', `${field.label}: id value of incorrect type: ${value}`, [field.name]);
      return id;
    }
    default: {
      const text = typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : null;
      if (text === null) throw badValue(field, value, 'string');
      if (text === '') return null;
      if (field.length !== undefined && text.length > field.length) {
        throw new RecordError(
          'STRING_TOO_LONG',
          `${field.label}: data value too large: ${text.length > 40 ? `${text.slice(0, 40)}...` : text} (max length=${field.length})`,
          [field.name],
        );
      }
      if (field.type === 'email' && !EMAIL_RE.test(text)) {
        throw new RecordError('INVALID_EMAIL_ADDRESS', `${field.label}: invalid email address: ${text}`, [field.name]);
      }
      if (field.type === 'picklist' && field.restrictedPicklist && !(field.picklistValues ?? []).includes(text)) {
        throw new RecordError('INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', `${field.label}: bad value for restricted picklist field: ${text}`, [field.name]);
      }
      return text;
    }
  }
}

/** Stored value to its JSON answer form. */
export function outputValue(field: FieldDef, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (field.type === 'datetime' && typeof value === 'number') return formatDateTime(value);
  return value;
}
