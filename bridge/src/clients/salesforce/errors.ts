import { CodedError } from '../../lib/codedError.js';

/**
 * Every failure the Salesforce client raises. Callers branch on `code` (stable, `SF_ERR_*`), never on
 * message text; `retryable` says whether the same call may succeed later without a fix. Nothing here
 * ever holds an access token, a client secret or a request body: only what Salesforce said, the
 * status, and the record the failure belongs to.
 */

/** The record a failure belongs to, so a caller can put it on the right audit row. */
export interface RecordRef {
  sobject?: string;
  id?: string;
  externalIdField?: string;
  externalId?: string;
}

/** One entry of Salesforce's REST error array (`[{message, errorCode, fields}]`). */
export interface SalesforceApiErrorItem {
  message: string;
  errorCode: string;
  fields?: string[];
}

export interface SalesforceErrorOptions {
  statusCode?: number;
  errorCode?: string;
  record?: RecordRef;
  cause?: unknown;
  /** every error item of the answer, for callers that need more than the first */
  details?: SalesforceApiErrorItem[];
  /** the answer's Retry-After, in ms */
  retryAfterMs?: number;
}

export class SalesforceError extends CodedError {
  readonly code: string = 'SF_ERR_UNKNOWN';
  readonly retryable: boolean = false;
  readonly statusCode: number | undefined;
  /** the Salesforce errorCode (or OAuth `error`) the answer carried */
  readonly errorCode: string | undefined;
  readonly record: RecordRef | undefined;
  readonly details: SalesforceApiErrorItem[];
  /** how long Salesforce asked to wait (Retry-After); a caller scheduling a retry waits at least this */
  readonly retryAfterMs: number | undefined;

  constructor(message: string, options: SalesforceErrorOptions = {}) {
    super(message, options.cause);
    this.statusCode = options.statusCode;
    this.errorCode = options.errorCode;
    this.record = options.record;
    this.details = options.details ?? [];
    this.retryAfterMs = options.retryAfterMs;
  }

  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      statusCode: this.statusCode,
      errorCode: this.errorCode,
      retryable: this.retryable,
      record: this.record,
    };
  }
}

/** Token endpoint refused the credentials or the grant (bad client id, secret, host, flow not enabled). */
export class SalesforceAuthError extends SalesforceError {
  override readonly code = 'SF_ERR_AUTH';
}

/** A call was answered 401 INVALID_SESSION_ID even with a freshly issued token. */
export class InvalidSessionError extends SalesforceError {
  override readonly code = 'SF_ERR_INVALID_SESSION';
}

/** The org's daily API allowance is spent (REQUEST_LIMIT_EXCEEDED). Work must stop, not retry. */
export class DailyLimitExceededError extends SalesforceError {
  override readonly code = 'SF_ERR_REQUEST_LIMIT';
}

/**
 * The remaining allowance is at or below the configured reserve and the call was not critical.
 * Retryable: the same call may go out once the rolling 24-hour window frees requests.
 */
export class BudgetReserveError extends SalesforceError {
  override readonly code = 'SF_ERR_BUDGET_RESERVE';
  override readonly retryable = true;
}

export class MalformedQueryError extends SalesforceError {
  override readonly code = 'SF_ERR_MALFORMED_QUERY';
}

/** 400: the record or request broke a field, validation or uniqueness rule. Needs a data fix. */
export class ValidationError extends SalesforceError {
  override readonly code = 'SF_ERR_VALIDATION';
}

export class NotFoundError extends SalesforceError {
  override readonly code = 'SF_ERR_NOT_FOUND';
}

/** 300 from an upsert: the External ID value matched several records. */
export class MultipleMatchesError extends SalesforceError {
  override readonly code = 'SF_ERR_MULTIPLE_MATCHES';
}

/** 403 other than the API limit: missing permission, field-level security, disabled feature. */
export class ForbiddenError extends SalesforceError {
  override readonly code = 'SF_ERR_FORBIDDEN';
}

/** 429, or REQUEST_LIMIT_EXCEEDED for concurrent long-running requests: back off and retry. */
export class RateLimitedError extends SalesforceError {
  override readonly code = 'SF_ERR_RATE_LIMITED';
  override readonly retryable = true;
}

/** 408: Salesforce gave up waiting for the request before doing it; the same call may go out again. */
export class RequestTimeoutError extends SalesforceError {
  override readonly code = 'SF_ERR_REQUEST_TIMEOUT';
  override readonly retryable = true;
}

/** UNABLE_TO_LOCK_ROW: another transaction holds the record; retrying shortly usually succeeds. */
export class RowLockedError extends SalesforceError {
  override readonly code = 'SF_ERR_ROW_LOCKED';
  override readonly retryable = true;
}

/** 503 (and gateway 502/504): the org is unavailable or in maintenance. */
export class UnavailableError extends SalesforceError {
  override readonly code = 'SF_ERR_UNAVAILABLE';
  override readonly retryable = true;
}

