import type { Logger } from '../../logger.js';
import { silentLogger } from '../../logger.js';
import type { QadAdapter } from './adapter.js';
import { QadAuth } from './auth.js';
import { createPoll, recordPage, screenPage } from './changes.js';
import { QadConfigError, QadRecordRejectedError, QadValidationError } from './errors.js';
import { InMemoryHashStore } from './hashStore.js';
import { salesOrderNumberFor } from './orderNumber.js';
import { QAD_LIST_OBJECTS, type QadListObject, type QadProfile } from './profile.js';
import { rejectionOf, screenRecord, type FieldLabel } from './recordRules.js';
import { QxtendAdapter } from './qxtend/qxtendAdapter.js';
import { QxtendCaller } from './qxtend/soap.js';
import { RestAdapter } from './rest/restAdapter.js';
import { QadTransport, retryOptions, tenantSemaphore } from './transport.js';
import type { HashStore, QadCredentials, QadPoll, QadReadPage, QadRecord, QadRecordPage, QadRecordProblem, QadWorkspace, SalesOrderInput, SalesOrderOutcome } from './types.js';
import { checkResolvedHost, systemResolver, validateTenantUrl, type HostResolver } from './urlPolicy.js';

export interface QadClientConfig {
  /** REST base URL including the context root, e.g. https://acme.qad.com/clouderp (REST flavours) */
  baseUrl?: string;
  /** QXtend QdocWebService URL (qxtend-soap flavour) */
  qxtendUrl?: string;
  profile: QadProfile;
  credentials: QadCredentials;
  workspace: QadWorkspace;
  /** allows plain http to loopback, for the simulated tenant only */
  sandboxMode?: boolean;
}

export interface QadClientDeps {
  logger?: Logger;
  resolver?: HostResolver;
  /** time for token lifetimes; the sandbox clock in tests */
  clock?: () => number;
  hashStore?: HashStore;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

/** Canonical fields the bridge may write to a customer or supplier (CONTRACTS §5, minus keys and stamps). */
const WRITABLE_PARTY_FIELDS = new Set(['name', 'addressLine1', 'addressLine2', 'city', 'state', 'postalCode', 'country', 'phone', 'email', 'currency', 'creditTerms', 'active']);

/**
 * The bridge's QAD client: one per connection, driven entirely by its profile. Reads come as async
 * iterators over pages; writes follow QAD's success rules; the order write is resumable.
 */
export class QadClient {
  readonly profile: QadProfile;
  readonly #adapter: QadAdapter;
  readonly #hashStore: HashStore;
  readonly #config: QadClientConfig;
  readonly #resolver: HostResolver;
  readonly #urls: URL[];
  readonly #logger: Logger;

  constructor(config: QadClientConfig, deps: QadClientDeps = {}) {
    const logger = (deps.logger ?? silentLogger).child({ component: 'qad-client', profile: config.profile.name });
    this.profile = config.profile;
    this.#logger = logger;
    this.#config = config;
    this.#hashStore = deps.hashStore ?? new InMemoryHashStore();
    this.#resolver = deps.resolver ?? systemResolver;
    const policy = { sandboxMode: config.sandboxMode === true };
    for (const [name, value] of Object.entries(config.workspace)) {
      if (typeof value !== 'string' || value.trim() === '') throw new QadConfigError('QAD_ERR_CONFIG_INVALID', `workspace.${name} is empty. Fix: set the QAD ${name} code of this connection`);
    }
    const limits = config.profile.limits;
    const transportFor = (url: URL): QadTransport =>
      new QadTransport({
        policy,
        resolver: this.#resolver,
        timeoutMs: limits.requestTimeoutMs,
        retry: retryOptions(limits.maxRetries, limits.retryBaseDelayMs),
        semaphore: tenantSemaphore(`${url.origin}|${config.credentials.username ?? 'token'}`, limits.concurrency),
        logger,
        ...(deps.sleep ? { sleep: deps.sleep } : {}),
        ...(deps.random ? { random: deps.random } : {}),
      });
    const clock = deps.clock ?? Date.now;
    if (config.profile.flavour === 'qxtend-soap') {
      if (!config.qxtendUrl) throw new QadConfigError('QAD_ERR_CONFIG_INVALID', `Profile ${config.profile.name} speaks QXtend. Fix: set qxtendUrl to the tenant's …/services/QdocWebService address`);
      if (!config.credentials.username || !config.credentials.password) throw new QadConfigError('QAD_ERR_CONFIG_INVALID', 'QXtend needs a QAD user name and password for the session context. Fix: add them to the connection credentials');
      const url = validateTenantUrl(config.qxtendUrl, policy, 'QXtend URL');
      const transport = transportFor(url);
      this.#urls = [url];
      this.#adapter = new QxtendAdapter(config.profile, config.workspace, new QxtendCaller(url, config.profile, config.workspace, config.credentials, transport.send), transport, logger);
    } else {
      if (!config.baseUrl) throw new QadConfigError('QAD_ERR_CONFIG_INVALID', `Profile ${config.profile.name} speaks REST. Fix: set baseUrl, e.g. https://<tenant>/clouderp`);
      const url = validateTenantUrl(config.baseUrl, policy);
      const transport = transportFor(url);
      this.#urls = [url];
      const auth = new QadAuth(config.profile.auth, config.credentials, url, transport.sendOutsideLimit, clock, logger);
      this.#adapter = new RestAdapter(url, config.profile, config.workspace, auth, transport, logger);
    }
  }

