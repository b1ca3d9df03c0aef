import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { NotFoundError } from '../../errors.js';
import type { ConnectionRecord } from '../../store/index.js';
import type { ConnectionRuntimeStatus } from '../../sync/api.js';
import type { ConnectionStartState } from '../../sync/engine.js';
import { checkNewConnection, type ConnectionPolicyOptions } from '../connectionPolicy.js';
import {
  connectionParamsSchema,
  connectionViewSchema,
  createConnectionBodySchema,
  errorBodySchema,
  protectedErrors,
  streamParamsSchema,
  type ConnectionView,
  type CreateConnectionBody,
} from '../schemas.js';

const SECRET_FIELDS = { salesforce: ['clientSecret'], qad: ['password', 'clientSecret', 'token'] } as const;

/** Splits a create body into the config kept in clear and the secrets to seal, by credential kind. */
function splitSecrets(body: CreateConnectionBody): { config: Record<string, unknown>; secrets: Record<string, string> } {
  const secrets: Record<string, string> = {};
  const salesforce: Record<string, unknown> = { ...body.salesforce };
  const qad: Record<string, unknown> = { ...body.qad };
  for (const key of SECRET_FIELDS.salesforce) {
    if (typeof salesforce[key] === 'string') secrets[`salesforce.${key}`] = salesforce[key] as string;
    delete salesforce[key];
  }
  for (const key of SECRET_FIELDS.qad) {
    if (typeof qad[key] === 'string') secrets[`qad.${key}`] = qad[key] as string;
    delete qad[key];
  }
  // Same shape the composition root stores for connections from the config file: the connection
  // config minus its secrets, so both kinds of connection read back alike.
  return { config: { ...body, salesforce, qad }, secrets };
}

/** What callers see: the stored config with `"set"` where a secret exists, never the secret. */
function toView(record: ConnectionRecord, markers: Record<string, 'set'>, runtime: (ConnectionRuntimeStatus & { start?: ConnectionStartState }) | undefined): ConnectionView {
  const { id: _id, name: _name, salesforce: storedSalesforce, qad: storedQad, ...settings } = record.config as Record<string, unknown>;
  const config = { salesforce: storedSalesforce as Record<string, unknown> | undefined, qad: storedQad as Record<string, unknown> | undefined };
  const salesforce = { ...(config.salesforce ?? {}) } as ConnectionView['salesforce'];
  const qad = { ...(config.qad ?? {}) } as ConnectionView['qad'];
  for (const key of SECRET_FIELDS.salesforce) {
    delete (salesforce as Record<string, unknown>)[key];
    if (markers[`salesforce.${key}`]) salesforce[key] = 'set';
  }
  for (const key of SECRET_FIELDS.qad) {
    delete (qad as Record<string, unknown>)[key];
    if (markers[`qad.${key}`]) qad[key] = 'set';
  }
  return {
    id: record.id,
    name: record.name,
    salesforce,
    qad,
    settings,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    runtime: runtime
      ? {
          running: runtime.running,
          // the sync engine adds how the connection's start stands (SyncEngine.status)
          ...(runtime.start ? { start: runtime.start } : {}),
          streams: runtime.streams,
          lastQadPollAt: runtime.lastQadPollAt,
          cdcPosition: runtime.cdcPosition,
          apiBudget: runtime.apiBudget,
        }
      : null,
  };
}

const connectionRoutes: FastifyPluginAsyncZod<ConnectionPolicyOptions> = async (fastify, options) => {
  const security = [{ bearerAuth: [] }];

  async function requireConnection(id: string): Promise<void> {
    if (!(await fastify.store.connections.get(id))) throw new NotFoundError('connection', id);
  }

  fastify.get(
    '/connections',
    { schema: { tags: ['connections'], summary: 'List connections', security, response: { 200: z.object({ connections: z.array(connectionViewSchema) }), ...protectedErrors } } },
    async () => {
      const records = await fastify.store.connections.list();
      const markers = await fastify.secrets.markers(records.map((record) => record.id));
      const runtimes = new Map((await fastify.engine.status()).map((status) => [status.connectionId, status]));
      return { connections: records.map((record) => toView(record, markers.get(record.id) ?? {}, runtimes.get(record.id))) };
    },
  );

  fastify.post(
    '/connections',
    {
      schema: {
        tags: ['connections'],
        summary: 'Create a connection; its credentials are encrypted before storage and never returned',
        security,
        body: createConnectionBodySchema,
        response: { 201: connectionViewSchema, 409: errorBodySchema, ...protectedErrors },
      },
    },
    async (request, reply) => {
      checkNewConnection(request.body, options);
      const { config, secrets } = splitSecrets(request.body);
      const record = await fastify.store.connections.create({ id: request.body.id, name: request.body.name, config });
      try {
        await fastify.secrets.save(record.id, secrets);
      } catch (error) {
        // Never leave a connection without the credentials it was created with.
        await fastify.store.connections.remove(record.id);
        throw error;
      }
      const markers = await fastify.secrets.markers([record.id]);
      return reply.code(201).send(toView(record, markers.get(record.id) ?? {}, undefined));
    },
  );

  const accepted = z.object({ connectionId: z.string(), stream: z.string(), paused: z.boolean() });
  for (const action of ['pause', 'resume'] as const) {
    fastify.post(
      `/connections/:id/streams/:stream/${action}`,
      {
        schema: {
          tags: ['connections'],
          summary: `${action === 'pause' ? 'Pause' : 'Resume'} one stream of a connection`,
          security,
          params: streamParamsSchema,
          response: { 200: accepted, 404: errorBodySchema, ...protectedErrors },
        },
      },
      async (request) => {
        const { id, stream } = request.params;
        await requireConnection(id);
        if (action === 'pause') await fastify.engine.pauseStream(id, stream);
        else await fastify.engine.resumeStream(id, stream);
        return { connectionId: id, stream, paused: action === 'pause' };
      },
    );
  }

  fastify.post(
    '/connections/:id/run',
    {
      schema: {
        tags: ['connections'],
        summary: 'Run the QAD poll of a connection now',
        security,
        params: connectionParamsSchema,
        response: { 202: z.object({ connectionId: z.string(), accepted: z.literal(true) }), 404: errorBodySchema, ...protectedErrors },
      },
    },
    async (request, reply) => {
      await requireConnection(request.params.id);
      await fastify.engine.runNow(request.params.id);
      return reply.code(202).send({ connectionId: request.params.id, accepted: true as const });
    },
  );
};

export default connectionRoutes;