/** 500 or an answer this client cannot read. Not retried: the server may have done the work. */
export class ServerError extends SalesforceError {
  override readonly code = 'SF_ERR_SERVER';
}

/** Connection refused/reset, DNS, TLS, timeouts: the answer never arrived. */
export class NetworkError extends SalesforceError {
  override readonly code = 'SF_ERR_NETWORK';
  override readonly retryable = true;
  /** true when the request cannot have reached the server (connect failed), so even a create may be repeated */
  readonly beforeSend: boolean;

  constructor(message: string, beforeSend: boolean, options: SalesforceErrorOptions = {}) {
    super(message, options);
    this.beforeSend = beforeSend;
  }
}

/** The token answer named an instance_url that is not a Salesforce host; the token is not used. */
export class InstanceUrlRefusedError extends SalesforceError {
  override readonly code = 'SF_ERR_INSTANCE_URL_REFUSED';
}

export class BulkJobFailedError extends SalesforceError {
  override readonly code: string = 'SF_ERR_BULK_JOB_FAILED';
  readonly jobId: string | undefined;

  constructor(message: string, jobId: string | undefined, options: SalesforceErrorOptions = {}) {
    super(message, options);
    this.jobId = jobId;
  }
}

/** A Bulk job did not finish within the configured polling budget; it may still finish later. */
export class BulkJobTimeoutError extends BulkJobFailedError {
  override readonly code = 'SF_ERR_BULK_JOB_TIMEOUT';
  override readonly retryable = true;
}

/** The client was configured or called with something it cannot use. */
export class SalesforceConfigError extends SalesforceError {
  override readonly code = 'SF_ERR_CONFIG';
}

/** Any other non-2xx answer, carrying Salesforce's errorCode. */
export class SalesforceApiError extends SalesforceError {
  override readonly code = 'SF_ERR_API';
}

const MALFORMED_QUERY_CODES = new Set([
  'MALFORMED_QUERY',
  'INVALID_QUERY_FILTER_OPERATOR',
  'INVALID_QUERY_LOCATOR',
  'NUMBER_OUTSIDE_VALID_RANGE',
]);

/** Salesforce's REST error body is an array; tolerate a single object or an OAuth-style body too. */
export function readErrorItems(body: unknown): SalesforceApiErrorItem[] {
  const items = Array.isArray(body) ? body : body && typeof body === 'object' ? [body] : [];
  const result: SalesforceApiErrorItem[] = [];
  for (const item of items) {
    if (!item || typeof item !== 'object') continue;
    const entry = item as Record<string, unknown>;
    const errorCode = entry.errorCode ?? entry.statusCode ?? entry.error;
    const message = entry.message ?? entry.error_description;
    if (typeof errorCode !== 'string' && typeof message !== 'string') continue;
    result.push({
      errorCode: typeof errorCode === 'string' ? errorCode : 'UNKNOWN',
      message: typeof message === 'string' ? message : '',
      ...(Array.isArray(entry.fields) ? { fields: entry.fields.filter((f): f is string => typeof f === 'string') } : {}),
    });
  }
  return result;
}

export interface ErrorContext {
  method: string;
  /** path without the query string; names the resource in the message */
  path: string;
  record?: RecordRef;
  isQuery?: boolean;
  /** the answer's Retry-After, in ms, kept on the error for whoever schedules the next attempt */
  retryAfterMs?: number | null;
}

function describeRecord(record: RecordRef | undefined): string {
  if (!record?.sobject) return '';
  if (record.externalIdField && record.externalId !== undefined) {
    return ` (${record.sobject} ${record.externalIdField}=${record.externalId})`;
  }
  if (record.id) return ` (${record.sobject} ${record.id})`;
  return ` (${record.sobject})`;
}

/**
 * Turns a non-2xx REST answer into the error class callers branch on. The classification uses the
 * Salesforce errorCode first (REQUEST_LIMIT_EXCEEDED arrives as 403 officially but as 429 from some
 * proxies) and the HTTP status second.
 */
