import type { BulkIngestResult, RecordError, SObjectRecord, UpsertOutcome } from './types.js';

/**
 * Bulk results come back in no guaranteed order, so each input record is matched to its result row
 * by its External ID value (rows with the same value are matched in order).
 */
export function bulkOutcomes(records: SObjectRecord[], externalIdField: string, result: BulkIngestResult): UpsertOutcome[] {
  const byKey = new Map<string, UpsertOutcome[]>();
  const add = (key: string | undefined, outcome: UpsertOutcome): void => {
    if (key === undefined) return;
    const queue = byKey.get(key);
    if (queue) queue.push(outcome);
    else byKey.set(key, [outcome]);
  };
  for (const success of result.successes) add(success.record[externalIdField], { ok: true, id: success.id, created: success.created });
  for (const failure of result.failed) add(failure.record[externalIdField], { ok: false, errors: [failure.error] });
  const unprocessed: RecordError = {
    statusCode: 'UNPROCESSED',
    message: 'Salesforce did not process this row (the Bulk job stopped before it); send it again',
    fields: [],
  };
  for (const row of result.unprocessed) add(row[externalIdField], { ok: false, errors: [unprocessed] });
  return records.map((record) => {
    const value = record[externalIdField];
    const key = value === undefined || value === null ? '' : String(value);
    const outcome = byKey.get(key)?.shift();
    return (
      outcome ?? {
        ok: false,
        errors: [{ statusCode: 'MISSING_RESULT', message: `Bulk results did not mention ${externalIdField}=${key}`, fields: [externalIdField] }],
      }
    );
  });
}
