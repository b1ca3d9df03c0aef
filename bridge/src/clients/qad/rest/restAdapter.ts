import { randomUUID } from 'node:crypto';
import type { Logger } from '../../../logger.js';
import type { QadAdapter, QadPage, ReadOptions, SalesOrderWrite } from '../adapter.js';
import type { QadAuth } from '../auth.js';
import { QadConfigError, QadEntityPathMissingError, QadForbiddenError, QadProtocolError, QadValidationError } from '../errors.js';
import { splitKey, toCanonicalFields, toRecord, toTenantFields } from '../mapping.js';
import type { QadListObject, RestObjectProfile, RestProfile } from '../profile.js';
import type { QadTransport } from '../transport.js';
import type { QadRecord, QadWorkspace, SalesOrderInput } from '../types.js';
import { expectSuccess, RestApi } from './api.js';
import { RestSalesOrders } from './salesOrders.js';

export class RestAdapter implements QadAdapter {
  readonly api: RestApi;
  readonly #orders: RestSalesOrders;

  constructor(
    private readonly baseUrl: URL,
    private readonly profile: RestProfile,
    private readonly workspace: QadWorkspace,
    private readonly auth: QadAuth,
    private readonly transport: QadTransport,
    private readonly logger: Logger,
  ) {
    this.api = new RestApi(baseUrl, profile, workspace, auth, transport.send);
    this.#orders = new RestSalesOrders(this.api, profile.objects.salesOrder, workspace, transport);
  }

  async prepare(): Promise<void> {
    await this.auth.discover();
    await this.auth.authorization();
  }

