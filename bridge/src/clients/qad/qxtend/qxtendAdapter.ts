import type { Logger } from '../../../logger.js';
import type { QadAdapter, QadPage, ReadOptions, SalesOrderWrite } from '../adapter.js';
import { QadConfigError, QadEntityPathMissingError, QadProtocolError, QadSoapFaultError, QadValidationError } from '../errors.js';
import { splitKey, toCanonicalFields, toRecord, toTenantFields, toWireDate } from '../mapping.js';
import type { QadListObject, QxtendObjectProfile, QxtendProfile, QxtendQueryProfile } from '../profile.js';
import type { QadTransport, Send } from '../transport.js';
import type { QadRecord, QadWorkspace, SalesOrderInput } from '../types.js';
import { ablString, fieldOfColumn, type QxtendCaller } from './soap.js';

/**
 * QXtend flavour: reads through the Query Service (no paging parameter exists, only MaxRows, so
 * pages are keyset slices on the primary key), writes through maintain QDocs.
 */
export class QxtendAdapter implements QadAdapter {
  constructor(
    private readonly profile: QxtendProfile,
    private readonly workspace: QadWorkspace,
    private readonly caller: QxtendCaller,
    private readonly transport: QadTransport,
    private readonly logger: Logger,
  ) {}

  async prepare(): Promise<void> {
    // Credentials travel in every envelope's session context; verifyEntityPaths is the first real call.
  }

