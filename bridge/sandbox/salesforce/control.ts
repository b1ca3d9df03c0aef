import type { SandboxClock } from '../clock.js';
import { recordJson, type OrgContext } from './context.js';
import { SalesforceApiError } from './errors.js';
import type { FaultInjector, FaultRule } from './faults.js';
import type { OAuthServer } from './oauth.js';
import type { Transaction } from './dml.js';

/**
 * The org's control surface for tests, the demo and benchmarks: faults, counters, token expiry,
 * the daily allowance, the clock, and direct record access that is not counted as API use but
 * goes through the same validation and emits change events like an API write.
 */
export interface DirectWriteOptions {
  /** changeOrigin of the events; default `com/salesforce/api/rest/<ver>` (no client) */
  changeOrigin?: string;
}

export class OrgControl {
  private readonly counts = new Map<string, number>();

  constructor(
    private readonly ctx: OrgContext,
    private readonly faultInjector: FaultInjector,
    private readonly oauth: OAuthServer,
    private readonly clock: SandboxClock,
  ) {}

  // ---- counters
  count(kind: string): void {
    this.counts.set(kind, (this.counts.get(kind) ?? 0) + 1);
  }

  /** Calls by kind (oauth, query, queryMore, sobject-create, collections-upsert, bulk-create, ...) */
  counters(): Record<string, number> {
    return Object.fromEntries([...this.counts.entries()].sort(([a], [b]) => a.localeCompare(b)));
  }

  resetCounters(): void {
    this.counts.clear();
  }

  // ---- faults
  addFault(rule: FaultRule): void {
    const kinds = [401, 408, 429, 503, 'UNABLE_TO_LOCK_ROW', 'latency'];
    if (!kinds.includes(rule.kind)) throw new SalesforceApiError(400, 'INVALID_FAULT', `fault kind must be one of ${kinds.join(', ')}, got ${String(rule.kind)}`);
    this.faultInjector.add(rule);
  }

  clearFaults(): void {
    this.faultInjector.clear();
  }

  faults(): FaultRule[] {
    return this.faultInjector.list();
  }

  // ---- sessions, allowance, clock
  expireTokens(): number {
    return this.oauth.expireAll();
  }

  setDailyAllowance(options: { max?: number; used?: number }): { used: number; max: number } {
    if (options.max !== undefined) this.ctx.allowance.max = options.max;
    if (options.used !== undefined) this.ctx.allowance.setUsed(options.used);
    return this.apiUsage();
  }

  apiUsage(): { used: number; max: number } {
    return { used: this.ctx.allowance.used(), max: this.ctx.allowance.max };
  }

  advanceClock(ms: number): number {
    this.clock.advance(ms);
    return this.clock.now();
  }

  // ---- direct record access
  private inTransaction<T>(options: DirectWriteOptions, work: (tx: Transaction) => T): T {
    return this.ctx.writer.inTransaction(options.changeOrigin ?? `com/salesforce/api/rest/${this.ctx.apiVersion}`, work);
  }

  /** Inserts all records or none (one transaction); returns their ids. */
  insert(objectName: string, records: Array<Record<string, unknown>>, options: DirectWriteOptions = {}): string[] {
    return this.inTransaction(options, (tx) => records.map((record) => tx.insert(objectName, record)));
  }

  /** Updates records (each with Id), all or none. */
  update(objectName: string, records: Array<Record<string, unknown>>, options: DirectWriteOptions = {}): void {
    this.inTransaction(options, (tx) => {
      for (const record of records) tx.update(objectName, String(record.Id), record);
    });
  }

  upsert(objectName: string, externalIdField: string, records: Array<Record<string, unknown>>, options: DirectWriteOptions = {}): Array<{ id: string; created: boolean }> {
    const field = this.ctx.catalog.field(objectName, externalIdField);
    if (!field?.externalId) throw new SalesforceApiError(404, 'NOT_FOUND', `Provided external ID field does not exist or is not accessible: ${externalIdField}`);
    return this.inTransaction(options, (tx) => records.map((record) => tx.upsert(objectName, field, record[field.name], record)));
  }

  delete(objectName: string, ids: string[], options: DirectWriteOptions = {}): void {
    this.inTransaction(options, (tx) => {
      for (const id of ids) tx.delete(objectName, id);
    });
  }

  /** Every matching record of a SOQL query, unpaged and uncounted. */
  query<T = Record<string, unknown>>(soql: string, options: { all?: boolean } = {}): T[] {
    return this.ctx.queries.all(soql, options.all ?? false).records as T[];
  }

  rowCount(objectName: string): number {
    return this.ctx.store.count(objectName);
  }

  get(objectName: string, id: string): Record<string, unknown> | null {
    const def = this.ctx.catalog.object(objectName);
    const row = def ? this.ctx.store.get(def.name, id) : undefined;
    return def && row ? recordJson(def, row, this.ctx.apiVersion) : null;
  }

  /** Resolves when no Bulk API job is being processed. */
  bulkIdle(): Promise<void> {
    return this.ctx.bulk.idle();
  }
}