  #object(object: QadListObject): RestObjectProfile {
    const spec = this.profile.objects[object];
    if (!spec) {
      throw new QadConfigError('QAD_ERR_OBJECT_NOT_CONFIGURED', `Profile ${this.profile.name} configures no ${object} object. Fix: add objects.${object} to the profile or stop syncing ${object}s for this connection`);
    }
    return spec;
  }

  hasObject(object: QadListObject): boolean {
    return this.profile.objects[object] !== undefined;
  }

  watermarkSupported(object: QadListObject): boolean {
    return this.#object(object).browse.modifiedDateColumn !== null;
  }

  async verifyEntityPaths(): Promise<void> {
    const wanted: Array<{ object: string; path: string }> = [];
    for (const object of ['customer', 'supplier', 'item', 'contact'] as const) {
      const spec = this.profile.objects[object];
      if (!spec) continue;
      wanted.push({ object, path: spec.entityPath }, { object: `${object} browse`, path: spec.browse.path });
    }
    const so = this.profile.objects.salesOrder;
    wanted.push({ object: 'salesOrder header', path: so.headerPath }, { object: 'salesOrder lines', path: so.lineGridPath }, { object: 'salesOrder fieldChange', path: so.fieldChangePath });
    const unique = wanted.filter((w, i) => wanted.findIndex((o) => o.path === w.path) === i);

    const described = await this.#describedPaths();
    let missing: typeof unique;
    if (described) {
      missing = unique.filter((w) => !described.has(`/${w.path}`));
      if (missing.length > 0) throw new QadEntityPathMissingError(missing, 'api-description');
    } else {
      missing = [];
      for (const w of unique) {
        const answer = await this.api.call({ method: 'GET', path: w.path, query: w.path === so.headerPath ? [['viewUri', so.viewUri]] : [] });
        if (answer.status === 404 && !isJsonErrors(answer.json)) missing.push(w);
        else if (answer.status === 403) throw new QadForbiddenError(`QAD denies the integration user ${w.path} (${w.object}). Fix: grant the role/menu rights for it`);
      }
      if (missing.length > 0) throw new QadEntityPathMissingError(missing, 'probe');
    }
    // Browse ids are not paths, so no API description lists them; one row from each proves it.
    const missingBrowses: Array<{ object: string; path: string }> = [];
    for (const object of ['customer', 'supplier', 'item', 'contact'] as const) {
      const spec = this.profile.objects[object];
      if (!spec) continue;
      const answer = await this.api.call({ method: 'GET', path: spec.browse.path, query: this.#browseQuery(spec, 1, 1, randomUUID(), []) });
      if (answer.status === 404) missingBrowses.push({ object: `${object} browse`, path: `${spec.browse.path}?browseId=${spec.browse.browseId}` });
      else if (answer.status === 403) throw new QadForbiddenError(`QAD denies the integration user the ${object} browse ${spec.browse.browseId}. Fix: grant the role/menu rights for it`);
    }
    if (missingBrowses.length > 0) throw new QadEntityPathMissingError(missingBrowses, 'probe');
  }

  async #describedPaths(): Promise<Set<string> | null> {
    if (this.profile.apiDescriptionPath === null) return null;
    const res = await this.transport.send({ method: 'GET', url: this.api.url(this.profile.apiDescriptionPath), headers: { accept: 'application/json' } });
    if (res.status !== 200) {
      this.logger.info({ status: res.status }, 'tenant serves no API description; probing entity paths instead');
      return null;
    }
    try {
      const doc = JSON.parse(res.text) as { paths?: Record<string, unknown> };
      return doc.paths && typeof doc.paths === 'object' ? new Set(Object.keys(doc.paths).map((p) => `/${p.replace(/^\/+/, '')}`)) : null;
    } catch {
      return null;
    }
  }

  #substitute(value: string): string {
    return value.replace('{domain}', this.workspace.domain).replace('{entity}', this.workspace.entity).replace('{sharedSet}', this.workspace.sharedSet);
  }

  #browseQuery(spec: RestObjectProfile, page: number, pageSize: number, callId: string, filters: string[]): Array<[string, string]> {
    const b = spec.browse;
    const suffix = b.literalSuffix ? ',literal' : ',';
    const query: Array<[string, string]> = [
      ['browseId', b.browseId],
      ['page', String(page)],
      ['pageSize', String(pageSize)],
      ['pageAction', page === 1 ? b.firstPageAction : b.nextPageAction],
      ['callId', callId],
    ];
    for (const f of b.scopeFilters) query.push(['filter', `${f.column},${f.op},${this.#substitute(f.value)}${suffix}`]);
    for (const f of filters) query.push(['filter', `${f}${suffix}`]);
    return query;
  }

  async *readPages(object: QadListObject, options: ReadOptions): AsyncGenerator<QadPage> {
    const spec = this.#object(object);
    const b = spec.browse;
    const filters = options.since && b.modifiedDateColumn ? [`${b.modifiedDateColumn},${b.watermarkOperator},${options.since}`] : [];
    const callId = randomUUID();
    // A browse pages by number, so rows deleted meanwhile shift later rows back: a resumed read
    // starts again at the last page it finished, one page of overlap that a few deletions cannot
    // jump (rows read twice are merged by the job queue).
    const resumed = Number(options.resumeAfter ?? 0);
    const first = Number.isInteger(resumed) && resumed > 0 ? resumed : 1;
    for (let page = first; ; page += 1) {
      const answer = await this.api.call({ method: 'GET', path: b.path, query: this.#browseQuery(spec, page, b.pageSize, callId, filters) });
      const data = expectSuccess(answer, `the ${object} browse ${b.browseId} (page ${page})`, b.columns);
      const body = answer.json as { auxillaryData?: { HasMoreParams?: unknown } };
      if (!Array.isArray(data)) throw new QadProtocolError(`QAD browse ${b.browseId} answered without a data array`);
      const records = (data as Array<Record<string, unknown>>).map((row) => toRecord(object, toCanonicalFields(b.columns, row), this.workspace, this.profile.singleDomain));
      if (records.length > 0) yield { records, position: String(page) };
      // HasMoreParams is a string in the wild ("true"/"false"); accept a boolean too.
      const more = String(body.auxillaryData?.HasMoreParams ?? 'false') === 'true';
      if (!more || records.length === 0) return;
    }
  }

  #keyQuery(object: QadListObject, spec: RestObjectProfile, key: string): Array<[string, string]> {
    const { scope, code } = splitKey(object, key, this.workspace);
    const canonicalParts: Record<string, string> = { sharedSet: scope, domain: scope, code, itemCode: code, contactId: key };
    return spec.recordKeys.map((tenantKey) => {
      const canonical = spec.fields[tenantKey];
      const value = canonical ? canonicalParts[canonical] : undefined;
      if (value === undefined) throw new QadConfigError('QAD_ERR_PROFILE_INVALID', `Profile ${this.profile.name}: record key ${tenantKey} of ${object} maps to no key field. Fix: map it in objects.${object}.fields`);
      return [tenantKey, value] as [string, string];
    });
  }

  async #readRaw(object: QadListObject, key: string): Promise<Record<string, unknown> | null> {
    const spec = this.#object(object);
    const answer = await this.api.call({ method: 'GET', path: spec.entityPath, query: [...this.#keyQuery(object, spec, key), ['viewUri', spec.viewUri]] });
    const data = expectSuccess(answer, `reading ${object} ${key}`, spec.fields) as Record<string, unknown> | unknown[] | undefined;
    // Some tenants answer the array at top level (facts §2.5).
    const list = Array.isArray(data) ? data : ((data as Record<string, unknown> | undefined)?.[spec.plural] ?? (answer.json as Record<string, unknown>)[spec.plural]);
    const row = Array.isArray(list) ? (list[0] as Record<string, unknown> | undefined) : undefined;
    return row ?? null;
  }

  async getRecord(object: QadListObject, key: string): Promise<QadRecord | null> {
    const row = await this.#readRaw(object, key);
    return row ? toRecord(object, toCanonicalFields(this.#object(object).fields, row), this.workspace, this.profile.singleDomain) : null;
  }

  async updateParty(object: 'customer' | 'supplier', key: string, fields: Record<string, unknown>): Promise<QadRecord> {
    const spec = this.#object(object);
    const patch = toTenantFields(spec.fields, fields);
    for (let attempt = 0; ; attempt += 1) {
      const current = await this.#readRaw(object, key);
      if (!current) throw new QadValidationError(`QAD has no ${object} ${key}. Fix: check the key, or create the ${object} in QAD first`, [], 'QAD_ERR_NOT_FOUND');
      const record = { ...current, ...patch, dataOperation: 'U' };
      const answer = await this.api.call({
        method: 'POST',
        path: spec.entityPath,
        query: [...this.#keyQuery(object, spec, key), ['viewUri', spec.viewUri]],
        body: { supplementaryMessages: [], [spec.plural]: [record] },
      });
      try {
        expectSuccess(answer, `the update of ${object} ${key}`, spec.fields);
      } catch (error) {
        // Someone changed the record between our read and write: read again and reapply once.
        const stale = error instanceof QadValidationError && error.fieldErrors.some((e) => e.tenantField.toLowerCase() === 'concurrencyhash');
        if (stale && attempt === 0) continue;
        throw error;
      }
      const after = await this.getRecord(object, key);
      if (!after) throw new QadProtocolError(`QAD accepted the update of ${object} ${key} but the record cannot be read back`);
      return after;
    }
  }

  getSalesOrder(orderNumber: string): Promise<QadRecord | null> {
    return this.#orders.read(orderNumber);
  }

  writeSalesOrder(input: SalesOrderInput, orderNumber: string): Promise<SalesOrderWrite> {
    return this.#orders.write(input, orderNumber);
  }

  async close(): Promise<void> {
    await this.transport.close();
  }
}

function isJsonErrors(json: unknown): boolean {
  return !!json && typeof json === 'object' && Array.isArray((json as { errors?: unknown }).errors);
}
