import type { OrgContext } from '../context.js';
import { callOptionsClient, json, noContent, type Route } from '../http.js';

/** Bulk API 2.0 ingest resources under `/jobs/ingest`. */
const V = String.raw`/services/data/v\d+\.\d/jobs/ingest`;

export function bulkRoutes(ctx: OrgContext): Route[] {
  return [
    { method: 'POST', pattern: new RegExp(`^${V}/?$`), kind: 'bulk-create', handler: (r) => json(200, ctx.bulk.create(r.json(), r.apiVersion, callOptionsClient(r))) },
    { method: 'GET', pattern: new RegExp(`^${V}/?$`), kind: 'bulk-poll', handler: () => json(200, ctx.bulk.list()) },
    {
      method: 'PUT',
      pattern: new RegExp(`^${V}/(\\w+)/batches/?$`),
      kind: 'bulk-upload',
      handler: (r) => {
        ctx.bulk.upload(r.params[0] as string, r.body.toString('utf8'));
        return { status: 201 };
      },
    },
    { method: 'PATCH', pattern: new RegExp(`^${V}/(\\w+)/?$`), kind: 'bulk-close', handler: (r) => json(200, ctx.bulk.close(r.params[0] as string, r.json())) },
    { method: 'GET', pattern: new RegExp(`^${V}/(\\w+)/?$`), kind: 'bulk-poll', handler: (r) => json(200, ctx.bulk.get(r.params[0] as string)) },
    {
      method: 'DELETE',
      pattern: new RegExp(`^${V}/(\\w+)/?$`),
      kind: 'bulk-delete',
      handler: (r) => {
        ctx.bulk.remove(r.params[0] as string);
        return noContent();
      },
    },
    {
      method: 'GET',
      pattern: new RegExp(`^${V}/(\\w+)/(successfulResults|failedResults|unprocessedrecords)/?$`),
      kind: 'bulk-results',
      handler: (r) => ({
        status: 200,
        text: ctx.bulk.results(r.params[0] as string, r.params[1] as 'successfulResults' | 'failedResults' | 'unprocessedrecords'),
        contentType: 'text/csv',
      }),
    },
  ];
}
