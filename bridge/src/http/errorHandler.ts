import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { toErrorBody, ValidationError } from '../errors.js';

/**
 * One place where errors become answers: request validation → 400 naming each field, known
 * BridgeErrors → their own status and code, anything else → a 5xx with no internal text (the
 * full error goes to the log, whose redaction keeps secrets out).
 */
export function installErrorHandling(fastify: FastifyInstance): void {
  fastify.setErrorHandler((error: FastifyError, request, reply) => {
    if (hasZodFastifySchemaValidationErrors(error)) {
      const problems = error.validation.map((issue) => {
        const where = `${error.validationContext ?? 'request'}${issue.instancePath ? issue.instancePath.replace(/\//g, '.') : ''}`;
        return `${where}: ${issue.message}`;
      });
      const body = toErrorBody(new ValidationError(`the request is not valid: ${problems.join('; ')}`, { details: { problems } }));
      return reply.code(400).send(body);
    }
    if (isResponseSerializationError(error)) {
      request.log.error({ err: error, route: request.routeOptions.url }, 'response did not match its schema');
      return reply.code(500).send(toErrorBody(error));
    }
    const body = toErrorBody(error);
    if (body.statusCode >= 500) request.log.error({ err: error }, 'request failed');
    else request.log.info({ code: body.code, statusCode: body.statusCode }, 'request refused');
    return reply.code(body.statusCode).send(body);
  });

  fastify.setNotFoundHandler((request, reply) => {
    void reply.code(404).send({
      code: 'BRIDGE_ERR_NOT_FOUND',
      message: `no route ${request.method} ${request.url.split('?')[0]}`,
      statusCode: 404,
      retryable: false,
    });
  });
}

