import { randomUUID } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import { pubSubServiceConstructor } from '../../../src/clients/salesforce/pubsub/proto.js';
import type {
  FetchRequest,
  FetchResponse,
  PublishRequest,
  PublishResponse,
  SchemaInfo,
  SchemaRequest,
  TopicInfo,
  TopicRequest,
} from '../../../src/clients/salesforce/pubsub/proto.js';
import type { OrgEventEmitter, PlatformEventPublished, RecordChange } from '../orgEvents.js';
import { LOOPBACK_SERVER_NAME, makeLoopbackCertificate } from './certificate.js';
import { ChangeFeed } from './changeFeed.js';
import type { ChangeEventType } from './changeEventSchema.js';
import { EventLog } from './eventLog.js';
import { ERROR_CODES, PubSubStatusError, statusError } from './rpcStatus.js';
import { SubscribeSession, type SubscribeCounters } from './subscribeSession.js';
import { DEFAULT_CHANGE_EVENT_ENTITIES, DEFAULT_PLATFORM_EVENTS, TopicCatalog } from './topicCatalog.js';
import { startControlServer, type ControlServer } from './controlHttp.js';

/** What the bus needs from the simulated org; `startSimulatedOrg` provides all of it. */
export interface BusOrg {
  orgId: string;
  clock: { now(): number };
  events: OrgEventEmitter;
  isValidAccessToken(token: string): boolean | Promise<boolean>;
  describeSObject(name: string): unknown;
  baseUrl?: string;
  integrationUserId?: string;
}

export interface PubSubBusOptions {
  org: BusOrg;
  host?: string;
  port?: number;
  /** TLS with a certificate made at start-up; plaintext only when asked */
  tls?: boolean;
  /** how long an idle stream waits before an empty keepalive answer (Salesforce: within 270 s) */
  keepaliveIntervalMs?: number;
  /** how long events stay replayable on the org's clock (Salesforce: 72 h) */
  retentionMs?: number;
  entities?: string[];
  platformEvents?: string[];
  /** port for the HTTP control surface under /__sandbox/pubsub; false for none */
  controlPort?: number | false;
}

export interface PubSubBusCounters extends SubscribeCounters {
  getSchemaCalls: number;
  getTopicCalls: number;
  publishCalls: number;
  eventsPublished: number;
  changeEventsGenerated: number;
  platformEventsGenerated: number;
  activeStreams: number;
}

export interface PubSubBusControl {
  counters(): PubSubBusCounters;
  resetCounters(): void;
  /** GAP_CREATE / GAP_UPDATE / GAP_DELETE / GAP_UNDELETE for these records */
  emitGap(entityName: string, recordIds: string[], changeType?: Extract<ChangeEventType, `GAP_${string}`>): void;
  /** GAP_OVERFLOW for an entity: a transaction was too large for individual events */
  emitOverflow(entityName: string): void;
  /** ends every open stream (or those on `topic`) now, like a broken connection */
  dropStreams(topic?: string): number;
  /** the next stream opened on `topic` (any topic when omitted) is dropped after delivering `events` events */
  dropNextStreamAfter(events: number, topic?: string): void;
  setKeepaliveInterval(ms: number): void;
  setRetention(ms: number): void;
}

export interface PubSubBusDescription {
  endpoint: string;
  tls: boolean;
  caCertificatePem?: string;
  /** the host name the certificate is issued to: send it as the TLS server name, never the IP */
  serverName?: string;
  topics: string[];
  controlUrl?: string;
}

export interface PubSubBus {
  endpoint: string;
  host: string;
  port: number;
  tls: boolean;
  /** the certificate to trust (self-signed, it is its own CA); absent without TLS */
  caCertificatePem: string | undefined;
  /** the certificate's host name, to send as the TLS server name; absent without TLS */
  serverName: string | undefined;
  topics: string[];
  controlUrl: string | undefined;
  control: PubSubBusControl;
  describe(): PubSubBusDescription;
  close(): Promise<void>;
}

function freshCounters(): PubSubBusCounters {
  return {
    subscribeCalls: 0,
    fetchRequests: 0,
    eventsDelivered: 0,
    keepalives: 0,
    streamsDropped: 0,
    authFailures: 0,
    replayIdRefusals: 0,
    maxPendingRequested: 0,
    deliveredByTopic: {},
    getSchemaCalls: 0,
    getTopicCalls: 0,
    publishCalls: 0,
    eventsPublished: 0,
    changeEventsGenerated: 0,
    platformEventsGenerated: 0,
    activeStreams: 0,
  };
}

function sameOrg(tenantId: string, orgId: string): boolean {
  return tenantId.length >= 15 && orgId.length >= 15 && tenantId.slice(0, 15) === orgId.slice(0, 15);
}

function sameInstance(instanceUrl: string, baseUrl: string | undefined): boolean {
  if (!baseUrl) return true;
  try {
    // The host decides; the scheme may differ because the sandbox org serves plain http on loopback
    // while Pub/Sub clients insist on an https instance URL.
    return new URL(instanceUrl).host === new URL(baseUrl).host;
  } catch {
    return false;
  }
}

