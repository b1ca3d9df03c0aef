import type { SandboxClock } from '../clock.js';
import type { BulkJobs } from './bulk2.js';
import type { OrgWriter } from './dml.js';
import type { DailyAllowance } from './limits.js';
import type { SchemaCatalog } from './schema/catalog.js';
import type { QueryService } from './soql/cursors.js';
import type { RecordStore, Row } from './store.js';
import type { ObjectDef } from './schema/types.js';
import { outputValue } from './values.js';

/** What the routes see of the org. */
export interface OrgContext {
  catalog: SchemaCatalog;
  store: RecordStore;
  writer: OrgWriter;
  queries: QueryService;
  bulk: BulkJobs;
  clock: SandboxClock;
  allowance: DailyAllowance;
  orgId: string;
  userId: string;
  apiVersion: string;
  /** when the org came up: the earliest moment getDeleted can speak for */
  startedAt: number;
}

export function changeOrigin(api: 'rest' | 'bulkapi', apiVersion: string, client: string | undefined): string {
  return `com/salesforce/api/${api}/${apiVersion}${client ? `;client=${client}` : ''}`;
}

/** A stored row as the sObject Rows resource answers it. */
export function recordJson(def: ObjectDef, row: Row, apiVersion: string, fields?: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = { attributes: { type: def.name, url: `/services/data/v${apiVersion}/sobjects/${def.name}/${String(row.Id)}` } };
  const wanted = fields ? new Set(fields.map((f) => f.toLowerCase())) : null;
  for (const field of def.fields) {
    if (wanted && !wanted.has(field.name.toLowerCase())) continue;
    if (field.type === 'address') {
      const prefix = field.name.replace(/Address$/, '');
      const parts = ['Street', 'City', 'State', 'PostalCode', 'Country'].map((p) => row[`${prefix}${p}`] ?? null);
      out[field.name] = parts.every((p) => p === null)
        ? null
        : { street: parts[0], city: parts[1], state: parts[2], postalCode: parts[3], country: parts[4], geocodeAccuracy: null, latitude: null, longitude: null };
      continue;
    }
    out[field.name] = outputValue(field, row[field.name]);
  }
  return out;
}
