import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

/**
 * The Pub/Sub API's published proto, as shipped by the `salesforce-pubsub-api-client` package.
 * It is read from that package at run time (not copied here) so the service definition stays the
 * one Salesforce publishes. The file is not in the package's `exports`, so we resolve the
 * package's entry point and walk up to its root.
 */
export function pubSubProtoPath(): string {
  const require = createRequire(import.meta.url);
  let dir = path.dirname(require.resolve('salesforce-pubsub-api-client'));
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest)) {
      const parsed = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string };
      if (parsed.name === 'salesforce-pubsub-api-client') return path.join(dir, 'pubsub_api.proto');
    }
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  throw new Error('pubsub_api.proto not found: install salesforce-pubsub-api-client (npm install -w bridge)');
}

let cachedDefinition: grpc.GrpcObject | undefined;

/** `eventbus.v1` with camelCase field names, bytes as Buffers and enums as their names. */
export function loadPubSubPackage(): grpc.GrpcObject {
  if (!cachedDefinition) {
    const definition = protoLoader.loadSync(pubSubProtoPath(), {
      keepCase: false,
      longs: String,
      enums: String,
      defaults: true,
      oneofs: true,
    });
    cachedDefinition = grpc.loadPackageDefinition(definition);
  }
  return cachedDefinition;
}

export function pubSubServiceConstructor(): grpc.ServiceClientConstructor {
  const eventbus = loadPubSubPackage().eventbus as grpc.GrpcObject;
  const v1 = eventbus.v1 as grpc.GrpcObject;
  return v1.PubSub as grpc.ServiceClientConstructor;
}

export type ReplayPresetName = 'LATEST' | 'EARLIEST' | 'CUSTOM';

export interface EventHeader {
  key: string;
  value: Buffer;
}

export interface ProducerEvent {
  id: string;
  schemaId: string;
  payload: Buffer;
  headers?: EventHeader[];
}

export interface ConsumerEvent {
  event: ProducerEvent;
  replayId: Buffer;
}

export interface FetchRequest {
  topicName?: string;
  replayPreset?: ReplayPresetName;
  replayId?: Buffer;
  numRequested?: number;
  authRefresh?: string;
}

export interface FetchResponse {
  events: ConsumerEvent[];
  latestReplayId: Buffer;
  rpcId: string;
  pendingNumRequested: number;
}

export interface SchemaRequest {
  schemaId: string;
}

export interface SchemaInfo {
  schemaJson: string;
  schemaId: string;
  rpcId: string;
}

export interface TopicRequest {
  topicName: string;
}

export interface TopicInfo {
  topicName: string;
  tenantGuid: string;
  canPublish: boolean;
  canSubscribe: boolean;
  schemaId: string;
  rpcId: string;
}

export interface PublishRequest {
  topicName: string;
  events: ProducerEvent[];
  authRefresh?: string;
}

export interface PublishResult {
  replayId: Buffer;
  error?: { code: 'UNKNOWN' | 'PUBLISH' | 'COMMIT'; msg: string } | null;
  correlationKey: string;
}

export interface PublishResponse {
  results: PublishResult[];
  schemaId: string;
  rpcId: string;
}

type UnaryCallback<T> = (error: grpc.ServiceError | null, response?: T) => void;

/** The generated client's shape; proto-loader builds it at run time, so it is declared here. */
export interface PubSubStub extends grpc.Client {
  Subscribe(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<FetchRequest, FetchResponse>;
  GetSchema(request: SchemaRequest, metadata: grpc.Metadata, callback: UnaryCallback<SchemaInfo>): grpc.ClientUnaryCall;
  GetTopic(request: TopicRequest, metadata: grpc.Metadata, callback: UnaryCallback<TopicInfo>): grpc.ClientUnaryCall;
  Publish(request: PublishRequest, metadata: grpc.Metadata, callback: UnaryCallback<PublishResponse>): grpc.ClientUnaryCall;
}

/** The custom error code Pub/Sub puts in the `error-code` trailer for an unknown or purged replay id. */
export const REPLAY_ID_CORRUPTED = 'sfdc.platform.eventbus.grpc.subscription.fetch.replayid.corrupted';
export const AUTH_ERROR = 'sfdc.platform.eventbus.grpc.service.auth.error';
