import type { RestEntity } from './restEntities.js';

/**
 * The API description the tenant serves (facts §2.9 calls a Swagger endpoint unconfirmed, so the
 * client treats it as optional): one OpenAPI 3 document listing every entity path this tenant
 * serves, relative to the context root, so connect() can check configured paths against it.
 */
export function openApiDocument(options: { title: string; entities: RestEntity[]; extraPaths: string[]; hidden: Set<string> }): Record<string, unknown> {
  const paths: Record<string, unknown> = {};
  for (const entity of options.entities) {
    if (options.hidden.has(entity.path)) continue;
    paths[`/${entity.path}`] = {
      get: { summary: `Read ${entity.plural} by key`, parameters: [...entity.keys, 'viewUri'].map((name) => ({ name, in: 'query', schema: { type: 'string' } })), responses: { 200: { description: `{"data":{"${entity.plural}":[...]}}` } } },
      post: { summary: `Create or update ${entity.plural}`, responses: { 200: { description: 'submitResult' } } },
    };
  }
  for (const path of options.extraPaths) {
    if (options.hidden.has(path)) continue;
    paths[`/${path}`] = { get: { responses: { 200: { description: 'OK' } } }, post: { responses: { 200: { description: 'submitResult' } } } };
  }
  return { openapi: '3.0.1', info: { title: options.title, version: '2024.1-simulated' }, paths };
}
