import { createHash } from 'node:crypto';
import avro from 'avsc';

/**
 * Avro `long` as BigInt on the way out as well as in, so `commitNumber` (a database SCN that can
 * pass 2^53) is written exactly. Plain numbers are accepted for timestamps.
 */
export const bigLongType = avro.types.LongType.__with({
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

export function avroTypeFor(schema: avro.Schema): avro.Type {
  return avro.Type.forSchema(schema, { registry: { long: bigLongType } });
}

/** Salesforce schema ids are short opaque strings that change when the definition changes. */
export function schemaIdFor(schemaJson: string): string {
  return createHash('sha256').update(schemaJson).digest('base64url').slice(0, 22);
}
