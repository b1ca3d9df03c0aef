import { XMLBuilder, XMLParser } from 'fast-xml-parser';

export const NS = {
  soap: 'http://schemas.xmlsoap.org/soap/envelope/',
  qdoc: 'urn:schemas-qad-com:xml-services',
  qcom: 'urn:schemas-qad-com:xml-services:common',
  wsa: 'http://www.w3.org/2005/08/addressing',
} as const;

/** Namespace prefixes differ between senders, so the tenant reads local names only. */
export const parser = new XMLParser({ removeNSPrefix: true, ignoreAttributes: true, parseTagValue: false, trimValues: true });
export const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@_', suppressEmptyNode: false });

export function asArray<T>(value: T | T[] | undefined | null): T[] {
  if (value === undefined || value === null || value === '') return [];
  return Array.isArray(value) ? value : [value];
}

export function text(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'object') return '';
  return String(value);
}

/** Prefixes every key of a plain record so XMLBuilder writes `<ns1:field>`. */
export function prefixed(prefix: string, record: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(record)) {
    if (Array.isArray(v)) out[`${prefix}:${k}`] = v.map((item) => (item && typeof item === 'object' ? prefixed(prefix, item as Record<string, unknown>) : item));
    else if (v && typeof v === 'object') out[`${prefix}:${k}`] = prefixed(prefix, v as Record<string, unknown>);
    else out[`${prefix}:${k}`] = v === undefined || v === null ? '' : String(v);
  }
  return out;
}
