import { isIP } from 'node:net';
import * as grpc from '@grpc/grpc-js';
import { parseEventSchema, type EventSchema } from './decoder.js';
import { fromGrpcError, PubSubConfigError } from './errors.js';
import { pubSubServiceConstructor, type PubSubStub, type SchemaInfo } from './proto.js';
import type { PubSubAuth } from './types.js';

export interface PubSubTls {
  caCertificatePem?: string;
  /** the name the server's certificate is issued to, when the endpoint is an IP address */
  serverName?: string;
}

function isLoopback(address: string): boolean {
  return address === '::1' || address.startsWith('127.');
}

/**
 * The name sent as SNI and checked against the certificate. gRPC would send the endpoint's host,
 * but a TLS server name may not be an IP address (RFC 6066; Node warns DEP0123), so an IP endpoint
 * needs a name: the one given, or `localhost` on loopback (what the sandbox's certificate names).
 */
export function tlsServerName(endpoint: string, tls: PubSubTls): string | undefined {
  const host = endpoint.slice(0, endpoint.lastIndexOf(':')).replace(/^\[|\]$/g, '');
  if (!isIP(host)) return tls.serverName;
  if (tls.serverName) return tls.serverName;
  if (isLoopback(host)) return 'localhost';
  throw new PubSubConfigError(`endpoint "${endpoint}" is an IP address: set tls.serverName to the host name its certificate is issued to (Salesforce: use api.pubsub.salesforce.com, its IPs change)`);
}

/**
 * The gRPC channel to Pub/Sub, the per-call auth metadata and the schema cache. Schemas are cached
 * by id for the life of the connection (an id names one immutable schema).
 */
export class PubSubConnection {
  readonly stub: PubSubStub;
  readonly #schemas = new Map<string, Promise<EventSchema>>();

  constructor(
    endpoint: string,
    tls: PubSubTls | false,
    private readonly auth: PubSubAuth,
  ) {
    const credentials =
      tls === false ? grpc.credentials.createInsecure() : grpc.credentials.createSsl(tls.caCertificatePem ? Buffer.from(tls.caCertificatePem) : null);
    const serverName = tls === false ? undefined : tlsServerName(endpoint, tls);
    const Client = pubSubServiceConstructor();
    this.stub = new Client(endpoint, credentials, {
      'grpc.max_receive_message_length': 16 * 1024 * 1024,
      'grpc.keepalive_time_ms': 60_000,
      ...(serverName ? { 'grpc.ssl_target_name_override': serverName } : {}),
    }) as unknown as PubSubStub;
  }

  async metadata(): Promise<grpc.Metadata> {
    const token = await this.auth.getAccessToken();
    const metadata = new grpc.Metadata();
    metadata.set('accesstoken', token);
    metadata.set('instanceurl', this.auth.identity.instanceUrl);
    metadata.set('tenantid', this.auth.identity.orgId);
    return metadata;
  }

  schema(schemaId: string): Promise<EventSchema> {
    let cached = this.#schemas.get(schemaId);
    if (!cached) {
      cached = this.metadata().then(
        (metadata) =>
          new Promise<EventSchema>((resolve, reject) => {
            this.stub.GetSchema({ schemaId }, metadata, (error, info?: SchemaInfo) => {
              if (error || !info) reject(fromGrpcError(error, `GetSchema ${schemaId}`));
              else {
                try {
                  resolve(parseEventSchema(schemaId, info.schemaJson));
                } catch (parseError) {
                  reject(parseError);
                }
              }
            });
          }),
      );
      // A failed fetch is not cached, so the next event tries again.
      cached.catch(() => this.#schemas.delete(schemaId));
      this.#schemas.set(schemaId, cached);
    }
    return cached;
  }

  close(): void {
    this.stub.close();
  }
}