  /**
   * Checks the tenant host after DNS, signs in and checks every configured entity path (its API
   * description where it serves one, else a probe). Throws QAD_ERR_ENTITY_PATH_MISSING naming them.
   */
  async connect(): Promise<void> {
    for (const url of this.#urls) await checkResolvedHost(url.hostname, this.#resolver, { sandboxMode: this.#config.sandboxMode === true });
    await this.#adapter.prepare();
    await this.#adapter.verifyEntityPaths();
  }

  supports(object: QadListObject): boolean {
    return this.#adapter.hasObject(object);
  }

  changeDetection(object: QadListObject): 'watermark' | 'hash' {
    return this.#adapter.watermarkSupported(object) ? 'watermark' : 'hash';
  }

  /**
   * Every record of an object, page by page; rows that break a record rule (recordRules.ts) come on
   * the page's `rejected` instead, each with its code and message for the audit.
   */
  read(object: QadListObject): AsyncIterable<QadRecordPage> {
    const pages = this.readPages(object);
    return {
      async *[Symbol.asyncIterator]() {
        for await (const page of pages) yield recordPage(page.records, [...page.rejected]);
      },
    };
  }

  /**
   * Every record of an object, page by page with each page's position, going on after
   * `resumeAfter` when given. Rows that break a record rule come on the page's `rejected`.
   */
  readPages(object: QadListObject, options: { resumeAfter?: string | null } = {}): AsyncIterable<QadReadPage> {
    this.#assertSupported(object);
    const screen = (record: QadRecord): QadRecordProblem[] => this.#screen(object, record);
    const adapter = this.#adapter;
    return {
      async *[Symbol.asyncIterator]() {
        for await (const page of adapter.readPages(object, options)) {
          const { good, rejected } = screenPage(page.records, screen);
          yield { records: good, position: page.position, rejected: rejected.map((r) => r.rejection) };
        }
      },
    };
  }

  /**
   * The records changed since `cursor` (watermark mode) or since the last stored hashes (hash mode).
   * Refused rows come on each page's `rejected`, once per content (see changes.ts).
   */
  pollChanges(object: QadListObject, options: { cursor?: string | null } = {}): QadPoll {
    this.#assertSupported(object);
    return createPoll(this.#adapter, this.#hashStore, object, options.cursor, (record) => this.#screen(object, record), (cursor) =>
      this.#logger.warn({ object, cursor: cursor.slice(0, 60) }, 'stored QAD watermark is not a date; reading everything once, content hashes decide what changed'),
    );
  }

  /** The record rules, with problems naming the tenant's own field beside the canonical one. */
  #screen(object: QadListObject, record: QadRecord): QadRecordProblem[] {
    return screenRecord(record, this.#fieldLabel(object), { domainInKey: !this.profile.singleDomain });
  }

  #fieldLabel(object: QadListObject): FieldLabel {
    const spec = this.profile.objects[object] as { fields?: Record<string, string>; browse?: { columns?: Record<string, string> } } | undefined;
    const maps = [spec?.browse?.columns ?? {}, spec?.fields ?? {}];
    return (canonical) => {
      for (const map of maps) {
        const tenant = Object.keys(map).find((field) => map[field] === canonical);
        if (tenant) return `${canonical} (QAD field ${tenant})`;
      }
      return canonical;
    };
  }

  #assertSupported(object: QadListObject): void {
    assertListObject(object);
    if (!this.#adapter.hasObject(object)) {
      throw new QadConfigError('QAD_ERR_OBJECT_NOT_CONFIGURED', `Profile ${this.profile.name} configures no ${object} object. Fix: add objects.${object} to the profile, or stop syncing ${object}s for this connection`);
    }
  }

  /** One record by key; a record that breaks a record rule is refused with QadRecordRejectedError. */
  async getRecord(object: QadListObject, key: string): Promise<QadRecord | null> {
    assertListObject(object);
    const record = await this.#adapter.getRecord(object, key);
    if (!record) return null;
    const problems = this.#screen(object, record);
    if (problems.length > 0) {
      const rejection = rejectionOf(record, problems);
      throw new QadRecordRejectedError(rejection.code, rejection.message, rejection.problems);
    }
    return record;
  }

  updateCustomer(key: string, fields: Record<string, unknown>): Promise<QadRecord> {
    return this.#updateParty('customer', key, fields);
  }

