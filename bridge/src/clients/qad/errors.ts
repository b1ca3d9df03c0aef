import { CodedError } from '../../lib/codedError.js';
import type { QadRecordProblem, QadRecordRejectionCode } from './types.js';

/**
 * Every failure the QAD client reports. Callers branch on `code`; messages are for people and never
 * carry a password or token (the transport strips credentials before an error is built).
 */
export type QadErrorCode =
  | 'QAD_ERR_PROFILE_INVALID'
  | 'QAD_ERR_PROFILE_NOT_FOUND'
  | 'QAD_ERR_CONFIG_INVALID'
  | 'QAD_ERR_OBJECT_NOT_CONFIGURED'
  | 'QAD_ERR_ENTITY_PATH_MISSING'
  | 'QAD_ERR_AUTH_FAILED'
  | 'QAD_ERR_UNAUTHORIZED'
  | 'QAD_ERR_FORBIDDEN'
  | 'QAD_ERR_VALIDATION'
  | 'QAD_ERR_DUPLICATE'
  | 'QAD_ERR_NOT_FOUND'
  | 'QAD_ERR_ORDER_CONFLICT'
  | 'QAD_ERR_SERVER'
  | 'QAD_ERR_RATE_LIMITED'
  | 'QAD_ERR_TRANSPORT'
  | 'QAD_ERR_TIMEOUT'
  | 'QAD_ERR_PROTOCOL'
  | 'QAD_ERR_SOAP_FAULT'
  | QadRecordRejectionCode
  | UrlRefusalCode;

/** One stable code per URL / entity-path rule, so a UI can point at the exact setting to fix. */
export type UrlRefusalCode =
  | 'QAD_ERR_URL_INVALID'
  | 'QAD_ERR_URL_SCHEME'
  | 'QAD_ERR_URL_USERINFO'
  | 'QAD_ERR_URL_FRAGMENT'
  | 'QAD_ERR_URL_QUERY'
  | 'QAD_ERR_URL_PRIVATE_ADDRESS'
  | 'QAD_ERR_URL_LOOPBACK'
  | 'QAD_ERR_URL_LINK_LOCAL'
  | 'QAD_ERR_URL_UNSPECIFIED'
  | 'QAD_ERR_URL_CGNAT'
  | 'QAD_ERR_URL_METADATA'
  | 'QAD_ERR_URL_RESERVED_ADDRESS'
  | 'QAD_ERR_URL_UNRESOLVABLE'
  | 'QAD_ERR_PATH_EMPTY'
  | 'QAD_ERR_PATH_ABSOLUTE'
  | 'QAD_ERR_PATH_SCHEME'
  | 'QAD_ERR_PATH_TRAVERSAL'
  | 'QAD_ERR_PATH_DOUBLE_SLASH'
  | 'QAD_ERR_PATH_ENCODED'
  | 'QAD_ERR_PATH_CHARACTERS';

export interface QadErrorOptions {
  statusCode?: number;
  retryable?: boolean;
  /** the tenant's Retry-After, in ms, when it asked for a pause longer than the client waits itself */
  retryAfterMs?: number;
  cause?: unknown;
}

export class QadError extends CodedError {
  readonly code: QadErrorCode;
  readonly statusCode: number;
  readonly retryable: boolean;
  /** set when the tenant said how long to wait (Retry-After); a caller scheduling a retry waits at least this */
  readonly retryAfterMs: number | undefined;

  constructor(code: QadErrorCode, message: string, options: QadErrorOptions = {}) {
    super(message, options.cause);
    this.code = code;
    this.statusCode = options.statusCode ?? 500;
    this.retryable = options.retryable ?? false;
    this.retryAfterMs = options.retryAfterMs;
  }
}

/** A profile file or connection setting that cannot be used; `path` is the JSON path at fault. */
export class QadConfigError extends QadError {
  constructor(
    code: 'QAD_ERR_PROFILE_INVALID' | 'QAD_ERR_PROFILE_NOT_FOUND' | 'QAD_ERR_CONFIG_INVALID' | 'QAD_ERR_OBJECT_NOT_CONFIGURED',
    message: string,
    readonly issues: ReadonlyArray<{ path: string; message: string }> = [],
    options: QadErrorOptions = {},
  ) {
    super(code, message, { statusCode: 400, ...options });
  }
}

