import { createHash } from 'node:crypto';

/**
 * Key-order independent JSON, so the same content always hashes the same whether it came from a
 * QAD browse, a re-read or a CDC event. `undefined` members are dropped like JSON.stringify does.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v)).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export function contentHash(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}

/** the hash the QAD poller compares against to decide whether a QAD record changed */
export function qadRecordHash(fields: Record<string, unknown>): string {
  const { modifiedAt: _ignored, ...content } = fields;
  return contentHash(content);
}
