import type { OrgContext } from '../context.js';
import { malformedQuery } from '../errors.js';
import { json, type Route } from '../http.js';
import { batchSizeFromHeader } from '../soql/cursors.js';

/** `/query`, `/queryAll` and their `nextRecordsUrl` continuations. */
const V = String.raw`/services/data/v\d+\.\d`;

export function queryRoutes(ctx: OrgContext): Route[] {
  const run = (includeDeleted: boolean): Route['handler'] => (r) => {
    const soql = r.query.get('q');
    if (soql === null) throw malformedQuery('the q parameter with the SOQL query is missing');
    return json(200, ctx.queries.run(soql, includeDeleted, batchSizeFromHeader(r.header('sforce-query-options'))));
  };
  const more: Route['handler'] = (r) => json(200, ctx.queries.more(r.params[0] as string, batchSizeFromHeader(r.header('sforce-query-options'))));
  return [
    { method: 'GET', pattern: new RegExp(`^${V}/query/?$`), kind: 'query', handler: run(false) },
    { method: 'GET', pattern: new RegExp(`^${V}/queryAll/?$`), kind: 'query', handler: run(true) },
    { method: 'GET', pattern: new RegExp(`^${V}/query(?:All)?/([^/]+)/?$`), kind: 'queryMore', handler: more },
  ];
}
