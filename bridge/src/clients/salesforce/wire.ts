import { request, type Dispatcher } from 'undici';
import { NetworkError } from './errors.js';

export interface WireRequest {
  url: string;
  method: Dispatcher.HttpMethod;
  headers: Record<string, string>;
  body?: string;
  timeoutMs: number;
  dispatcher: Dispatcher;
  signal?: AbortSignal;
}

export interface WireResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** parsed JSON when the answer says JSON (or looks like it), else null */
  json: unknown;
  text: string;
}

/** Connect-phase failures: the request bytes never left, so any call (even a create) may be repeated. */
const BEFORE_SEND_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT', 'EHOSTUNREACH', 'ENETUNREACH']);
const NETWORK_CODES = new Set([
  ...BEFORE_SEND_CODES,
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CLOSED',
]);

function errorCodeOf(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current && typeof current === 'object'; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && NETWORK_CODES.has(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * Strips a failure from undici down to its code and message: undici errors can reference the
 * request options, and those hold the Authorization header.
 */
function safeCause(error: unknown, code: string | undefined): Error {
  const message = error instanceof Error ? error.message : String(error);
  const cause = new Error(message);
  if (code) (cause as Error & { code?: string }).code = code;
  cause.name = error instanceof Error ? error.name : 'Error';
  return cause;
}

/** One HTTP exchange, nothing more: retry, auth and budget live in the transport around it. */
export async function sendOnce(req: WireRequest, describe: string): Promise<WireResponse> {
  // undici's own header/body timeouts tick at about one second; an abort signal is exact and covers
  // the whole exchange, body included.
  const deadline = AbortSignal.timeout(req.timeoutMs);
  const signal = req.signal ? AbortSignal.any([req.signal, deadline]) : deadline;
  const timedOut = (): NetworkError =>
    new NetworkError(`Timed out after ${req.timeoutMs} ms on ${describe}`, false, { errorCode: 'ETIMEDOUT' });
  let response: Dispatcher.ResponseData;
  try {
    response = await request(req.url, {
      method: req.method,
      headers: req.headers,
      body: req.body,
      dispatcher: req.dispatcher,
      headersTimeout: req.timeoutMs,
      bodyTimeout: req.timeoutMs,
      signal,
    });
  } catch (error) {
    if (req.signal?.aborted) throw error;
    if (deadline.aborted) throw timedOut();
    const code = errorCodeOf(error);
    throw new NetworkError(
      `Network failure on ${describe}${code ? ` (${code})` : ''}`,
      code !== undefined && BEFORE_SEND_CODES.has(code),
      { cause: safeCause(error, code), ...(code ? { errorCode: code } : {}) },
    );
  }
  let text: string;
  try {
    text = await response.body.text();
  } catch (error) {
    if (req.signal?.aborted) throw error;
    if (deadline.aborted) throw timedOut();
    const code = errorCodeOf(error);
    throw new NetworkError(`Network failure reading the answer to ${describe}${code ? ` (${code})` : ''}`, false, {
      cause: safeCause(error, code),
      ...(code ? { errorCode: code } : {}),
    });
  }
  const contentType = String(response.headers['content-type'] ?? '');
  let json: unknown = null;
  if (text !== '' && (contentType.includes('json') || /^\s*[[{]/.test(text))) {
    try {
      json = JSON.parse(text);
    } catch {
      json = null;
    }
  }
  return { status: response.statusCode, headers: response.headers, json, text };
}
