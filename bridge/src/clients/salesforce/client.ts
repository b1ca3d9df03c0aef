import { Agent, type Dispatcher } from 'undici';
import { silentLogger, type Logger } from '../../logger.js';
import { DEFAULT_RETRY_POLICY, sleep as realSleep, type RetryPolicyOptions } from '../../lib/retryPolicy.js';
import { TokenProvider, type Identity } from './auth.js';
import { ApiBudget, parseDailyApiRequests } from './budget.js';
import { bulkIngest, type BulkContext } from './bulk.js';
import { updateCollections, upsertCollections, type CollectionsContext } from './collections.js';
import { NotFoundError, SalesforceConfigError } from './errors.js';
import { checkLoginUrl } from './instanceUrl.js';
import { queryRows } from './query.js';
import { Transport } from './transport.js';
import { bulkOutcomes } from './bulkOutcomes.js';
import type {
  BudgetView,
  BulkIngestOptions,
  BulkIngestResult,
  BulkOperation,
  DeletedResult,
  QueryOptions,
  SalesforceClientConfig,
  SalesforceClientDeps,
  SObjectDescribe,
  SObjectRecord,
  UpdatedResult,
  UpsertOutcome,
  WriteOptions,
} from './types.js';

const DEFAULTS = {
  callOptionsClient: 'ml-connector',
  apiReserve: 0,
  // Salesforce recommends Bulk API 2.0 above 2,000 records: a job costs a handful of calls whatever its size
  bulkThreshold: 2_000,
  requestTimeoutMs: 120_000,
  bulkPollTimeoutMs: 30 * 60_000,
  bulkMaxUploadBytes: 100 * 1024 * 1024,
  limitCooldownMs: 15 * 60_000,
} as const;

function requireText(config: SalesforceClientConfig, field: 'loginUrl' | 'clientId' | 'clientSecret' | 'apiVersion'): string {
  const value = config[field];
  if (typeof value !== 'string' || value.trim() === '') {
    throw new SalesforceConfigError(`Salesforce client config: ${field} is required`);
  }
  return value.trim();
}

function sobjectPath(apiVersion: string, sobject: string, ...rest: string[]): string {
  return [`/services/data/v${apiVersion}/sobjects`, sobject, ...rest].map((part, i) => (i === 0 ? part : encodeURIComponent(part))).join('/');
}

/**
 * The bridge's Salesforce REST client. One instance per org connection: it owns that org's token,
 * API budget and connection pool, so every caller in the process shares one refresh and one view of
 * the allowance.
 */
export class SalesforceClient {
  readonly apiVersion: string;
  readonly #auth: TokenProvider;
  readonly #budget: ApiBudget;
  readonly #transport: Transport;
  readonly #collections: CollectionsContext;
  readonly #bulk: BulkContext;
  readonly #logger: Logger;
  readonly #dispatcher: Dispatcher;
  readonly #ownsDispatcher: boolean;
  readonly #bulkThreshold: number;
  readonly #describeCache = new Map<string, Promise<SObjectDescribe>>();

