import type { IncomingMessage, ServerResponse } from 'node:http';
import { SalesforceApiError } from './errors.js';

/**
 * Request/answer plumbing shared by the org's routes: a tiny router over node:http (the org needs
 * raw control of status codes, headers and CSV bodies, and nothing a framework would add).
 */
export interface OrgRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: Buffer;
  /** path parameters captured by the route pattern */
  params: string[];
  /** `XX.X` of `/services/data/vXX.X/...`, when the path has one */
  apiVersion: string;
  header(name: string): string | undefined;
  json(): unknown;
}

export interface OrgAnswer {
  status: number;
  body?: unknown;
  /** text bodies (CSV) go out as they are */
  text?: string;
  contentType?: string;
  headers?: Record<string, string>;
}

export type Handler = (request: OrgRequest) => OrgAnswer | Promise<OrgAnswer>;

export interface Route {
  method: string;
  pattern: RegExp;
  /** counter bucket of the call, e.g. `query` or `sobject-create` */
  kind: string;
  handler: Handler;
}

export const json = (status: number, body: unknown, headers?: Record<string, string>): OrgAnswer => ({ status, body, ...(headers ? { headers } : {}) });
export const noContent = (): OrgAnswer => ({ status: 204 });

export function errorAnswer(error: SalesforceApiError): OrgAnswer {
  return { status: error.statusCode, body: error.toBody(), headers: error.headers };
}

export async function readBody(request: IncomingMessage, limitBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > limitBytes) throw new SalesforceApiError(413, 'REQUEST_ENTITY_TOO_LARGE', `request body larger than ${limitBytes} bytes`);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

export function makeRequest(incoming: IncomingMessage, body: Buffer, url: URL, apiVersion: string): OrgRequest {
  return {
    method: (incoming.method ?? 'GET').toUpperCase(),
    path: url.pathname,
    query: url.searchParams,
    headers: incoming.headers,
    body,
    params: [],
    apiVersion,
    header(name) {
      const value = incoming.headers[name.toLowerCase()];
      return Array.isArray(value) ? value.join(', ') : value;
    },
    json() {
      if (body.length === 0) throw new SalesforceApiError(400, 'JSON_PARSER_ERROR', 'The request body is empty; send a JSON document.');
      try {
        return JSON.parse(body.toString('utf8')) as unknown;
      } catch (error) {
        throw new SalesforceApiError(400, 'JSON_PARSER_ERROR', `Unexpected character in the JSON body: ${(error as Error).message}`);
      }
    },
  };
}

export function send(response: ServerResponse, answer: OrgAnswer, extraHeaders: Record<string, string> = {}): void {
  const headers: Record<string, string> = { ...extraHeaders, ...(answer.headers ?? {}) };
  let payload: string | undefined;
  if (answer.text !== undefined) {
    payload = answer.text;
    headers['Content-Type'] = answer.contentType ?? 'text/csv';
  } else if (answer.body !== undefined) {
    payload = JSON.stringify(answer.body, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value));
    headers['Content-Type'] = answer.contentType ?? 'application/json;charset=UTF-8';
  }
  if (payload !== undefined) headers['Content-Length'] = String(Buffer.byteLength(payload));
  response.writeHead(answer.status, headers);
  response.end(payload);
}

/** `Sforce-Call-Options: client=<name>` names the writing client in changeOrigin. */
export function callOptionsClient(request: OrgRequest): string | undefined {
  const header = request.header('sforce-call-options');
  const match = header ? /(?:^|[,;\s])client=([^,;\s]+)/.exec(header) : null;
  return match?.[1];
}

export function matchRoute(routes: Route[], method: string, path: string): { route: Route; params: string[] } | null {
  for (const route of routes) {
    if (route.method !== method) continue;
    const match = route.pattern.exec(path);
    if (match) return { route, params: match.slice(1).map((p) => decodeURIComponent(p ?? '')) };
  }
  return null;
}

/** Whether a path exists for another method, to answer 405 rather than 404. */
export function pathExists(routes: Route[], path: string): boolean {
  return routes.some((route) => route.pattern.test(path));
}
