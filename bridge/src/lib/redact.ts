import { createHash } from 'node:crypto';

/**
 * Makes a payload safe and small enough for the audit trail: secrets are masked at any depth, and
 * the JSON is cut to a byte budget while staying valid JSON (Payload__c is parsed by the console).
 * Written here rather than borrowed from pino because pino redacts log lines by fixed paths, while
 * audit payloads are arbitrary records where a secret can sit at any depth under any casing.
 */
export const REDACTION_MARK = '[REDACTED]';

/** Payload__c is a LongTextArea(131072); a character is at least one byte, so this always fits. */
export const DEFAULT_PAYLOAD_BUDGET_BYTES = 131_072;

const SECRET_KEY = /pass(word|wd|phrase)?$|secret|token|authori[sz]ation|api[-_]?key|cookie|signature|private[-_]?key|master[-_]?key|credential|session[-_]?id/i;

export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key);
}

/** A deep copy with every secret-looking key's value replaced by the redaction mark. */
export function redactSecrets(value: unknown, seen: WeakSet<object> = new WeakSet()): unknown {
  if (Array.isArray(value)) {
    if (seen.has(value)) return '[Circular]';
    seen.add(value);
    return value.map((item) => redactSecrets(item, seen));
  }
  if (value instanceof Date) return value.toISOString();
  if (Buffer.isBuffer(value)) return `[${value.length} bytes]`;
  if (value !== null && typeof value === 'object') {
    if (seen.has(value)) return '[Circular]';
    seen.add(value);
    const copy: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
      copy[key] = isSecretKey(key) && inner !== null && inner !== undefined && inner !== '' ? REDACTION_MARK : redactSecrets(inner, seen);
    }
    return copy;
  }
  if (typeof value === 'bigint') return value.toString();
  return value;
}

function byteLength(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

function shortenStrings(value: unknown, maxChars: number): unknown {
  if (typeof value === 'string') return value.length > maxChars ? `${value.slice(0, maxChars)}…` : value;
  if (Array.isArray(value)) return value.map((item) => shortenStrings(item, maxChars));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([key, inner]) => [key, shortenStrings(inner, maxChars)]));
  }
  return value;
}

/**
 * Redacts, serialises and fits `value` into `budgetBytes`. First long strings are shortened (the
 * shape stays readable); if that is not enough, the JSON text is wrapped as a cut preview:
 * `{"truncated":true,"originalBytes":N,"preview":"..."}`.
 */
export function redactPayload(value: unknown, budgetBytes: number = DEFAULT_PAYLOAD_BUDGET_BYTES): string {
  const safe = redactSecrets(value);
  const full = JSON.stringify(safe) ?? 'null';
  if (byteLength(full) <= budgetBytes) return full;

  const shortened = JSON.stringify(shortenStrings(safe, 256)) ?? 'null';
  if (byteLength(shortened) <= budgetBytes) return shortened;

  const originalBytes = byteLength(full);
  const wrap = (preview: string): string => JSON.stringify({ truncated: true, originalBytes, preview });
  if (byteLength(wrap('')) > budgetBytes) return '{}';
  // Binary search for the longest prefix whose escaped form still fits.
  let low = 0;
  let high = full.length;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (byteLength(wrap(full.slice(0, middle))) <= budgetBytes) low = middle;
    else high = middle - 1;
  }
  // Never end on half of a surrogate pair.
  let cut = low;
  const last = full.charCodeAt(cut - 1);
  if (cut > 0 && last >= 0xd800 && last <= 0xdbff) cut -= 1;
  return wrap(full.slice(0, cut));
}

/**
 * What an audit row keeps of a payload: the redacted JSON fitted to Payload__c, and the sha256 of
 * the whole redacted text, so two attempts with the same content show the same hash even when the
 * stored text had to be cut.
 */
export function auditPayload(value: unknown, budgetBytes: number = DEFAULT_PAYLOAD_BUDGET_BYTES): { payload: string | null; payloadHash: string | null } {
  if (value === undefined) return { payload: null, payloadHash: null };
  const full = JSON.stringify(redactSecrets(value)) ?? 'null';
  return { payload: redactPayload(value, budgetBytes), payloadHash: createHash('sha256').update(full).digest('hex') };
}

/** Error_Message__c is a LongTextArea(32768); a client error may echo the bearer token it sent. */
export const MAX_ERROR_MESSAGE_CHARS = 32_000;

/** error texts are clipped and scrubbed of bearer tokens a library may have echoed */
export function safeErrorMessage(message: string, limit: number = MAX_ERROR_MESSAGE_CHARS): string {
  const scrubbed = message.replace(/Bearer\s+[A-Za-z0-9._~+/!=-]+/g, `Bearer ${REDACTION_MARK}`);
  return scrubbed.length > limit ? `${scrubbed.slice(0, limit - 1)}…` : scrubbed;
}
