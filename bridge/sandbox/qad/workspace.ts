import type { DomainRecord } from './model.js';
import { errorsEnvelope, type Reply, type RequestContext } from './http.js';
import type { TenantState } from './state.js';

export interface Workspace {
  domain: DomainRecord;
  entity: string;
}

/**
 * The working domain/entity of a call: the `x-qad-workspace-id: <domain>_<entity>` header (facts
 * §2.3), or `domainCode` (+ `entityCode`) in the query for tenants configured that way.
 */
export function resolveWorkspace(state: TenantState, ctx: RequestContext): Workspace | { reply: Reply } {
  const header = ctx.headers['x-qad-workspace-id'];
  const value = Array.isArray(header) ? header[0] : header;
  let domainCode: string | undefined;
  let entity: string | undefined;
  if (value) {
    const cut = value.indexOf('_');
    if (cut <= 0) return { reply: errorsEnvelope(400, `Invalid workspace id '${value}', expected <domain>_<entity>`, undefined, 'x-qad-workspace-id') };
    domainCode = value.slice(0, cut);
    entity = value.slice(cut + 1);
  } else if (ctx.query.get('domainCode')) {
    domainCode = ctx.query.get('domainCode') ?? undefined;
    entity = ctx.query.get('entityCode') ?? undefined;
  } else {
    return { reply: errorsEnvelope(400, 'No workspace selected: send x-qad-workspace-id', undefined, 'x-qad-workspace-id') };
  }
  const domain = state.domain(domainCode ?? '');
  if (!domain) return { reply: errorsEnvelope(400, `Domain '${domainCode}' does not exist`, undefined, 'x-qad-workspace-id') };
  const chosen = entity ?? domain.entities[0]!;
  if (!domain.entities.includes(chosen)) {
    return { reply: errorsEnvelope(400, `Entity '${chosen}' does not belong to domain '${domain.code}'`, undefined, 'x-qad-workspace-id') };
  }
  return { domain, entity: chosen };
}
