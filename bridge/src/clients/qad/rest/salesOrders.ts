import type { SalesOrderWrite } from '../adapter.js';
import { QadProtocolError, QadValidationError } from '../errors.js';
import { canonicalValue, toCanonicalFields, toTenantFields, toWireDate } from '../mapping.js';
import type { RestSalesOrderProfile } from '../profile.js';
import type { QadTransport, Send } from '../transport.js';
import type { QadRecord, QadWorkspace, SalesOrderInput, SalesOrderLineInput } from '../types.js';
import { expectSuccess, type RestApi } from './api.js';

const DATE_FIELDS = new Set(['orderDate', 'dueDate']);

/**
 * The stateful REST order write (facts §2.7), made safe to repeat: every run first reads the header
 * and the committed lines, then creates only what is missing, so an attempt cut off after any step
 * and run again ends with one header and each line once.
 */
export class RestSalesOrders {
  constructor(
    private readonly api: RestApi,
    private readonly spec: RestSalesOrderProfile,
    private readonly workspace: QadWorkspace,
    private readonly transport: QadTransport,
  ) {}

  #headerKeyQuery(orderNumber: string): Array<[string, string]> {
    const values: Record<string, string> = { orderNumber, domain: this.workspace.domain };
    return this.spec.headerKeys.map((k) => [k, values[this.spec.headerFields[k] ?? ''] ?? ''] as [string, string]);
  }

  #lineQuery(orderNumber: string): Array<[string, string]> {
    return this.#headerKeyQuery(orderNumber);
  }

  async #readHeader(orderNumber: string, send: Send): Promise<Record<string, unknown> | null> {
    const answer = await this.api.call({ method: 'GET', path: this.spec.headerPath, query: [...this.#headerKeyQuery(orderNumber), ['viewUri', this.spec.viewUri]] }, send);
    const data = expectSuccess(answer, `reading sales order ${orderNumber}`, this.spec.headerFields) as Record<string, unknown> | undefined;
    const list = data?.[this.spec.headerPlural];
    return Array.isArray(list) && list.length > 0 ? (list[0] as Record<string, unknown>) : null;
  }

  async #readLines(orderNumber: string, send: Send): Promise<Array<Record<string, unknown>>> {
    const answer = await this.api.call({ method: 'GET', path: this.spec.lineGridPath, query: this.#lineQuery(orderNumber) }, send);
    const data = expectSuccess(answer, `reading the lines of sales order ${orderNumber}`, this.spec.lineFields) as Record<string, unknown> | undefined;
    const list = data?.[this.spec.linesPlural];
    return Array.isArray(list) ? (list as Array<Record<string, unknown>>) : [];
  }

  #toRecord(header: Record<string, unknown>, lines: Array<Record<string, unknown>>): QadRecord {
    const fields = toCanonicalFields(this.spec.headerFields, header);
    for (const d of DATE_FIELDS) if (typeof fields[d] === 'string') fields[d] = (fields[d] as string).slice(0, 10);
    if (fields.domain == null) fields.domain = this.workspace.domain;
    fields.lines = lines.map((raw) => {
      const line = toCanonicalFields(this.spec.lineFields, raw);
      if (typeof line.dueDate === 'string') line.dueDate = line.dueDate.slice(0, 10);
      return line;
    });
    return { object: 'salesOrder', key: String(fields.orderNumber), fields };
  }

  async read(orderNumber: string): Promise<QadRecord | null> {
    const header = await this.#readHeader(orderNumber, this.transport.send);
    if (!header) return null;
    return this.#toRecord(header, await this.#readLines(orderNumber, this.transport.send));
  }

  write(input: SalesOrderInput, orderNumber: string): Promise<SalesOrderWrite> {
    return this.transport.exclusive((send) => this.#write(input, orderNumber, send));
  }

  async #write(input: SalesOrderInput, orderNumber: string, send: Send): Promise<SalesOrderWrite> {
    let headerCreated = false;
    let header = await this.#readHeader(orderNumber, send);
    if (!header) {
      headerCreated = await this.#createHeader(input, orderNumber, send);
      header = await this.#readHeader(orderNumber, send);
      if (!header) throw new QadProtocolError(`QAD accepted sales order ${orderNumber} but it cannot be read back`);
    }
    const existingCustomer = toCanonicalFields(this.spec.headerFields, header).customerCode;
    if (existingCustomer != null && existingCustomer !== input.customerCode) {
      throw new QadValidationError(
        `QAD sales order ${orderNumber} already exists for customer ${String(existingCustomer)}, not ${input.customerCode}. Fix: change numberPrefix in the profile so Salesforce orders get numbers of their own`,
        [{ canonicalField: 'orderNumber', tenantField: 'salesOrderNumber', message: 'number taken by another order', code: 'ORDER_CONFLICT', value: orderNumber }],
        'QAD_ERR_ORDER_CONFLICT',
      );
    }
    const existing = new Map<number, Record<string, unknown>>();
    for (const raw of await this.#readLines(orderNumber, send)) {
      const line = toCanonicalFields(this.spec.lineFields, raw);
      existing.set(Number(line.line), line);
    }
    const linesCreated: number[] = [];
    for (const line of [...input.lines].sort((a, b) => a.line - b.line)) {
      const present = existing.get(line.line);
      if (present) {
        if (present.itemCode !== line.itemCode) {
          throw new QadValidationError(
            `QAD sales order ${orderNumber} line ${line.line} holds item ${String(present.itemCode)}, not ${line.itemCode}. Fix: the order was changed in QAD; correct it there or in Salesforce`,
            [{ canonicalField: 'lines.itemCode', tenantField: 'itemCode', message: 'line holds another item', code: 'ORDER_CONFLICT', value: line.itemCode }],
            'QAD_ERR_ORDER_CONFLICT',
          );
        }
        continue;
      }
      if (await this.#createLine(orderNumber, line, input, send)) linesCreated.push(line.line);
    }
    return { headerCreated, linesCreated };
  }

  async #createHeader(input: SalesOrderInput, orderNumber: string, send: Send): Promise<boolean> {
    const canonical = {
      orderNumber,
      domain: this.workspace.domain,
      customerCode: input.customerCode,
      poNumber: input.poNumber ?? '',
      orderDate: toWireDate(input.orderDate, this.spec.dateFormat),
      dueDate: toWireDate(input.dueDate, this.spec.dateFormat),
      currency: input.currency,
    };
    const keyValues: Record<string, string> = { orderNumber, domain: this.workspace.domain };
    const uriKeys = this.spec.headerKeys.map((k) => keyValues[this.spec.headerFields[k] ?? ''] ?? '').join('.');
    const record = {
      uri: `${this.spec.viewUri}:${uriKeys}`,
      ...this.spec.headerDefaults,
      ...toTenantFields(this.spec.headerFields, canonical),
      dataOperation: 'C',
      concurrencyHash: '',
    };
    const answer = await this.api.call({ method: 'POST', path: this.spec.headerPath, query: [['viewUri', this.spec.viewUri]], body: { supplementaryMessages: [], [this.spec.headerPlural]: [record] } }, send);
    try {
      expectSuccess(answer, `the header of sales order ${orderNumber}`, this.spec.headerFields, { duplicateCodes: this.spec.duplicateCodes, duplicatePattern: this.spec.duplicateMessagePattern });
      return true;
    } catch (error) {
      // Another attempt got there first between our read and this create: carry on with its header.
      if ((error as { code?: string }).code === 'QAD_ERR_DUPLICATE') return false;
      throw error;
    }
  }

  async #createLine(orderNumber: string, line: SalesOrderLineInput, input: SalesOrderInput, send: Send): Promise<boolean> {
    const template = await this.api.call({ method: 'GET', path: this.spec.lineGridPath, query: [['initialize', 'true'], ...this.#lineQuery(orderNumber)] }, send);
    const data = expectSuccess(template, `the line template of sales order ${orderNumber}`, this.spec.lineFields) as Record<string, unknown> | undefined;
    let current = (data?.[this.spec.linesPlural] as Array<Record<string, unknown>> | undefined)?.[0];
    if (!current) throw new QadProtocolError(`QAD answered no line template for sales order ${orderNumber}`);
    const canonical: Record<string, unknown> = {
      line: line.line,
      itemCode: line.itemCode,
      quantity: line.quantity,
      unitPrice: line.unitPrice,
      dueDate: toWireDate(line.dueDate ?? input.dueDate, this.spec.dateFormat),
      site: line.site ?? this.spec.defaultSite ?? undefined,
    };
    const lineNumberField = Object.keys(this.spec.lineFields).find((f) => this.spec.lineFields[f] === 'line');
    if (lineNumberField) current = { ...current, [lineNumberField]: line.line };
    const values = toTenantFields(this.spec.lineFields, canonical);
    for (const field of this.spec.fieldChangeOrder) {
      // A field without a value (no price given) is left to the tenant's own defaulting and pricing.
      if (values[field] === undefined || values[field] === null) continue;
      current = { ...current, [field]: values[field] };
      const answer = await this.api.call(
        { method: 'POST', path: this.spec.fieldChangePath, query: [['fieldName', field], ['dataOperation', this.spec.fieldChangeOperation]], body: { [this.spec.linesPlural]: [current] }, idempotent: true },
        send,
      );
      const changed = expectSuccess(answer, `line ${line.line} of sales order ${orderNumber} (field ${field})`, this.spec.lineFields) as Record<string, unknown> | undefined;
      const next = (changed?.[this.spec.linesPlural] as Array<Record<string, unknown>> | undefined)?.[0];
      if (next) current = next;
    }
    if (lineNumberField && canonicalValue('line', current[lineNumberField]) !== line.line) current = { ...current, [lineNumberField]: line.line };
    const commit = await this.api.call({ method: 'POST', path: this.spec.lineGridPath, body: { [this.spec.linesPlural]: [current] } }, send);
    try {
      expectSuccess(commit, `line ${line.line} of sales order ${orderNumber}`, this.spec.lineFields, { duplicateCodes: this.spec.duplicateLineCodes });
      return true;
    } catch (error) {
      if ((error as { code?: string }).code === 'QAD_ERR_DUPLICATE') return false;
      throw error;
    }
  }
}
