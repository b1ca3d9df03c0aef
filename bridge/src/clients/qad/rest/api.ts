import { QadAuthError, QadForbiddenError, QadProtocolError, QadValidationError, type QadFieldError } from '../errors.js';
import type { QadAuth } from '../auth.js';
import { canonicalNameOf } from '../mapping.js';
import type { RestProfile } from '../profile.js';
import type { Send, TransportResponse } from '../transport.js';
import type { QadWorkspace } from '../types.js';

export interface RestCall {
  method: 'GET' | 'POST';
  path: string;
  query?: Array<[string, string]>;
  body?: unknown;
  idempotent?: boolean;
}

export interface RestAnswer {
  status: number;
  json: unknown;
}

/** Authenticated JSON calls below the tenant base URL, with the workspace attached as the profile says. */
export class RestApi {
  constructor(
    private readonly baseUrl: URL,
    private readonly profile: RestProfile,
    private readonly workspace: QadWorkspace,
    private readonly auth: QadAuth,
    readonly send: Send,
  ) {}

  url(path: string, query: Array<[string, string]> = []): URL {
    const url = new URL(`${this.baseUrl.href}/${path}`);
    for (const [k, v] of query) url.searchParams.append(k, v);
    return url;
  }

  #workspaceHeaders(query: Array<[string, string]>): Record<string, string> {
    const ws = this.profile.workspace;
    if (ws.transport === 'header') {
      return { [ws.headerName]: ws.format.replace('{domain}', this.workspace.domain).replace('{entity}', this.workspace.entity) };
    }
    if (!query.some(([k]) => k === ws.domainParam)) query.push([ws.domainParam, this.workspace.domain]);
    if (ws.entityParam && !query.some(([k]) => k === ws.entityParam)) query.push([ws.entityParam, this.workspace.entity]);
    return {};
  }

  /** One call, renewed and repeated exactly once when the tenant answers 401. */
  async call(req: RestCall, send: Send = this.send): Promise<RestAnswer> {
    for (let attempt = 0; ; attempt += 1) {
      const query = [...(req.query ?? [])];
      const headers: Record<string, string> = { accept: 'application/json', ...this.#workspaceHeaders(query) };
      const authorization = await this.auth.authorization();
      headers.authorization = authorization;
      let body: string | undefined;
      if (req.body !== undefined) {
        headers['content-type'] = 'application/json';
        body = JSON.stringify(req.body);
      }
      const res = await send({ method: req.method, url: this.url(req.path, query), headers, ...(body === undefined ? {} : { body }), ...(req.idempotent === undefined ? {} : { idempotent: req.idempotent }) });
      if (res.status === 401) {
        if (attempt === 0 && this.auth.rejected(authorization)) continue;
        throw new QadAuthError('QAD_ERR_UNAUTHORIZED', `QAD refused the credentials for ${req.method} ${req.path} (HTTP 401). Fix: check the integration user, its password and, for bearer mode, issue a new token`);
      }
      return { status: res.status, json: parseJson(res) };
    }
  }
}

function parseJson(res: TransportResponse): unknown {
  if (res.text.trim() === '') return undefined;
  try {
    return JSON.parse(res.text);
  } catch {
    return undefined;
  }
}

interface WireFieldError {
  fieldName?: string;
  message?: string;
  code?: string | number;
  value?: unknown;
  fieldValue?: unknown;
}

export function mapFieldErrors(errors: WireFieldError[], fieldMap: Readonly<Record<string, string>>): QadFieldError[] {
  return errors.map((e) => {
    const tenantField = String(e.fieldName ?? '');
    const canonical = tenantField === '' ? undefined : canonicalNameOf(fieldMap, tenantField);
    return { tenantField, message: String(e.message ?? 'rejected'), code: String(e.code ?? ''), value: e.value ?? e.fieldValue, ...(canonical ? { canonicalField: canonical } : {}) };
  });
}

export function describeFieldErrors(errors: readonly QadFieldError[]): string {
  return errors.map((e) => `${(e.canonicalField ?? e.tenantField) || 'record'}${e.canonicalField && e.tenantField ? ` (QAD field ${e.tenantField})` : ''}: ${e.message}`).join('; ');
}

/**
 * QAD's success rules (facts §2.6): HTTP 200 is not success; `submitResult.success` is. A bare
 * `errors` array is a gateway or permission answer. Returns the `data` part of a successful answer.
 */
export function expectSuccess(answer: RestAnswer, what: string, fieldMap: Readonly<Record<string, string>>, options: { duplicateCodes?: readonly string[]; duplicatePattern?: string } = {}): unknown {
  const body = (answer.json ?? {}) as { submitResult?: { success?: unknown; errors?: WireFieldError[] }; errors?: WireFieldError[]; data?: unknown };
  // 408, 429 and 5xx never get here: the transport judged them already (retryVerdict.ts)
  if (answer.status === 403) {
    throw new QadForbiddenError(`QAD denied ${what}: ${String(body.errors?.[0]?.message ?? 'Access is denied')}. Fix: give the integration user the role/menu rights for this function`);
  }
  if (answer.status === 404) throw new QadValidationError(`QAD has no resource for ${what} (HTTP 404). Fix: check the path in the QAD profile`, [], 'QAD_ERR_NOT_FOUND');
  if (answer.json === undefined) throw new QadProtocolError(`QAD answered ${what} with HTTP ${answer.status} and no JSON body`);
  const wireErrors = body.submitResult?.errors ?? body.errors ?? [];
  const failed = body.submitResult ? body.submitResult.success !== true : answer.status >= 400 || (Array.isArray(body.errors) && body.errors.length > 0);
  if (!failed) return body.data;
  const fieldErrors = mapFieldErrors(wireErrors, fieldMap);
  const pattern = options.duplicatePattern ? new RegExp(options.duplicatePattern, 'i') : null;
  const duplicate = fieldErrors.some((e) => options.duplicateCodes?.includes(e.code) || (pattern !== null && pattern.test(e.message)));
  throw new QadValidationError(`QAD refused ${what}: ${describeFieldErrors(fieldErrors) || `HTTP ${answer.status}`}`, fieldErrors, duplicate ? 'QAD_ERR_DUPLICATE' : 'QAD_ERR_VALIDATION', { statusCode: answer.status >= 400 ? answer.status : 422 });
}
