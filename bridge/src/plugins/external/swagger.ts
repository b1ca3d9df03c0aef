import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import fp from 'fastify-plugin';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';

/**
 * OpenAPI generated from the routes' zod schemas (one source of truth), served at /docs (UI) and
 * /docs/json. Registered before the routes so every route is collected.
 */
export default fp<{ version?: string }>(
  async (fastify, options) => {
    await fastify.register(fastifySwagger, {
      openapi: {
        openapi: '3.0.3',
        info: {
          title: 'ml-connector bridge',
          description: 'Admin API of the QAD ↔ Salesforce bridge: health, readiness, connections, audit search and replay.',
          version: options.version ?? '0.1.0',
        },
        components: {
          securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer' } },
        },
      },
      transform: jsonSchemaTransform,
    });
    await fastify.register(fastifySwaggerUi, { routePrefix: '/docs' });
  },
  { name: 'external-swagger' },
);
