import * as grpc from '@grpc/grpc-js';
import { CodedError } from '../../../lib/codedError.js';
import { AUTH_ERROR, REPLAY_ID_CORRUPTED } from './proto.js';

/**
 * Errors of the Pub/Sub consumer. Callers branch on `code`; the message is for people and never
 * carries the access token (gRPC error details are the server's text, which holds no token).
 */
export class PubSubError extends CodedError {
  readonly code: string = 'BRIDGE_ERR_PUBSUB';
  readonly statusCode: number = 502;
  readonly retryable: boolean = false;
  /** the gRPC status and Pub/Sub's `error-code` trailer, when the error came from the server */
  readonly grpcStatus: number | undefined;
  readonly pubSubErrorCode: string | undefined;

  constructor(message: string, options: { cause?: unknown; grpcStatus?: number; pubSubErrorCode?: string } = {}) {
    super(message, options.cause);
    this.grpcStatus = options.grpcStatus;
    this.pubSubErrorCode = options.pubSubErrorCode;
  }
}

export class PubSubConfigError extends PubSubError {
  override readonly code = 'BRIDGE_ERR_PUBSUB_CONFIG';
  override readonly statusCode = 400;
}

/** The token was refused; retry after invalidating it and fetching a new one. */
export class PubSubAuthError extends PubSubError {
  override readonly code = 'BRIDGE_ERR_PUBSUB_AUTH';
  override readonly statusCode = 401;
  override readonly retryable = true;
}

/** The stored replay id is unknown or past the retention window: resume needs a SOQL catch-up. */
export class PubSubReplayIdRefusedError extends PubSubError {
  override readonly code = 'BRIDGE_ERR_PUBSUB_REPLAY_ID_REFUSED';
  override readonly statusCode = 409;
}

/** The stream broke (network, server restart, RST_STREAM); resubscribe from the checkpoint. */
export class PubSubUnavailableError extends PubSubError {
  override readonly code = 'BRIDGE_ERR_PUBSUB_UNAVAILABLE';
  override readonly statusCode = 503;
  override readonly retryable = true;
}

/** Any other refusal by the service (bad topic, permission); retrying will not help. */
export class PubSubRpcError extends PubSubError {
  override readonly code = 'BRIDGE_ERR_PUBSUB_RPC';
}

export class PubSubDecodeError extends PubSubError {
  override readonly code = 'BRIDGE_ERR_PUBSUB_DECODE';
}

/** The handler did not accept an event; it is not checkpointed and is delivered again. */
export class PubSubHandlerError extends PubSubError {
  override readonly code = 'BRIDGE_ERR_PUBSUB_HANDLER';
  override readonly retryable = true;
}

export class PubSubCatchUpError extends PubSubError {
  override readonly code = 'BRIDGE_ERR_PUBSUB_CATCH_UP';
  override readonly retryable = true;
}

/** The consumer was stopped before the bus acknowledged the subscription (a `ready` that never came). */
export class PubSubStoppedError extends PubSubError {
  override readonly code = 'BRIDGE_ERR_PUBSUB_STOPPED';
  override readonly statusCode = 503;
}

export class PubSubRetriesExhaustedError extends PubSubError {
  override readonly code = 'BRIDGE_ERR_PUBSUB_RETRIES_EXHAUSTED';
  override readonly statusCode = 503;
}

function trailer(error: grpc.ServiceError, key: string): string | undefined {
  const value = error.metadata?.get(key)[0];
  return value === undefined ? undefined : String(value);
}

function isServiceError(error: unknown): error is grpc.ServiceError {
  return typeof error === 'object' && error !== null && 'code' in error && typeof (error as { code: unknown }).code === 'number';
}

/** Maps a gRPC failure onto the consumer's errors by status and Pub/Sub's `error-code` trailer. */
export function fromGrpcError(error: unknown, what: string): PubSubError {
  if (error instanceof PubSubError) return error;
  if (!isServiceError(error)) {
    return new PubSubUnavailableError(`${what} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  const pubSubErrorCode = trailer(error, 'error-code');
  const details = { cause: error, grpcStatus: error.code, pubSubErrorCode };
  const text = `${what} failed: ${grpc.status[error.code] ?? error.code} ${error.details ?? ''}`.trim();
  if (pubSubErrorCode === REPLAY_ID_CORRUPTED) return new PubSubReplayIdRefusedError(text, details);
  if (error.code === grpc.status.UNAUTHENTICATED || pubSubErrorCode === AUTH_ERROR) return new PubSubAuthError(text, details);
  switch (error.code) {
    case grpc.status.UNAVAILABLE:
    case grpc.status.INTERNAL:
    case grpc.status.UNKNOWN:
    case grpc.status.DEADLINE_EXCEEDED:
    case grpc.status.RESOURCE_EXHAUSTED:
    case grpc.status.ABORTED:
    case grpc.status.CANCELLED:
      return new PubSubUnavailableError(text, details);
    default:
      return new PubSubRpcError(text, details);
  }
}
