import avro from 'avsc';
import { decodeFieldBitmaps, type BitmapField } from './bitmap.js';
import { PubSubDecodeError } from './errors.js';
import type { ChangeEvent, ChangeEventHeader, PlatformEventMessage } from './types.js';

/**
 * Avro `long` read as BigInt: `commitNumber` may exceed 2^53. Timestamps are turned back into
 * numbers when the record is flattened.
 */
const bigLong = avro.types.LongType.__with({
  fromBuffer: (buffer: Buffer) => buffer.readBigInt64LE(),
  toBuffer: (value: bigint | number) => {
    const buffer = Buffer.alloc(8);
    buffer.writeBigInt64LE(BigInt(value));
    return buffer;
  },
  fromJSON: (value: number | string) => BigInt(value),
  toJSON: (value: bigint) => Number(value),
  isValid: (value: unknown) => typeof value === 'bigint' || (typeof value === 'number' && Number.isInteger(value)),
  compare: (a: bigint, b: bigint) => (a === b ? 0 : a < b ? -1 : 1),
});

export interface EventSchema {
  schemaId: string;
  name: string;
  type: avro.Type;
  isChangeEvent: boolean;
  bitmapFields: BitmapField[];
}

function recordBranch(type: avro.Type): avro.types.RecordType | undefined {
  if (type instanceof avro.types.RecordType) return type;
  if (type instanceof avro.types.UnwrappedUnionType || type instanceof avro.types.WrappedUnionType) {
    return type.types.find((branch): branch is avro.types.RecordType => branch instanceof avro.types.RecordType);
  }
  return undefined;
}

export function parseEventSchema(schemaId: string, schemaJson: string): EventSchema {
  let type: avro.Type;
  try {
    type = avro.Type.forSchema(JSON.parse(schemaJson) as avro.Schema, { registry: { long: bigLong } });
  } catch (error) {
    throw new PubSubDecodeError(`schema ${schemaId} is not a valid Avro schema`, { cause: error });
  }
  if (!(type instanceof avro.types.RecordType)) throw new PubSubDecodeError(`schema ${schemaId} is not an Avro record`);
  const bitmapFields: BitmapField[] = type.fields.map((field) => {
    const nested = field.name === 'ChangeEventHeader' ? undefined : recordBranch(field.type);
    return nested ? { name: field.name, children: nested.fields.map((child) => child.name) } : { name: field.name };
  });
  return {
    schemaId,
    name: type.name?.split('.').pop() ?? '',
    type,
    isChangeEvent: type.fields[0]?.name === 'ChangeEventHeader',
    bitmapFields,
  };
}

function plain(value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (Array.isArray(value)) return value.map(plain);
  if (value && typeof value === 'object' && !Buffer.isBuffer(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) {
      if (inner !== null && inner !== undefined) out[key] = plain(inner);
    }
    return out;
  }
  return value;
}

function setNulled(fields: Record<string, unknown>, name: string): void {
  const dot = name.indexOf('.');
  if (dot === -1) {
    fields[name] = null;
    return;
  }
  const parent = name.slice(0, dot);
  const existing = fields[parent];
  const nested = existing && typeof existing === 'object' ? (existing as Record<string, unknown>) : {};
  nested[name.slice(dot + 1)] = null;
  fields[parent] = nested;
}

/** the header as Avro hands it over: the timestamp still a BigInt long, the field lists still bitmaps */
type RawHeader = Omit<ChangeEventHeader, 'commitTimestamp'> & { commitTimestamp: bigint };

export interface RawEvent {
  topic: string;
  replayId: Buffer;
  eventId: string;
  payload: Buffer;
}

export type DecodedEvent = { kind: 'change'; change: ChangeEvent } | { kind: 'platform'; event: PlatformEventMessage };

export function decodeEvent(schema: EventSchema, raw: RawEvent): DecodedEvent {
  let record: Record<string, unknown>;
  try {
    record = schema.type.fromBuffer(raw.payload) as Record<string, unknown>;
  } catch (error) {
    throw new PubSubDecodeError(`event ${raw.eventId} on ${raw.topic} does not match schema ${schema.schemaId}`, { cause: error });
  }
  if (!schema.isChangeEvent) {
    return { kind: 'platform', event: { topic: raw.topic, replayId: raw.replayId, eventId: raw.eventId, eventName: schema.name, payload: plain(record) as Record<string, unknown> } };
  }
  const header = record.ChangeEventHeader as RawHeader;
  const label = `event ${raw.eventId} on ${raw.topic}`;
  const nulledFields = decodeFieldBitmaps(header.nulledFields, schema.bitmapFields, `${label} nulledFields`);
  const fields: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(record)) {
    if (name !== 'ChangeEventHeader' && value !== null && value !== undefined) fields[name] = plain(value);
  }
  for (const name of nulledFields) setNulled(fields, name);
  return {
    kind: 'change',
    change: {
      topic: raw.topic,
      replayId: raw.replayId,
      eventId: raw.eventId,
      entityName: header.entityName,
      recordIds: header.recordIds,
      changeType: header.changeType,
      changeOrigin: header.changeOrigin,
      transactionKey: header.transactionKey,
      sequenceNumber: header.sequenceNumber,
      commitTimestamp: Number(header.commitTimestamp),
      commitNumber: header.commitNumber,
      commitUser: header.commitUser,
      changedFields: decodeFieldBitmaps(header.changedFields, schema.bitmapFields, `${label} changedFields`),
      nulledFields,
      diffFields: decodeFieldBitmaps(header.diffFields, schema.bitmapFields, `${label} diffFields`),
      fields,
    },
  };
}
