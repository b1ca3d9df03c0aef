import { SalesforceApiError } from '../errors.js';
import type { FaultRule } from '../faults.js';
import { json, noContent, type OrgRequest, type Route } from '../http.js';
import type { SimulatedOrg } from '../org.js';

/**
 * The control surface over HTTP (`/__sandbox/...`, no OAuth) so that a sandbox running in another
 * process (the CLI, the demo, a crash test) can be seeded, faulted, counted and inspected.
 */
const C = '/__sandbox';

function body(r: OrgRequest): Record<string, unknown> {
  const value = r.body.length === 0 ? {} : r.json();
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new SalesforceApiError(400, 'JSON_PARSER_ERROR', 'send a JSON object');
  return value as Record<string, unknown>;
}

function records(r: OrgRequest): { records: Array<Record<string, unknown>>; changeOrigin?: string } {
  const b = body(r);
  if (!Array.isArray(b.records)) throw new SalesforceApiError(400, 'JSON_PARSER_ERROR', 'send {"records": [...], "changeOrigin"?: "..."}');
  return { records: b.records as Array<Record<string, unknown>>, ...(typeof b.changeOrigin === 'string' ? { changeOrigin: b.changeOrigin } : {}) };
}

export function controlRoutes(org: SimulatedOrg): Route[] {
  const route = (method: string, path: string, handler: Route['handler']): Route => ({ method, pattern: new RegExp(`^${C}${path}/?$`), kind: 'control', handler });
  return [
    route('GET', '/description', () => json(200, org.description)),
    route('POST', '/seed', (r) => json(200, org.seed(body(r)))),
    route('GET', '/faults', () => json(200, org.control.faults())),
    route('POST', '/faults', (r) => {
      const b = body(r);
      const rules = Array.isArray(b.rules) ? (b.rules as FaultRule[]) : [b as unknown as FaultRule];
      for (const rule of rules) org.control.addFault(rule);
      return json(200, org.control.faults());
    }),
    route('DELETE', '/faults', () => {
      org.control.clearFaults();
      return noContent();
    }),
    route('GET', '/counters', () => json(200, org.control.counters())),
    route('DELETE', '/counters', () => {
      org.control.resetCounters();
      return noContent();
    }),
    route('POST', '/tokens/expire', () => json(200, { expired: org.control.expireTokens() })),
    route('GET', '/limits', () => json(200, org.control.apiUsage())),
    route('POST', '/limits', (r) => {
      const b = body(r);
      return json(200, org.control.setDailyAllowance({
        ...(typeof b.max === 'number' ? { max: b.max } : {}),
        ...(typeof b.used === 'number' ? { used: b.used } : {}),
      }));
    }),
    route('GET', '/clock', () => json(200, { now: org.clock.now() })),
    route('POST', '/clock/advance', (r) => {
      const ms = body(r).ms;
      if (typeof ms !== 'number' || ms < 0) throw new SalesforceApiError(400, 'INVALID_ARGUMENT', 'send {"ms": <non-negative number>}');
      return json(200, { now: org.control.advanceClock(ms) });
    }),
    route('GET', '/query', (r) => {
      const q = r.query.get('q');
      if (!q) throw new SalesforceApiError(400, 'MALFORMED_QUERY', 'the q parameter is missing');
      const rows = org.control.query(q, { all: r.query.get('all') === 'true' });
      return json(200, { totalSize: rows.length, done: true, records: rows });
    }),
    route('POST', '/records/(\\w+)', (r) => {
      const { records: list, changeOrigin } = records(r);
      return json(201, { ids: org.control.insert(r.params[0] as string, list, changeOrigin ? { changeOrigin } : {}) });
    }),
    route('PATCH', '/records/(\\w+)', (r) => {
      const { records: list, changeOrigin } = records(r);
      org.control.update(r.params[0] as string, list, changeOrigin ? { changeOrigin } : {});
      return noContent();
    }),
    route('PATCH', '/records/(\\w+)/(\\w+)', (r) => {
      const { records: list, changeOrigin } = records(r);
      return json(200, org.control.upsert(r.params[0] as string, r.params[1] as string, list, changeOrigin ? { changeOrigin } : {}));
    }),
    route('DELETE', '/records/(\\w+)', (r) => {
      const ids = (r.query.get('ids') ?? '').split(',').filter(Boolean);
      org.control.delete(r.params[0] as string, ids);
      return noContent();
    }),
    route('POST', '/bulk/idle', async () => {
      await org.control.bulkIdle();
      return noContent();
    }),
  ];
}
