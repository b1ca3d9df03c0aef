import { createHash } from 'node:crypto';
import { REDACTED } from '../logger.js';

/** key names whose values never leave the bridge, in audit payloads or anywhere else */
const SECRET_KEY = /(pass(word)?|secret|token|authorization|api[-_]?key|credential|private[-_]?key|session)/i;

/** Payload__c is a LongTextArea(131072); keep a margin for the truncation marker */
export const MAX_PAYLOAD_CHARS = 131_072;

export function redactValue(value: unknown, depth = 0): unknown {
  if (depth > 20 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => redactValue(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    out[key] = SECRET_KEY.test(key) ? REDACTED : redactValue(v, depth + 1);
  }
  return out;
}

/** the audit payload: redacted JSON, truncated to fit Payload__c, and the hash of the full redacted text */
export function auditPayload(value: unknown): { payload: string | null; payloadHash: string | null } {
  if (value === undefined) return { payload: null, payloadHash: null };
  const text = JSON.stringify(redactValue(value)) ?? 'null';
  const payloadHash = createHash('sha256').update(text).digest('hex');
  const marker = '…[truncated]';
  const payload = text.length > MAX_PAYLOAD_CHARS ? text.slice(0, MAX_PAYLOAD_CHARS - marker.length) + marker : text;
  return { payload, payloadHash };
}

/** error texts are clipped and scrubbed of bearer tokens a library may have echoed */
export function safeErrorMessage(message: string, limit = 32_000): string {
  const scrubbed = message.replace(/Bearer\s+[A-Za-z0-9._~+/!=-]+/g, `Bearer ${REDACTED}`);
  return scrubbed.length > limit ? `${scrubbed.slice(0, limit - 1)}…` : scrubbed;
}
