import { CodedError } from './lib/codedError.js';

/**
 * The app's error contract. Every error the bridge raises on purpose carries a stable `code`
 * (callers branch on it, never on the message), the HTTP status it maps to, whether retrying the
 * same work can help, and the underlying cause. Client folders keep their own errors.ts; this one
 * covers the store, credentials, configuration and the HTTP service.
 */
export interface BridgeErrorOptions {
  cause?: unknown;
  statusCode?: number;
  retryable?: boolean;
  /** safe, caller-facing details (never secrets); shown for 4xx answers only */
  details?: Record<string, unknown>;
}

export class BridgeError extends CodedError {
  readonly code: string;
  readonly statusCode: number;
  readonly retryable: boolean;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: string, message: string, options: BridgeErrorOptions = {}) {
    super(message, options.cause);
    this.code = code;
    this.statusCode = options.statusCode ?? 500;
    this.retryable = options.retryable ?? false;
    this.details = options.details;
  }
}

export class ConfigError extends BridgeError {
  /** one line per problem, each naming the JSON path and the fix */
  readonly problems: readonly string[];
  constructor(message: string, problems: readonly string[], options: BridgeErrorOptions = {}) {
    super('BRIDGE_ERR_CONFIG', message, { statusCode: 400, ...options, details: { problems: [...problems] } });
    this.problems = problems;
  }
}

export class MappingCheckError extends BridgeError {
  readonly problems: readonly string[];
  constructor(message: string, problems: readonly string[], options: BridgeErrorOptions = {}) {
    super('BRIDGE_ERR_MAPPING_CHECK', message, { statusCode: 400, ...options, details: { problems: [...problems] } });
    this.problems = problems;
  }
}

/** The master key is missing, malformed or too weak to protect credentials. */
export class MasterKeyError extends BridgeError {
  constructor(message: string, options: BridgeErrorOptions = {}) {
    super('BRIDGE_ERR_MASTER_KEY', message, { statusCode: 500, ...options });
  }
}

/** A sealed credential could not be opened: wrong key, unknown key id, or tampered ciphertext. */
export class CredentialDecryptError extends BridgeError {
  constructor(code: 'BRIDGE_ERR_CREDENTIAL_TAMPERED' | 'BRIDGE_ERR_CREDENTIAL_KEY_UNKNOWN', message: string, options: BridgeErrorOptions = {}) {
    super(code, message, { statusCode: 500, ...options });
  }
}

export class StoreError extends BridgeError {
  constructor(code: string, message: string, options: BridgeErrorOptions = {}) {
    super(code, message, { statusCode: 500, retryable: true, ...options });
  }
}

export class NotFoundError extends BridgeError {
  constructor(what: string, id: string, options: BridgeErrorOptions = {}) {
    super('BRIDGE_ERR_NOT_FOUND', `${what} ${JSON.stringify(id)} does not exist`, { statusCode: 404, ...options });
  }
}

export class ConflictError extends BridgeError {
  constructor(message: string, options: BridgeErrorOptions = {}) {
    super('BRIDGE_ERR_CONFLICT', message, { statusCode: 409, ...options });
  }
}

export class ValidationError extends BridgeError {
  constructor(message: string, options: BridgeErrorOptions = {}) {
    super('BRIDGE_ERR_VALIDATION', message, { statusCode: 400, ...options });
  }
}

export class UnauthorizedError extends BridgeError {
  constructor(message = 'a valid bearer token is required', options: BridgeErrorOptions = {}) {
    super('BRIDGE_ERR_UNAUTHORIZED', message, { statusCode: 401, ...options });
  }
}

/**
 * A connection could not start: its QAD tenant is down or refuses the login (or another part of
 * its start failed). The message names the connection and keeps the underlying code; the bridge
 * retries it with backoff while the other connections run.
 */
export class ConnectionStartError extends BridgeError {
  readonly connectionId: string;
  /** the stable code of what failed underneath (e.g. QAD_ERR_AUTH_FAILED) */
  readonly causeCode: string | undefined;

  constructor(connectionId: string, what: string, cause: unknown) {
    const inner = cause as { code?: unknown; message?: unknown } | undefined;
    const causeCode = typeof inner?.code === 'string' ? inner.code : undefined;
    const said = typeof inner?.message === 'string' ? inner.message : String(cause);
    super('BRIDGE_ERR_CONNECTION_START', `connection ${connectionId}: ${what}: ${causeCode ? `[${causeCode}] ` : ''}${said}`, { statusCode: 503, retryable: true, cause });
    this.connectionId = connectionId;
    this.causeCode = causeCode;
  }
}

export class NotReadyError extends BridgeError {
  constructor(message: string, options: BridgeErrorOptions = {}) {
    super('BRIDGE_ERR_NOT_READY', message, { statusCode: 503, retryable: true, ...options });
  }
}

export function isBridgeError(error: unknown): error is BridgeError {
  return error instanceof BridgeError;
}

/** The body every error answer has; `code` is the contract, `message` is for people. */
export interface ErrorBody {
  code: string;
  message: string;
  statusCode: number;
  retryable: boolean;
  details?: Record<string, unknown>;
}

const GENERIC_5XX = 'internal error; see the bridge log for details';

/**
 * Turns anything thrown into an answer that is safe to send: 4xx answers keep their message (it
 * was written for the caller), 5xx answers never carry internal text because a driver or client
 * message can contain hosts, SQL or, in the worst case, a secret.
 */
export function toErrorBody(error: unknown): ErrorBody {
  if (isBridgeError(error)) {
    if (error.statusCode >= 500) {
      return { code: error.code, message: GENERIC_5XX, statusCode: error.statusCode, retryable: error.retryable };
    }
    return {
      code: error.code,
      message: error.message,
      statusCode: error.statusCode,
      retryable: error.retryable,
      ...(error.details ? { details: error.details } : {}),
    };
  }
  if (error instanceof CodedError) {
    // A client error reports the upstream system's failure: its status belongs to Salesforce or QAD,
    // not to the caller's request, so it answers as a gateway failure that keeps its stable code.
    const status = error.retryable ? 503 : 502;
    return { code: error.code, message: GENERIC_5XX, statusCode: status, retryable: error.retryable };
  }
  const statusCode = httpStatusOf(error);
  if (statusCode !== undefined && statusCode >= 400 && statusCode < 500) {
    const fastifyCode = (error as { code?: unknown }).code;
    return {
      code: statusCode === 400 ? 'BRIDGE_ERR_VALIDATION' : statusCode === 404 ? 'BRIDGE_ERR_NOT_FOUND' : typeof fastifyCode === 'string' && fastifyCode.startsWith('BRIDGE_ERR_') ? fastifyCode : `BRIDGE_ERR_HTTP_${statusCode}`,
      message: error instanceof Error ? error.message : 'bad request',
      statusCode,
      retryable: statusCode === 429,
    };
  }
  const status = statusCode !== undefined && statusCode >= 500 && statusCode < 600 ? statusCode : 500;
  return { code: status === 503 ? 'BRIDGE_ERR_UNAVAILABLE' : 'BRIDGE_ERR_INTERNAL', message: GENERIC_5XX, statusCode: status, retryable: status === 503 };
}

function httpStatusOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const candidate = (error as { statusCode?: unknown; status?: unknown }).statusCode ?? (error as { status?: unknown }).status;
  return typeof candidate === 'number' && Number.isInteger(candidate) ? candidate : undefined;
}
