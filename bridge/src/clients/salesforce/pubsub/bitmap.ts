import { PubSubDecodeError } from './errors.js';

/** A top-level field of a change event schema; compound fields (addresses, names) list their parts. */
export interface BitmapField {
  name: string;
  children?: readonly string[];
}

function parseHexBitmap(value: string, label: string): bigint {
  if (!/^0x[0-9a-fA-F]+$/.test(value)) {
    throw new PubSubDecodeError(`${label}: "${value}" is not a hex bitmap (expected 0x followed by hex digits)`);
  }
  // BigInt reads hex of any length and either case; bit i of the number is field index i, which is
  // exactly "expand every digit to 4 bits, reverse the string, take the 1 positions".
  return BigInt(value);
}

function namesFromBits(bits: bigint, names: readonly string[]): string[] {
  const found: string[] = [];
  // Bits past the end of the schema are ignored, as the documented decoders do.
  for (let index = 0; index < names.length && bits >> BigInt(index) !== 0n; index += 1) {
    if ((bits >> BigInt(index)) & 1n) found.push(names[index] as string);
  }
  return found;
}

/**
 * Turns the `changedFields` / `nulledFields` / `diffFields` bitmaps of a Pub/Sub change event into
 * field names: `0x..` covers the top-level fields, `N-0x..` the parts of compound field N, which
 * come out as `Parent.Child`.
 */
export function decodeFieldBitmaps(bitmaps: readonly string[], fields: readonly BitmapField[], label = 'bitmap'): string[] {
  const topLevelNames = fields.map((field) => field.name);
  const names: string[] = [];
  for (const bitmap of bitmaps) {
    const dash = bitmap.indexOf('-');
    if (dash === -1) {
      names.push(...namesFromBits(parseHexBitmap(bitmap, label), topLevelNames));
      continue;
    }
    const parentIndexText = bitmap.slice(0, dash);
    if (!/^\d+$/.test(parentIndexText)) {
      throw new PubSubDecodeError(`${label}: "${bitmap}" has no field index before "-" (expected N-0xHEX)`);
    }
    const parent = fields[Number(parentIndexText)];
    if (!parent?.children) {
      throw new PubSubDecodeError(
        `${label}: "${bitmap}" points at field ${parentIndexText}, which is not a compound field of this schema`,
      );
    }
    const parts = namesFromBits(parseHexBitmap(bitmap.slice(dash + 1), label), parent.children);
    names.push(...parts.map((part) => `${parent.name}.${part}`));
  }
  return names;
}
