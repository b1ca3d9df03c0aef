import { randomUUID } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';

/**
 * A failure as Pub/Sub reports it: a gRPC status, the message with `rpcId: <id>` appended, and the
 * custom code and rpc id in the trailers (`error-code`, `rpc-id`).
 */
export function pubSubStatus(code: grpc.status, errorCode: string, message: string): Partial<grpc.StatusObject> & { code: grpc.status } {
  const rpcId = randomUUID();
  const metadata = new grpc.Metadata();
  metadata.set('error-code', errorCode);
  metadata.set('rpc-id', rpcId);
  return { code, details: `${errorCode}: ${message} rpcId: ${rpcId}`, metadata };
}

export const ERROR_CODES = {
  auth: 'sfdc.platform.eventbus.grpc.service.auth.error',
  replayIdCorrupted: 'sfdc.platform.eventbus.grpc.subscription.fetch.replayid.corrupted',
  // The codes below are this sandbox's, in Salesforce's naming scheme; the real ones were not confirmed.
  topicNotFound: 'sfdc.platform.eventbus.grpc.topic.not.found',
  topicPermission: 'sfdc.platform.eventbus.grpc.topic.permission.denied',
  invalidFetch: 'sfdc.platform.eventbus.grpc.subscription.fetch.invalid.request',
  schemaNotFound: 'sfdc.platform.eventbus.grpc.schema.not.found',
  unavailable: 'sfdc.platform.eventbus.grpc.service.unavailable',
} as const;

export class PubSubStatusError extends Error {
  constructor(readonly status: Partial<grpc.StatusObject> & { code: grpc.status }) {
    super(status.details);
  }
}

export function statusError(code: grpc.status, errorCode: string, message: string): PubSubStatusError {
  return new PubSubStatusError(pubSubStatus(code, errorCode, message));
}
