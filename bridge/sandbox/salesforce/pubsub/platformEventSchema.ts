import type avro from 'avsc';
import { avroTypeFor, schemaIdFor } from './avroTypes.js';
import type { SObjectDescribeLike } from './changeEventSchema.js';

export interface PlatformEventSchema {
  eventName: string;
  schemaId: string;
  schemaJson: string;
  type: avro.Type;
  customFields: string[];
}

/** Sync_Replay_Request__e as the package defines it, for orgs whose describe does not list it. */
export const SYNC_REPLAY_REQUEST_FIELDS = ['Audit_Event_Id__c', 'Audit_Record_Id__c', 'Requested_By__c'];

/**
 * Platform event schemas carry CreatedDate, CreatedById and EventUuid, then the custom fields as
 * nullable strings (every field of the package's events is text).
 */
export function buildPlatformEventSchema(eventName: string, describe?: SObjectDescribeLike | null): PlatformEventSchema {
  const customFields = describe?.fields.filter((field) => field.name.endsWith('__c')).map((field) => field.name) ?? [];
  const fields = customFields.length > 0 ? customFields : eventName === 'Sync_Replay_Request__e' ? SYNC_REPLAY_REQUEST_FIELDS : [];
  const schema = {
    type: 'record',
    name: eventName,
    namespace: 'com.sforce.eventbus',
    fields: [
      { name: 'CreatedDate', type: 'long', doc: 'CreatedDate:DateTime' },
      { name: 'CreatedById', type: 'string', doc: 'CreatedBy:EntityId' },
      { name: 'EventUuid', type: ['null', 'string'], default: null },
      ...fields.map((name) => ({ name, type: ['null', 'string'], default: null })),
    ],
  };
  const schemaJson = JSON.stringify(schema);
  return { eventName, schemaId: schemaIdFor(schemaJson), schemaJson, type: avroTypeFor(schema as avro.Schema), customFields: fields };
}

export function encodePlatformEvent(
  schema: PlatformEventSchema,
  values: { createdDate: number; createdById: string; eventUuid: string; fields: Record<string, unknown> },
): Buffer {
  const record: Record<string, unknown> = {
    CreatedDate: values.createdDate,
    CreatedById: values.createdById,
    EventUuid: values.eventUuid,
  };
  for (const name of schema.customFields) {
    const value = values.fields[name];
    record[name] = value === undefined || value === null ? null : String(value);
  }
  return schema.type.toBuffer(record);
}