  #object(object: QadListObject): QxtendObjectProfile {
    const spec = this.profile.objects[object];
    if (!spec) {
      throw new QadConfigError('QAD_ERR_OBJECT_NOT_CONFIGURED', `Profile ${this.profile.name} configures no ${object} object. Fix: add objects.${object} with a query profile, or stop syncing ${object}s for this connection`);
    }
    return spec;
  }

  hasObject(object: QadListObject): boolean {
    return this.profile.objects[object] !== undefined;
  }

  watermarkSupported(object: QadListObject): boolean {
    return this.#object(object).query.modifiedDateColumn !== null;
  }

  async #query(query: QxtendQueryProfile, filter: string, maxRows: number, extraArrays: string[] = [], send?: Send): Promise<Array<Record<string, unknown>>> {
    const answer = await this.caller.call(
      query.qdoc,
      {
        dsQueryServiceRequest: {
          QueryServiceRequest: {
            SourceApplication: this.profile.qxtend.sourceApplication,
            Profile: query.profile,
            Filter: filter,
            MaxRows: maxRows,
            IgnoreBOFilter: 'false',
            IgnoreBOInnerJoin: 'false',
          },
        },
      },
      { arrays: [query.rowElement, ...extraArrays], idempotent: true, what: `the ${query.profile} query`, ...(send ? { send } : {}) },
    );
    const response = answer.body.dsQueryServiceResponse as Record<string, unknown> | undefined | '';
    const rows = response ? (response as Record<string, unknown>)[query.rowElement] : [];
    return Array.isArray(rows) ? (rows as Array<Record<string, unknown>>) : [];
  }

  async verifyEntityPaths(): Promise<void> {
    const missing: Array<{ object: string; path: string }> = [];
    const queries: Array<[string, QxtendQueryProfile]> = [];
    for (const object of ['customer', 'supplier', 'item', 'contact'] as const) {
      const spec = this.profile.objects[object];
      if (spec) queries.push([object, spec.query]);
    }
    queries.push(['salesOrder', this.profile.objects.salesOrder.query]);
    for (const [object, query] of queries) {
      try {
        await this.#query(query, '', 1);
      } catch (error) {
        const unavailable = error instanceof QadValidationError || (error instanceof QadSoapFaultError && /not enabled|not defined/i.test(error.message));
        if (!unavailable) throw error;
        missing.push({ object, path: `${query.qdoc} (query profile ${query.profile})` });
      }
    }
    if (missing.length > 0) throw new QadEntityPathMissingError(missing, 'probe');
    this.logger.debug({ queries: queries.length }, 'QXtend query profiles answer');
  }

  #filter(query: QxtendQueryProfile, clauses: string[]): string {
    return [query.scopeFilter, ...clauses].filter((c): c is string => !!c && c.trim() !== '').join(' and ');
  }

  #toRecord(object: QadListObject, spec: QxtendObjectProfile, row: Record<string, unknown>): QadRecord {
    return toRecord(object, toCanonicalFields(spec.fields, row), this.workspace, this.profile.singleDomain);
  }

  async *readPages(object: QadListObject, options: ReadOptions): AsyncGenerator<QadPage> {
    const spec = this.#object(object);
    const q = spec.query;
    const keyField = fieldOfColumn(q.keyColumn);
    const since = options.since && q.modifiedDateColumn ? [`${q.modifiedDateColumn} >= ${ablString(options.since.slice(0, 10))}`] : [];
    // keyset pages are stable under inserts and deletes, so a resumed read goes on right after the last key
    let last: string | null = options.resumeAfter ?? null;
    for (;;) {
      const clauses = [...since, ...(last === null ? [] : [`${q.keyColumn} > ${ablString(last)}`])];
      const rows = await this.#query(q, this.#filter(q, clauses), q.maxRows);
      const next = String(rows[rows.length - 1]?.[keyField] ?? '');
      if (rows.length > 0) yield { records: rows.map((row) => this.#toRecord(object, spec, row)), position: next };
      if (rows.length < q.maxRows) return;
      if (next === '' || next === last) throw new QadProtocolError(`QXtend ${q.profile} rows carry no ${keyField}; keyset paging needs it. Fix: set query.keyColumn to the primary key column`);
      last = next;
    }
  }

  async getRecord(object: QadListObject, key: string): Promise<QadRecord | null> {
    const spec = this.#object(object);
    const { code } = splitKey(object, key, this.workspace);
    const rows = await this.#query(spec.query, this.#filter(spec.query, [`${spec.query.keyColumn} = ${ablString(code)}`]), 1);
    return rows[0] ? this.#toRecord(object, spec, rows[0]) : null;
  }

  async updateParty(object: 'customer' | 'supplier', key: string, fields: Record<string, unknown>): Promise<QadRecord> {
    const spec = this.#object(object);
    if (!spec.maintain) throw new QadConfigError('QAD_ERR_OBJECT_NOT_CONFIGURED', `Profile ${this.profile.name} names no maintain QDoc for ${object}. Fix: set objects.${object}.maintain`);
    const { code } = splitKey(object, key, this.workspace);
    const patch = toTenantFields(spec.fields, fields);
    const record = { operation: 'M', [fieldOfColumn(spec.query.keyColumn)]: code, ...patch };
    await this.caller.call(spec.maintain.qdoc, { [spec.maintain.dataset]: { [spec.maintain.record]: record } }, { what: `the update of ${object} ${key}`, fieldMap: spec.fields });
    const after = await this.getRecord(object, key);
    if (!after) throw new QadProtocolError(`QXtend accepted the update of ${object} ${key} but the record cannot be read back`);
    return after;
  }

  async #readOrder(orderNumber: string, send?: Send): Promise<Record<string, unknown> | null> {
    const so = this.profile.objects.salesOrder;
    const rows = await this.#query(so.query, this.#filter(so.query, [`${so.query.keyColumn} = ${ablString(orderNumber)}`]), 1, [so.lineElement], send);
    return rows[0] ?? null;
  }

  #orderRecord(row: Record<string, unknown>): QadRecord {
    const so = this.profile.objects.salesOrder;
    const fields = toCanonicalFields(so.headerFields, row);
    fields.domain = this.workspace.domain;
    const lines = Array.isArray(row[so.lineElement]) ? (row[so.lineElement] as Array<Record<string, unknown>>) : [];
    fields.lines = lines.map((l) => toCanonicalFields(so.lineFields, l));
    return { object: 'salesOrder', key: String(fields.orderNumber), fields };
  }

  async getSalesOrder(orderNumber: string): Promise<QadRecord | null> {
    const row = await this.#readOrder(orderNumber);
    return row ? this.#orderRecord(row) : null;
  }

  writeSalesOrder(input: SalesOrderInput, orderNumber: string): Promise<SalesOrderWrite> {
    return this.transport.exclusive(async (send) => {
      const so = this.profile.objects.salesOrder;
      const existing = await this.#readOrder(orderNumber, send);
      const present = new Map<number, Record<string, unknown>>();
      if (existing) {
        const record = this.#orderRecord(existing);
        if (record.fields.customerCode !== input.customerCode) {
          throw new QadValidationError(
            `QAD sales order ${orderNumber} already exists for customer ${String(record.fields.customerCode)}, not ${input.customerCode}. Fix: change numberPrefix in the profile so Salesforce orders get numbers of their own`,
            [{ canonicalField: 'orderNumber', tenantField: 'soNbr', message: 'number taken by another order', code: 'ORDER_CONFLICT', value: orderNumber }],
            'QAD_ERR_ORDER_CONFLICT',
          );
        }
        for (const line of record.fields.lines as Array<Record<string, unknown>>) present.set(Number(line.line), line);
      }
      const missing = input.lines.filter((l) => !present.has(l.line)).sort((a, b) => a.line - b.line);
      if (existing && missing.length === 0) return { headerCreated: false, linesCreated: [] };
      const header = existing
        ? { operation: 'M', ...toTenantFields(so.headerFields, { orderNumber }) }
        : {
            operation: 'A',
            ...toTenantFields(so.headerFields, {
              orderNumber,
              customerCode: input.customerCode,
              poNumber: input.poNumber ?? '',
              orderDate: toWireDate(input.orderDate, so.dateFormat),
              dueDate: toWireDate(input.dueDate, so.dateFormat),
              currency: input.currency,
            }),
            ...so.headerDefaults,
          };
      const details = missing.map((l) => ({
        operation: 'A',
        ...toTenantFields(so.lineFields, {
          line: l.line,
          itemCode: l.itemCode,
          site: l.site ?? so.defaultSite ?? undefined,
          quantity: l.quantity,
          unitPrice: l.unitPrice,
          dueDate: toWireDate(l.dueDate ?? input.dueDate, so.dateFormat),
        }),
      }));
      const fieldMap = { ...so.headerFields, ...so.lineFields };
      await this.caller.call(so.qdoc, { [so.dataset]: { [so.record]: { ...header, [so.lineRecord]: details } } }, { what: `sales order ${orderNumber}`, fieldMap, send });
      return { headerCreated: !existing, linesCreated: missing.map((l) => l.line) };
    });
  }

  async close(): Promise<void> {
    await this.transport.close();
  }
}