export class QadUrlRefusedError extends QadError {
  constructor(
    code: UrlRefusalCode,
    readonly rule: string,
    message: string,
    readonly fix: string,
  ) {
    super(code, `${message} (rule: ${rule}). Fix: ${fix}`, { statusCode: 400 });
  }
}

export class QadEntityPathMissingError extends QadError {
  constructor(readonly missing: ReadonlyArray<{ object: string; path: string }>, how: 'api-description' | 'probe') {
    const list = missing.map((m) => `${m.object} -> ${m.path}`).join(', ');
    super(
      'QAD_ERR_ENTITY_PATH_MISSING',
      `The tenant does not serve ${missing.length === 1 ? 'this entity path' : 'these entity paths'} (checked by ${how}): ${list}. ` +
        'Fix: correct the path in the QAD profile or ask the QAD administrator to enable the API for the integration user.',
      { statusCode: 502 },
    );
  }
}

export class QadAuthError extends QadError {
  constructor(code: 'QAD_ERR_AUTH_FAILED' | 'QAD_ERR_UNAUTHORIZED', message: string, options: QadErrorOptions = {}) {
    super(code, message, { statusCode: 401, ...options });
  }
}

export class QadForbiddenError extends QadError {
  constructor(message: string, options: QadErrorOptions = {}) {
    super('QAD_ERR_FORBIDDEN', message, { statusCode: 403, ...options });
  }
}

/** One field QAD refused, with the tenant's name and, where the profile maps it, the canonical one. */
export interface QadFieldError {
  canonicalField?: string;
  tenantField: string;
  message: string;
  code: string;
  value?: unknown;
}

export class QadValidationError extends QadError {
  constructor(
    message: string,
    readonly fieldErrors: readonly QadFieldError[],
    code: 'QAD_ERR_VALIDATION' | 'QAD_ERR_DUPLICATE' | 'QAD_ERR_NOT_FOUND' | 'QAD_ERR_ORDER_CONFLICT' = 'QAD_ERR_VALIDATION',
    options: QadErrorOptions = {},
  ) {
    super(code, message, { statusCode: code === 'QAD_ERR_NOT_FOUND' ? 404 : 422, ...options });
  }
}

/** A record read by key that breaks a record rule (recordRules.ts); `problems` name each field and fix. */
export class QadRecordRejectedError extends QadError {
  constructor(
    code: QadRecordRejectionCode,
    message: string,
    readonly problems: readonly QadRecordProblem[],
  ) {
    super(code, message, { statusCode: 422 });
  }
}

export class QadServerError extends QadError {
  constructor(message: string, statusCode: number, options: QadErrorOptions = {}) {
    super('QAD_ERR_SERVER', message, { statusCode, retryable: true, ...options });
  }
}

/** 429: the tenant turned the call away before doing it; the same call succeeds later. */
export class QadRateLimitedError extends QadError {
  constructor(message: string, options: QadErrorOptions = {}) {
    super('QAD_ERR_RATE_LIMITED', message, { statusCode: 429, retryable: true, ...options });
  }
}

export class QadTransportError extends QadError {
  constructor(code: 'QAD_ERR_TRANSPORT' | 'QAD_ERR_TIMEOUT', message: string, options: QadErrorOptions = {}) {
    super(code, message, { statusCode: 503, retryable: true, ...options });
  }
}

export class QadProtocolError extends QadError {
  constructor(message: string, options: QadErrorOptions = {}) {
    super('QAD_ERR_PROTOCOL', message, { statusCode: 502, ...options });
  }
}

export class QadSoapFaultError extends QadError {
  constructor(readonly faultCode: string, faultString: string, options: QadErrorOptions = {}) {
    super('QAD_ERR_SOAP_FAULT', `QXtend answered with a SOAP fault ${faultCode}: ${faultString}`, { statusCode: 502, retryable: true, ...options });
  }
}