export function errorFromResponse(status: number, body: unknown, context: ErrorContext): SalesforceError {
  const details = readErrorItems(body);
  const first = details[0];
  const errorCode = first?.errorCode;
  const sfMessage = first?.message ?? '';
  const where = `${context.method} ${context.path}${describeRecord(context.record)}`;
  const options: SalesforceErrorOptions = { statusCode: status, details, record: context.record };
  if (errorCode !== undefined) options.errorCode = errorCode;
  if (context.retryAfterMs != null) options.retryAfterMs = context.retryAfterMs;

  if (errorCode === 'REQUEST_LIMIT_EXCEEDED') {
    if (/concurrent/i.test(sfMessage)) {
      return new RateLimitedError(
        `Salesforce refused ${where}: too many concurrent long-running requests (${sfMessage}); retry later`,
        options,
      );
    }
    return new DailyLimitExceededError(
      `Salesforce daily API request limit reached (${sfMessage || 'REQUEST_LIMIT_EXCEEDED'}); work stops until the rolling 24-hour allowance frees requests`,
      options,
    );
  }
  if (status === 401 || errorCode === 'INVALID_SESSION_ID') {
    return new InvalidSessionError(
      `Salesforce refused the session for ${where}: ${sfMessage || 'Session expired or invalid'}. If this persists after a new token, check the app's OAuth scopes (api) and the Run As user`,
      options,
    );
  }
  if (errorCode === 'UNABLE_TO_LOCK_ROW') {
    return new RowLockedError(`Salesforce could not lock the row for ${where}: ${sfMessage}`, options);
  }
  if (status === 429) return new RateLimitedError(`Salesforce rate-limited ${where}; retry later`, options);
  if (status === 408) return new RequestTimeoutError(`Salesforce timed out waiting for ${where} (HTTP 408); retry later`, options);
  if (status === 503 || status === 502 || status === 504) {
    // 5xx text never reaches a caller: it can be an HTML maintenance page or an internal trace.
    return new UnavailableError(`Salesforce is unavailable (HTTP ${status}) for ${where}; retry later`, options);
  }
  if (status >= 500) return new ServerError(`Salesforce failed ${where} with HTTP ${status}`, options);
  if (errorCode !== undefined && (MALFORMED_QUERY_CODES.has(errorCode) || (context.isQuery && status === 400))) {
    return new MalformedQueryError(`Salesforce rejected the query (${errorCode}): ${sfMessage}`, options);
  }
  if (status === 300) {
    return new MultipleMatchesError(`The External ID value matched several records for ${where}; make it unique`, options);
  }
  if (status === 404) {
    return new NotFoundError(`Salesforce found nothing for ${where}: ${sfMessage || 'not found'}`, options);
  }
  if (status === 403) return new ForbiddenError(`Salesforce refused ${where} (${errorCode ?? 'FORBIDDEN'}): ${sfMessage}`, options);
  if (status === 400) {
    const fields = first?.fields?.length ? ` [fields: ${first.fields.join(', ')}]` : '';
    return new ValidationError(`Salesforce rejected ${where} (${errorCode ?? 'BAD_REQUEST'}): ${sfMessage}${fields}`, options);
  }
  return new SalesforceApiError(`Salesforce answered HTTP ${status} to ${where} (${errorCode ?? 'no error code'}): ${sfMessage}`, options);
}

/** OAuth token endpoint errors (`{error, error_description}`), each with the fix an operator needs. */
export function errorFromTokenResponse(status: number, body: unknown, loginUrl: string): SalesforceError {
  const entry = body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  const oauthError = typeof entry.error === 'string' ? entry.error : undefined;
  const description = typeof entry.error_description === 'string' ? entry.error_description : '';
  const options: SalesforceErrorOptions = { statusCode: status };
  if (oauthError !== undefined) options.errorCode = oauthError;
  if (status === 503 || status === 502 || status === 504) {
    return new UnavailableError(`Salesforce token endpoint unavailable (HTTP ${status}) at ${loginUrl}; retry later`, options);
  }
  if (status >= 500) return new ServerError(`Salesforce token endpoint failed with HTTP ${status} at ${loginUrl}`, options);
  if (status === 429) return new RateLimitedError(`Salesforce token endpoint rate-limited at ${loginUrl}; retry later`, options);
  if (status === 408) return new RequestTimeoutError(`Salesforce token endpoint timed out at ${loginUrl} (HTTP 408); retry later`, options);
  const said = description ? ` (${oauthError}: ${description})` : oauthError ? ` (${oauthError})` : '';
  switch (oauthError) {
    case 'invalid_client_id':
      return new SalesforceAuthError(
        `Salesforce does not know this client id${said}. Fix clientId: copy the Consumer Key of the External Client App; new apps can take a few minutes to become active`,
        options,
      );
    case 'invalid_client':
      return new SalesforceAuthError(
        `Salesforce rejected the client secret${said}. Fix clientSecret: copy the Consumer Secret of the External Client App (the secret itself is never logged)`,
        options,
      );
    case 'unsupported_grant_type':
      return new SalesforceAuthError(
        `Salesforce does not accept the client credentials grant here${said}. Enable the Client Credentials Flow on the External Client App`,
        options,
      );
    case 'invalid_grant':
      if (/not supported on this domain/i.test(description)) {
        return new SalesforceAuthError(
          `Salesforce refused the client credentials grant on ${loginUrl}${said}. Fix loginUrl: use the org's My Domain URL (https://<domain>.my.salesforce.com, or <domain>--<sandbox>.sandbox.my.salesforce.com), not login.salesforce.com or test.salesforce.com`,
          options,
        );
      }
      return new SalesforceAuthError(
        `Salesforce refused the client credentials grant${said}. Check that the Client Credentials Flow is enabled and a Run As user is assigned on the External Client App`,
        options,
      );
    default:
      return new SalesforceAuthError(`Salesforce token request failed with HTTP ${status}${said}`, options);
  }
}