  constructor(config: SalesforceClientConfig, deps: SalesforceClientDeps = {}) {
    const sandboxMode = config.sandboxMode === true;
    const loginUrl = checkLoginUrl(requireText(config, 'loginUrl'), sandboxMode);
    const apiVersion = requireText(config, 'apiVersion').replace(/^v/, '');
    if (!/^\d+\.\d$/.test(apiVersion)) {
      throw new SalesforceConfigError(`Salesforce client config: apiVersion "${config.apiVersion}" should look like "66.0"`);
    }
    this.apiVersion = apiVersion;
    const retry: RetryPolicyOptions = { ...DEFAULT_RETRY_POLICY, ...config.retry };
    const clock = deps.clock ?? Date.now;
    const random = deps.random ?? Math.random;
    const sleep = deps.sleep ?? realSleep;
    const timeoutMs = config.requestTimeoutMs ?? DEFAULTS.requestTimeoutMs;
    this.#logger = (deps.logger ?? silentLogger).child({ component: 'salesforce-client' });
    this.#ownsDispatcher = deps.dispatcher === undefined;
    this.#dispatcher = deps.dispatcher ?? new Agent({ keepAliveTimeout: 30_000, connections: 16 });
    this.#bulkThreshold = config.bulkThreshold ?? DEFAULTS.bulkThreshold;
    this.#auth = new TokenProvider({
      loginUrl,
      clientId: requireText(config, 'clientId'),
      clientSecret: requireText(config, 'clientSecret'),
      sandboxMode,
      timeoutMs,
      dispatcher: this.#dispatcher,
      logger: this.#logger,
    });
    this.#budget = new ApiBudget({
      reserve: config.apiReserve ?? DEFAULTS.apiReserve,
      exhaustedCooldownMs: config.limitCooldownMs ?? DEFAULTS.limitCooldownMs,
      clock,
    });
    this.#transport = new Transport({
      auth: this.#auth,
      budget: this.#budget,
      logger: this.#logger,
      dispatcher: this.#dispatcher,
      retry,
      random,
      clock,
      sleep,
      timeoutMs,
      callOptionsClient: config.callOptionsClient ?? DEFAULTS.callOptionsClient,
    });
    this.#collections = { transport: this.#transport, apiVersion, retry, random, sleep, logger: this.#logger };
    this.#bulk = {
      transport: this.#transport,
      apiVersion,
      random,
      sleep,
      logger: this.#logger,
      pollTimeoutMs: config.bulkPollTimeoutMs ?? DEFAULTS.bulkPollTimeoutMs,
      maxUploadBytes: config.bulkMaxUploadBytes ?? DEFAULTS.bulkMaxUploadBytes,
    };
  }

  /** Fetches a token now (it is otherwise fetched on first use) and returns who the bridge acts as. */
  async login(): Promise<Identity> {
    this.#auth.invalidate();
    await this.#transport.token();
    return this.identity;
  }

  getAccessToken(): Promise<string> {
    return this.#transport.token();
  }

  invalidateToken(): void {
    this.#auth.invalidate();
  }

  get identity(): Identity {
    const identity = this.#auth.identity;
    if (!identity) throw new SalesforceConfigError('Salesforce identity is known only after login(); call login() first');
    return identity;
  }

  query<T = SObjectRecord>(soql: string, options: QueryOptions = {}): AsyncIterable<T> {
    return queryRows<T>(this.#transport, this.apiVersion, soql, options);
  }

  queryAll<T = SObjectRecord>(soql: string, options: Omit<QueryOptions, 'all'> = {}): AsyncIterable<T> {
    return queryRows<T>(this.#transport, this.apiVersion, soql, { ...options, all: true });
  }

  describe(sobject: string): Promise<SObjectDescribe> {
    let cached = this.#describeCache.get(sobject);
    if (!cached) {
      cached = this.#transport.json<SObjectDescribe>({
        method: 'GET',
        path: sobjectPath(this.apiVersion, sobject, 'describe'),
        safety: 'idempotent',
        record: { sobject },
      });
      // A failed describe is not remembered, so the next caller asks again.
      cached.catch(() => this.#describeCache.delete(sobject));
      this.#describeCache.set(sobject, cached);
    }
    return cached;
  }

  /** Drops cached describes (one object, or all), e.g. after a package upgrade added fields. */
  invalidate(sobject?: string): void {
    if (sobject === undefined) this.#describeCache.clear();
    else this.#describeCache.delete(sobject);
  }

  async retrieve(sobject: string, id: string, fields?: string[], options: { critical?: boolean } = {}): Promise<SObjectRecord | null> {
    try {
      return await this.#transport.json<SObjectRecord>({
        method: 'GET',
        path: sobjectPath(this.apiVersion, sobject, id),
        ...(fields?.length ? { query: { fields: fields.join(',') } } : {}),
        safety: 'idempotent',
        record: { sobject, id },
        ...(options.critical ? { critical: true } : {}),
      });
    } catch (error) {
      if (error instanceof NotFoundError) return null;
      throw error;
    }
  }

  /** A plain create is never repeated once it may have reached Salesforce: a retry could make a duplicate. */
  async create(sobject: string, fields: SObjectRecord, options: { critical?: boolean } = {}): Promise<{ id: string }> {
    const answer = await this.#transport.json<{ id: string }>({
      method: 'POST',
      path: `${sobjectPath(this.apiVersion, sobject)}/`,
      body: fields,
      safety: 'once',
      record: { sobject },
      ...(options.critical ? { critical: true } : {}),
    });
    return { id: answer.id };
  }

  async update(sobject: string, id: string, fields: SObjectRecord, options: { critical?: boolean } = {}): Promise<void> {
    await this.#transport.call({
      method: 'PATCH',
      path: sobjectPath(this.apiVersion, sobject, id),
      body: fields,
      safety: 'idempotent',
      record: { sobject, id },
      ...(options.critical ? { critical: true } : {}),
    });
  }

  /**
   * Upserts by External ID with one outcome per input record, in input order. Up to bulkThreshold
   * rows go through sObject Collections (200 a call, one API request each); beyond it, Bulk API 2.0.
   */
  async upsert(sobject: string, externalIdField: string, records: SObjectRecord[], options: WriteOptions = {}): Promise<UpsertOutcome[]> {
    if (records.length > (options.bulkAbove ?? this.#bulkThreshold)) {
      const result = await this.bulkIngest(sobject, 'upsert', records, {
        externalIdFieldName: externalIdField,
        ...(options.critical ? { critical: true } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
      });
      return bulkOutcomes(records, externalIdField, result);
    }
    return upsertCollections(this.#collections, sobject, externalIdField, records, options);
  }

  /** Updates by Id through sObject Collections; a record without an Id is reported, not sent. */
  async updateMany(sobject: string, records: SObjectRecord[], options: WriteOptions = {}): Promise<UpsertOutcome[]> {
    const outcomes: Array<UpsertOutcome | undefined> = new Array(records.length);
    const sendable: number[] = [];
    records.forEach((record, index) => {
      if (typeof record.Id === 'string' && record.Id !== '') sendable.push(index);
      else outcomes[index] = { ok: false, errors: [{ statusCode: 'MISSING_ID', message: 'updateMany needs the record Id in field Id', fields: ['Id'] }] };
    });
    const sent = await updateCollections(this.#collections, sobject, sendable.map((i) => records[i] as SObjectRecord), options);
    sent.forEach((outcome, position) => {
      outcomes[sendable[position] as number] = outcome;
    });
    return outcomes as UpsertOutcome[];
  }

  bulkIngest(sobject: string, operation: BulkOperation, records: SObjectRecord[], options: BulkIngestOptions = {}): Promise<BulkIngestResult> {
    return bulkIngest(this.#bulk, sobject, operation, records, options);
  }

  getUpdated(sobject: string, start: Date, end: Date, options: { critical?: boolean } = {}): Promise<UpdatedResult> {
    return this.#replication<UpdatedResult>(sobject, 'updated', start, end, options.critical === true);
  }

  getDeleted(sobject: string, start: Date, end: Date, options: { critical?: boolean } = {}): Promise<DeletedResult> {
    return this.#replication<DeletedResult>(sobject, 'deleted', start, end, options.critical === true);
  }

  /** Reads `/limits` and refreshes the budget from DailyApiRequests. Passes the reserve: it is how the client learns. */
  async limits(): Promise<Record<string, { Max: number; Remaining: number }>> {
    const answer = await this.#transport.json<Record<string, { Max: number; Remaining: number }>>({
      method: 'GET',
      path: `/services/data/v${this.apiVersion}/limits/`,
      safety: 'idempotent',
      probe: true,
    });
    this.#budget.observe(parseDailyApiRequests(answer));
    return answer;
  }

  /** The allowance as last seen on an answer (`Sforce-Limit-Info`) or `/limits`; null before any call. */
  budget(): BudgetView | null {
    return this.#budget.snapshot();
  }

  async close(): Promise<void> {
    if (this.#ownsDispatcher) await this.#dispatcher.close();
  }

  async #replication<T>(sobject: string, kind: 'updated' | 'deleted', start: Date, end: Date, critical: boolean): Promise<T> {
    if (!(start instanceof Date) || !(end instanceof Date) || Number.isNaN(start.getTime()) || Number.isNaN(end.getTime())) {
      throw new SalesforceConfigError(`get${kind === 'updated' ? 'Updated' : 'Deleted'}: start and end must be valid dates`);
    }
    if (start.getTime() >= end.getTime()) {
      throw new SalesforceConfigError(`get${kind === 'updated' ? 'Updated' : 'Deleted'}: start must be before end`);
    }
    return this.#transport.json<T>({
      method: 'GET',
      path: `${sobjectPath(this.apiVersion, sobject, kind)}/`,
      query: { start: start.toISOString(), end: end.toISOString() },
      safety: 'idempotent',
      record: { sobject },
      ...(critical ? { critical: true } : {}),
    });
  }
}
