import { PubSubCatchUpError, PubSubConfigError } from './errors.js';
import type { RecordsBatch, RecordsReason, SoqlSource } from './types.js';

const API_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;
const RECORD_ID = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;
// SOQL `IN` lists stay well under the 100,000-character statement limit at this size.
const IDS_PER_QUERY = 200;

function selectList(entityName: string, fields: readonly string[]): string {
  const names = ['Id', 'SystemModstamp', ...fields.filter((field) => field !== 'Id' && field !== 'SystemModstamp')];
  for (const name of [entityName, ...names]) {
    if (!API_NAME.test(name.replace(/\./g, '_'))) throw new PubSubConfigError(`resyncFields: "${name}" is not an API name`);
  }
  return names.join(', ');
}

function soqlDateTime(epochMs: number): string {
  return new Date(epochMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Reads records for gap events, overflow resyncs and catch-up, and hands them on in batches. */
export class Resync {
  constructor(
    private readonly soql: SoqlSource,
    private readonly resyncFields: Record<string, string[]>,
    private readonly batchSize: number,
  ) {}

  entitiesFor(topic: string): string[] {
    if (topic === '/data/ChangeEvents') return Object.keys(this.resyncFields);
    const match = /^\/data\/(.+?)(__)?ChangeEvent$/.exec(topic);
    if (!match) return [];
    return [match[2] ? `${match[1]}__c` : (match[1] as string)];
  }

  #fields(entityName: string): string {
    const fields = this.resyncFields[entityName];
    if (!fields) throw new PubSubConfigError(`resyncFields has no entry for ${entityName}; add the fields to read for it`);
    return selectList(entityName, fields);
  }

  async byIds(topic: string, entityName: string, recordIds: string[], emit: (batch: RecordsBatch) => Promise<void>): Promise<number> {
    const ids = recordIds.filter((id) => RECORD_ID.test(id));
    let total = 0;
    for (let start = 0; start < ids.length; start += IDS_PER_QUERY) {
      const chunk = ids.slice(start, start + IDS_PER_QUERY);
      const soql = `SELECT ${this.#fields(entityName)} FROM ${entityName} WHERE Id IN (${chunk.map((id) => `'${id}'`).join(', ')})`;
      total += await this.#run(topic, 'gap', entityName, soql, emit, { recordIds: chunk });
    }
    return total;
  }

  async since(topic: string, reason: RecordsReason, entityName: string, sinceMs: number, emit: (batch: RecordsBatch) => Promise<void>): Promise<number> {
    const soql = `SELECT ${this.#fields(entityName)} FROM ${entityName} WHERE SystemModstamp >= ${soqlDateTime(sinceMs)} ORDER BY SystemModstamp ASC`;
    return this.#run(topic, reason, entityName, soql, emit, { since: new Date(sinceMs) });
  }

  async #run(
    topic: string,
    reason: RecordsReason,
    entityName: string,
    soql: string,
    emit: (batch: RecordsBatch) => Promise<void>,
    extra: Pick<RecordsBatch, 'since' | 'recordIds'>,
  ): Promise<number> {
    let records: Array<Record<string, unknown>> = [];
    let total = 0;
    let emitted = false;
    const flush = async (): Promise<void> => {
      await emit({ topic, reason, entityName, records, ...extra });
      total += records.length;
      records = [];
      emitted = true;
    };
    try {
      for await (const row of this.soql.query<Record<string, unknown>>(soql)) {
        const { attributes: _attributes, ...fields } = row;
        records.push(fields);
        if (records.length >= this.batchSize) await flush();
      }
    } catch (error) {
      if (error instanceof PubSubConfigError) throw error;
      throw new PubSubCatchUpError(`${reason} query for ${entityName} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    // A gap re-read that finds nothing still tells the handler those ids are gone.
    if (records.length > 0 || !emitted) await flush();
    return total;
  }
}