export async function startPubSubBus(options: PubSubBusOptions): Promise<PubSubBus> {
  const org = options.org;
  const now = () => org.clock.now();
  const catalog = await TopicCatalog.load(
    (name) => org.describeSObject(name),
    options.entities ?? DEFAULT_CHANGE_EVENT_ENTITIES,
    options.platformEvents ?? DEFAULT_PLATFORM_EVENTS,
  );
  const log = new EventLog(now, options.retentionMs ?? 72 * 3_600_000);
  const feed = new ChangeFeed(catalog, log, now, org.integrationUserId ?? '005000000000000AAA');
  let keepaliveIntervalMs = options.keepaliveIntervalMs ?? 270_000;
  const counters = freshCounters();
  const sessions = new Set<SubscribeSession>();
  const dropBudgets: Array<{ topic: string | undefined; events: number }> = [];

  const onChange = (change: RecordChange): void => {
    if (feed.recordChange(change)) counters.changeEventsGenerated += 1;
  };
  const onPlatformEvent = (published: PlatformEventPublished): void => {
    if (feed.platformEvent(published, org.integrationUserId)) counters.platformEventsGenerated += 1;
  };
  org.events.on('change', onChange);
  org.events.on('platformEvent', onPlatformEvent);

  /** Checks the three Pub/Sub auth headers; returns the token or throws the status Pub/Sub answers. */
  async function authenticate(metadata: grpc.Metadata): Promise<string> {
    const header = (key: string): string => String(metadata.get(key)[0] ?? '');
    const token = header('accesstoken');
    const instanceUrl = header('instanceurl');
    const tenantId = header('tenantid');
    if (!token || !instanceUrl || !tenantId) {
      counters.authFailures += 1;
      throw statusError(grpc.status.UNAUTHENTICATED, ERROR_CODES.auth, 'An authentication exception occurred. Provide valid authentication via metadata headers (accesstoken, instanceurl, tenantid).');
    }
    if (!sameOrg(tenantId, org.orgId) || !sameInstance(instanceUrl, org.baseUrl)) {
      counters.authFailures += 1;
      throw statusError(grpc.status.PERMISSION_DENIED, ERROR_CODES.auth, 'The tenantid or instanceurl header does not match the org of the access token.');
    }
    if (!(await org.isValidAccessToken(token))) {
      counters.authFailures += 1;
      throw statusError(grpc.status.UNAUTHENTICATED, ERROR_CODES.auth, 'An authentication exception occurred. The session is invalid or expired; get a new access token.');
    }
    return token;
  }

  function unary<Req, Res>(handler: (request: Req) => Res | Promise<Res>): grpc.handleUnaryCall<Req, Res> {
    return (call, callback) => {
      authenticate(call.metadata)
        .then(() => handler(call.request))
        .then((response) => callback(null, response))
        .catch((error: unknown) => {
          if (error instanceof PubSubStatusError) callback(error.status);
          else callback({ code: grpc.status.INTERNAL, details: 'Internal error.' });
        });
    };
  }

  const handlers: grpc.UntypedServiceImplementation = {
    Subscribe: (call: grpc.ServerDuplexStream<FetchRequest, FetchResponse>) => {
      authenticate(call.metadata)
        .then((token) => {
          const session = new SubscribeSession(call, token, {
            log,
            catalog,
            keepaliveIntervalMs: () => keepaliveIntervalMs,
            isValidToken: async (candidate) => Boolean(await org.isValidAccessToken(candidate)),
            counters,
            takeDropBudget: (topic) => {
              const index = dropBudgets.findIndex((budget) => budget.topic === undefined || budget.topic === topic);
              if (index === -1) return null;
              const [budget] = dropBudgets.splice(index, 1);
              return budget?.events ?? null;
            },
            onClose: (closed) => {
              sessions.delete(closed);
              counters.activeStreams = sessions.size;
            },
          });
          sessions.add(session);
          counters.activeStreams = sessions.size;
        })
        .catch((error: unknown) => {
          call.emit('error', error instanceof PubSubStatusError ? error.status : { code: grpc.status.INTERNAL, details: 'Internal error.' });
        });
    },
    GetSchema: unary<SchemaRequest, SchemaInfo>((request) => {
      counters.getSchemaCalls += 1;
      const schemaJson = catalog.schemaJsonById.get(request.schemaId);
      if (!schemaJson) throw statusError(grpc.status.NOT_FOUND, ERROR_CODES.schemaNotFound, `Schema ${request.schemaId} was not found.`);
      return { schemaJson, schemaId: request.schemaId, rpcId: randomUUID() };
    }),
    GetTopic: unary<TopicRequest, TopicInfo>((request) => {
      counters.getTopicCalls += 1;
      const topic = catalog.topics.get(request.topicName);
      if (!topic) throw statusError(grpc.status.NOT_FOUND, ERROR_CODES.topicNotFound, `Topic ${request.topicName} does not exist or is not enabled for this org.`);
      return {
        topicName: topic.topicName,
        tenantGuid: org.orgId,
        canPublish: topic.canPublish,
        canSubscribe: topic.canSubscribe,
        schemaId: topic.schemaId,
        rpcId: randomUUID(),
      };
    }),
    Publish: unary<PublishRequest, PublishResponse>((request) => {
      counters.publishCalls += 1;
      const topic = catalog.topics.get(request.topicName);
      if (!topic) throw statusError(grpc.status.NOT_FOUND, ERROR_CODES.topicNotFound, `Topic ${request.topicName} does not exist or is not enabled for this org.`);
      if (!topic.canPublish) throw statusError(grpc.status.PERMISSION_DENIED, ERROR_CODES.topicPermission, `No permission to publish to ${request.topicName}.`);
      // Like Pub/Sub, the payload is not validated against the schema: a bad one publishes and breaks subscribers.
      const results = request.events.map((event) => {
        const correlationKey = event.id || randomUUID();
        if (event.payload.length > 1_048_576) {
          return { replayId: Buffer.alloc(0), error: { code: 'PUBLISH' as const, msg: 'The event exceeds the maximum size of 1 MB.' }, correlationKey };
        }
        const entry = log.append({ id: correlationKey, schemaId: event.schemaId || topic.schemaId, payload: event.payload, headers: event.headers ?? [] }, [topic.topicName]);
        counters.eventsPublished += 1;
        return { replayId: entry.replayId, error: null, correlationKey };
      });
      return { results, schemaId: topic.schemaId, rpcId: randomUUID() };
    }),
    PublishStream: (call: grpc.ServerDuplexStream<unknown, unknown>) => {
      call.emit('error', { code: grpc.status.UNIMPLEMENTED, details: 'PublishStream is not simulated; use Publish.' });
    },
    ManagedSubscribe: (call: grpc.ServerDuplexStream<unknown, unknown>) => {
      call.emit('error', { code: grpc.status.UNIMPLEMENTED, details: 'ManagedSubscribe (beta) is not simulated.' });
    },
  };

  const server = new grpc.Server();
  server.addService(pubSubServiceConstructor().service, handlers);
  const useTls = options.tls ?? true;
  const certificate = useTls ? await makeLoopbackCertificate() : undefined;
  const credentials = certificate
    ? grpc.ServerCredentials.createSsl(null, [{ cert_chain: Buffer.from(certificate.certPem), private_key: Buffer.from(certificate.keyPem) }], false)
    : grpc.ServerCredentials.createInsecure();
  const host = options.host ?? '127.0.0.1';
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync(`${host}:${options.port ?? 0}`, credentials, (error, boundPort) => (error ? reject(error) : resolve(boundPort)));
  });

  const control: PubSubBusControl = {
    counters: () => ({ ...counters, deliveredByTopic: { ...counters.deliveredByTopic }, activeStreams: sessions.size }),
    resetCounters: () => {
      const fresh = freshCounters();
      Object.assign(counters, fresh);
    },
    emitGap: (entityName, recordIds, changeType = 'GAP_UPDATE') => feed.gap(entityName, changeType, recordIds),
    emitOverflow: (entityName) => feed.gap(entityName, 'GAP_OVERFLOW'),
    dropStreams: (topic) => {
      const targets = [...sessions].filter((session) => topic === undefined || session.topic === topic);
      for (const session of targets) session.drop();
      return targets.length;
    },
    dropNextStreamAfter: (events, topic) => {
      if (!Number.isInteger(events) || events < 0) throw new RangeError(`events must be a whole number >= 0, got ${events}`);
      dropBudgets.push({ topic, events });
    },
    setKeepaliveInterval: (ms) => {
      if (!(ms > 0)) throw new RangeError(`keepalive interval must be > 0 ms, got ${ms}`);
      keepaliveIntervalMs = ms;
    },
    setRetention: (ms) => {
      if (!(ms > 0)) throw new RangeError(`retention must be > 0 ms, got ${ms}`);
      log.retentionMs = ms;
    },
  };

  let controlServer: ControlServer | undefined;
  if (options.controlPort !== false) controlServer = await startControlServer(control, host, options.controlPort ?? 0);

  const endpoint = `${host}:${port}`;
  const topics = [...catalog.topics.keys()];
  return {
    endpoint,
    host,
    port,
    tls: useTls,
    caCertificatePem: certificate?.certPem,
    serverName: certificate ? LOOPBACK_SERVER_NAME : undefined,
    topics,
    controlUrl: controlServer?.url,
    control,
    describe: () => ({
      endpoint,
      tls: useTls,
      ...(certificate ? { caCertificatePem: certificate.certPem, serverName: LOOPBACK_SERVER_NAME } : {}),
      topics,
      ...(controlServer ? { controlUrl: controlServer.url } : {}),
    }),
    close: async () => {
      org.events.off('change', onChange);
      org.events.off('platformEvent', onPlatformEvent);
      for (const session of [...sessions]) session.end();
      await controlServer?.close();
      await new Promise<void>((resolve) => {
        server.tryShutdown(() => resolve());
        setTimeout(() => {
          server.forceShutdown();
          resolve();
        }, 2000).unref();
      });
    },
  };
}
