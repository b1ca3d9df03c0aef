import type { IncomingMessage } from 'node:http';
import type { CallKind } from './state.js';

/** What a handler hands back; the server adds latency and faults, then writes it. */
export interface Reply {
  status: number;
  body?: unknown;
  contentType?: string;
  headers?: Record<string, string>;
  kind?: CallKind;
  /** part of a sales-order write, counted for the fail-after-step fault */
  orderStep?: boolean;
}

export interface RequestContext {
  method: string;
  /** path below the context root, without a leading slash, e.g. api/erp/customerV2s */
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  rawBody: string;
}

export function json(status: number, body: unknown, kind?: CallKind, headers?: Record<string, string>): Reply {
  return { status, body, contentType: 'application/json;charset=UTF-8', ...(kind ? { kind } : {}), ...(headers ? { headers } : {}) };
}

/** The bare errors envelope QAD answers for gateway and permission failures (facts §2.2, §2.6). */
export function errorsEnvelope(status: number, message: string, kind?: CallKind, fieldName = ''): Reply {
  return json(status, { errors: [{ severity: 1, code: String(status), message, fieldName }] }, kind);
}

export interface FieldError {
  fieldName: string;
  message: string;
  code: string;
  value: unknown;
}

/** HTTP 200 with submitResult: success is the flag, not the status (facts §2.6). */
export function submitResult(errors: FieldError[], data?: unknown, kind?: CallKind): Reply {
  return json(200, { ...(data === undefined ? {} : { data }), submitResult: { success: errors.length === 0, errors } }, kind);
}

/** Tomcat's own pages for paths no servlet serves, as a real context answers them. */
export function tomcatPage(status: number, title: string, kind?: CallKind): Reply {
  return {
    status,
    body: `<!doctype html><html lang="en"><head><title>HTTP Status ${status} – ${title}</title></head><body><h1>HTTP Status ${status} – ${title}</h1></body></html>`,
    contentType: 'text/html;charset=utf-8',
    ...(kind ? { kind } : {}),
  };
}

export function parseJsonBody(ctx: RequestContext): unknown {
  if (ctx.rawBody.trim() === '') return undefined;
  try {
    return JSON.parse(ctx.rawBody);
  } catch {
    return Symbol.for('invalid-json');
  }
}

/** Form bodies and query strings carry the same OAuth parameters; the body wins when both are present. */
export function formParams(ctx: RequestContext): URLSearchParams {
  const merged = new URLSearchParams(ctx.query);
  const type = String(ctx.headers['content-type'] ?? '');
  if (type.includes('application/x-www-form-urlencoded') && ctx.rawBody !== '') {
    for (const [k, v] of new URLSearchParams(ctx.rawBody)) merged.set(k, v);
  }
  return merged;
}

export function capitalise(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}
