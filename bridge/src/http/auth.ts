import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { toErrorBody, UnauthorizedError } from '../errors.js';

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/**
 * A preHandler-style hook for the /v1 routes. Both sides are hashed first so the comparison is
 * constant-time and does not leak the token's length either.
 */
export function bearerAuth(expectedToken: string) {
  if (expectedToken.length < 16) {
    throw new UnauthorizedError('the API token must be at least 16 characters; set ML_CONNECTOR_API_TOKEN to a long random value', { statusCode: 500 });
  }
  const expected = digest(expectedToken);
  return async function checkBearer(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const header = request.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    const presented = match?.[1];
    if (presented !== undefined && timingSafeEqual(digest(presented), expected)) return;
    const error = new UnauthorizedError(presented === undefined ? 'send "Authorization: Bearer <token>"' : 'the bearer token is not valid');
    await reply.code(401).header('www-authenticate', 'Bearer realm="ml-connector"').send(toErrorBody(error));
  };
}
