import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { NotFoundError } from '../../errors.js';
import type { AuditStatus } from '../../store/index.js';
import { auditEventSchema, auditPageSchema, auditParamsSchema, auditQuerySchema, errorBodySchema, protectedErrors, replayBodySchema, replayOutcomeSchema } from '../schemas.js';

/** Search of the local audit trail (the full history; Salesforce holds the mirrored part) and replay. */
const auditRoutes: FastifyPluginAsyncZod = async (fastify) => {
  const security = [{ bearerAuth: [] }];

  fastify.get(
    '/audit',
    { schema: { tags: ['audit'], summary: 'Search audit events, newest first, paged', security, querystring: auditQuerySchema, response: { 200: auditPageSchema, ...protectedErrors } } },
    async (request) => {
      const { status, ...rest } = request.query;
      return fastify.store.audit.search({ ...rest, ...(status ? { status: status as AuditStatus } : {}) });
    },
  );

  fastify.get(
    '/audit/:eventId',
    { schema: { tags: ['audit'], summary: 'One audit event by its Bridge_Event_Id__c', security, params: auditParamsSchema, response: { 200: auditEventSchema, 404: errorBodySchema, ...protectedErrors } } },
    async (request) => {
      const event = await fastify.store.audit.get(request.params.eventId);
      if (!event) throw new NotFoundError('audit event', request.params.eventId);
      return event;
    },
  );

  fastify.post(
    '/audit/:eventId/replay',
    {
      schema: {
        tags: ['audit'],
        summary: 'Replay an audited attempt: re-read the source, run the current mapping, record a new attempt linked to this one',
        security,
        params: auditParamsSchema,
        body: replayBodySchema,
        response: { 202: replayOutcomeSchema, 404: errorBodySchema, 409: errorBodySchema, ...protectedErrors },
      },
    },
    async (request, reply) => {
      const event = await fastify.store.audit.get(request.params.eventId);
      if (!event) throw new NotFoundError('audit event', request.params.eventId);
      const outcome = await fastify.engine.replay(event.eventId, request.body?.requestedBy ?? 'admin-api');
      return reply.code(202).send(outcome);
    },
  );
};

export default auditRoutes;
