import { errorsEnvelope, json, parseJsonBody, submitResult, type Reply, type RequestContext } from './http.js';
import { concurrencyHash, type RestEntity } from './restEntities.js';
import type { TenantState } from './state.js';
import type { Workspace } from './workspace.js';

/**
 * Keyed reads and writes on `api/erp/<plural>` (facts §2.5): `?<keys>&viewUri=` reads answer
 * `{"data":{"<plural>":[...]}}`; POST takes `{"supplementaryMessages":[],"<plural>":[{uri,...,
 * dataOperation,concurrencyHash}]}` and answers HTTP 200 with submitResult either way.
 */

function withIdentity(entity: RestEntity, rest: Record<string, unknown>): Record<string, unknown> {
  const uriKeys = entity.keys.map((k) => String(rest[k])).join('.');
  return { uri: `${entity.viewUri}:${uriKeys}`, ...rest, concurrencyHash: concurrencyHash(rest) };
}

export function handleEntity(state: TenantState, ctx: RequestContext, entity: RestEntity, workspace: Workspace): Reply {
  const viewUri = ctx.query.get('viewUri');
  if (viewUri !== null && viewUri !== entity.viewUri) return errorsEnvelope(400, `Unknown viewUri '${viewUri}'`, 'erpRead', 'viewUri');
  if (ctx.method === 'GET') return read(state, ctx, entity, workspace);
  if (ctx.method === 'POST') return write(state, ctx, entity, workspace);
  return errorsEnvelope(405, `Method ${ctx.method} not allowed`, 'erpRead');
}

function keyValues(entity: RestEntity, source: (k: string) => unknown, workspace: Workspace): Record<string, string> | null {
  const out: Record<string, string> = {};
  for (const key of entity.keys) {
    let value = source(key);
    if ((value === undefined || value === null || value === '') && key === 'domainCode') value = workspace.domain.code;
    if (value === undefined || value === null || value === '') return null;
    out[key] = String(value);
  }
  return out;
}

function read(state: TenantState, ctx: RequestContext, entity: RestEntity, workspace: Workspace): Reply {
  const keys = keyValues(entity, (k) => ctx.query.get(k), workspace);
  // Without keys the component answers an empty list; listing is what browses are for.
  const row = keys ? state[entity.table].get(entity.keyOf(keys)) : undefined;
  const list = row ? [withIdentity(entity, entity.toRest(row))] : [];
  return json(200, { data: { [entity.plural]: list } }, 'erpRead');
}

function write(state: TenantState, ctx: RequestContext, entity: RestEntity, workspace: Workspace): Reply {
  const body = parseJsonBody(ctx) as Record<string, unknown> | undefined;
  const records = body && typeof body === 'object' ? (body as Record<string, unknown>)[entity.plural] : undefined;
  if (!Array.isArray(records) || records.length === 0) {
    return errorsEnvelope(400, `Request body must hold a non-empty "${entity.plural}" array`, 'erpWrite', entity.plural);
  }
  const errors = [];
  const written: Array<Record<string, unknown>> = [];
  for (const record of records as Array<Record<string, unknown>>) {
    const operation = String(record.dataOperation ?? '');
    if (operation === 'U') {
      const keys = keyValues(entity, (k) => ctx.query.get(k) ?? record[k], workspace);
      const row = keys ? state[entity.table].get(entity.keyOf(keys)) : undefined;
      if (!row) {
        errors.push({ fieldName: entity.keys[entity.keys.length - 1]!, message: 'Record does not exist.', code: '1310', value: keys ? Object.values(keys).join('.') : '' });
        continue;
      }
      const current = entity.toRest(row);
      const hash = String(record.concurrencyHash ?? '');
      if (hash !== '' && hash !== concurrencyHash(current)) {
        errors.push({ fieldName: 'concurrencyHash', message: 'The record has been changed by another user. Refresh and try again.', code: '1005', value: hash });
        continue;
      }
      const fieldErrors = entity.apply(row, record, { currencies: new Set(state.domains.map((d) => d.currency)) });
      if (fieldErrors.length > 0) {
        errors.push(...fieldErrors);
        continue;
      }
      (row as { modifiedAt: string }).modifiedAt = state.nowIso();
      state[entity.table].touch();
      written.push(withIdentity(entity, entity.toRest(row)));
    } else {
      errors.push({ fieldName: 'dataOperation', message: `Operation '${operation}' is not supported by this simulated component.`, code: '1001', value: operation });
    }
  }
  return submitResult(errors, errors.length === 0 ? { [entity.plural]: written } : undefined, 'erpWrite');
}
