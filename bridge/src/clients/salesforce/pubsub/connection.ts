import * as grpc from '@grpc/grpc-js';
import { parseEventSchema, type EventSchema } from './decoder.js';
import { fromGrpcError } from './errors.js';
import { pubSubServiceConstructor, type PubSubStub, type SchemaInfo } from './proto.js';
import type { PubSubAuth } from './types.js';

/**
 * The gRPC channel to Pub/Sub, the per-call auth metadata and the schema cache. Schemas are cached
 * by id for the life of the connection (an id names one immutable schema).
 */
export class PubSubConnection {
  readonly stub: PubSubStub;
  readonly #schemas = new Map<string, Promise<EventSchema>>();

  constructor(
    endpoint: string,
    tls: { caCertificatePem?: string } | false,
    private readonly auth: PubSubAuth,
  ) {
    const credentials =
      tls === false ? grpc.credentials.createInsecure() : grpc.credentials.createSsl(tls.caCertificatePem ? Buffer.from(tls.caCertificatePem) : null);
    const Client = pubSubServiceConstructor();
    this.stub = new Client(endpoint, credentials, {
      'grpc.max_receive_message_length': 16 * 1024 * 1024,
      'grpc.keepalive_time_ms': 60_000,
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