  updateSupplier(key: string, fields: Record<string, unknown>): Promise<QadRecord> {
    return this.#updateParty('supplier', key, fields);
  }

  async #updateParty(object: 'customer' | 'supplier', key: string, fields: Record<string, unknown>): Promise<QadRecord> {
    const problems: string[] = [];
    for (const [name, value] of Object.entries(fields)) {
      if (!WRITABLE_PARTY_FIELDS.has(name)) problems.push(`${name}: not a writable ${object} field (writable: ${[...WRITABLE_PARTY_FIELDS].join(', ')})`);
      else if (name === 'active' ? typeof value !== 'boolean' : typeof value !== 'string') problems.push(`${name}: must be ${name === 'active' ? 'true or false' : 'text'}`);
    }
    if (!key.includes('|') && !this.profile.singleDomain) problems.push(`key: "${key}" must be <sharedSet>|<code>`);
    if (problems.length > 0) {
      throw new QadValidationError(
        `Cannot update ${object} ${key}: ${problems.join('; ')}. Fix: send only mapped canonical fields with the right types`,
        problems.map((p) => ({ canonicalField: p.split(':')[0]!, tenantField: '', message: p, code: 'INPUT' })),
      );
    }
    return this.#adapter.updateParty(object, key, fields);
  }

  /** The QAD order number a Salesforce order gets in this tenant. */
  orderNumberFor(salesforceOrderId: string): string {
    const so = this.profile.objects.salesOrder;
    return salesOrderNumberFor(salesforceOrderId, { prefix: so.numberPrefix, length: so.numberLength });
  }

  /**
   * Creates the order, or finishes one an earlier attempt started: the number is derived from the
   * Salesforce order id, and the header and each line are created only if not there yet.
   */
  async createSalesOrder(input: SalesOrderInput): Promise<SalesOrderOutcome> {
    validateOrder(input);
    const orderNumber = this.orderNumberFor(input.salesforceOrderId);
    const write = await this.#adapter.writeSalesOrder(input, orderNumber);
    const record = await this.#adapter.getSalesOrder(orderNumber);
    if (!record) throw new QadValidationError(`QAD sales order ${orderNumber} cannot be read back after writing`, [], 'QAD_ERR_NOT_FOUND');
    return { orderNumber, ...write, record };
  }

  getSalesOrder(orderNumber: string): Promise<QadRecord | null> {
    return this.#adapter.getSalesOrder(orderNumber);
  }

  close(): Promise<void> {
    return this.#adapter.close();
  }
}

function assertListObject(object: string): asserts object is QadListObject {
  if (!(QAD_LIST_OBJECTS as readonly string[]).includes(object)) {
    throw new QadConfigError('QAD_ERR_OBJECT_NOT_CONFIGURED', `"${object}" is not a QAD list object. Fix: use one of ${QAD_LIST_OBJECTS.join(', ')}`);
  }
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

function validateOrder(input: SalesOrderInput): void {
  const problems: Array<[string, string]> = [];
  if (!input.salesforceOrderId?.trim()) problems.push(['salesforceOrderId', 'is required']);
  if (!input.customerCode?.trim()) problems.push(['customerCode', 'is required (the QAD customer code of the order account)']);
  if (!input.currency?.trim()) problems.push(['currency', 'is required']);
  for (const d of ['orderDate', 'dueDate'] as const) if (!DAY.test(input[d] ?? '') || Number.isNaN(Date.parse(input[d]))) problems.push([d, 'must be a YYYY-MM-DD date']);
  if (!Array.isArray(input.lines) || input.lines.length === 0) problems.push(['lines', 'needs at least one line']);
  const seen = new Set<number>();
  for (const [i, line] of (input.lines ?? []).entries()) {
    if (!Number.isInteger(line.line) || line.line < 1) problems.push([`lines[${i}].line`, 'must be a positive whole number']);
    else if (seen.has(line.line)) problems.push([`lines[${i}].line`, `repeats line number ${line.line}`]);
    seen.add(line.line);
    if (!line.itemCode?.trim()) problems.push([`lines[${i}].itemCode`, 'is required']);
    if (!(typeof line.quantity === 'number' && line.quantity > 0)) problems.push([`lines[${i}].quantity`, 'must be a number above zero']);
    if (line.unitPrice !== undefined && !(typeof line.unitPrice === 'number' && line.unitPrice >= 0)) problems.push([`lines[${i}].unitPrice`, 'must be zero or more']);
    if (line.dueDate !== undefined && !DAY.test(line.dueDate)) problems.push([`lines[${i}].dueDate`, 'must be a YYYY-MM-DD date']);
  }
  if (problems.length > 0) {
    throw new QadValidationError(
      `Sales order ${input.salesforceOrderId ?? ''} cannot be sent to QAD: ${problems.map(([f, m]) => `${f} ${m}`).join('; ')}. Fix: correct the Order in Salesforce`,
      problems.map(([field, message]) => ({ canonicalField: field, tenantField: '', message, code: 'INPUT' })),
    );
  }
}
