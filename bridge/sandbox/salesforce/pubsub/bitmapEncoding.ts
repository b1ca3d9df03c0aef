/**
 * Writes field-name lists as Pub/Sub change-event bitmaps: bit i of `0x..` marks top-level field i
 * of the event schema, `N-0x..` marks parts of compound field N. Hex is upper case and padded to
 * whole bytes, as Salesforce sends it (some clients only understand upper case).
 */
export interface EncodableField {
  name: string;
  /** nested field names of a compound field, in schema order */
  children?: readonly string[];
}

function toHex(bits: bigint): string {
  let hex = bits.toString(16).toUpperCase();
  if (hex.length % 2 === 1) hex = `0${hex}`;
  return `0x${hex}`;
}

export interface FieldLocation {
  index: number;
  childIndex?: number;
}

export function encodeFieldBitmaps(locations: readonly FieldLocation[]): string[] {
  if (locations.length === 0) return [];
  let topLevel = 0n;
  const compound = new Map<number, bigint>();
  for (const location of locations) {
    if (location.childIndex === undefined) {
      topLevel |= 1n << BigInt(location.index);
    } else {
      compound.set(location.index, (compound.get(location.index) ?? 0n) | (1n << BigInt(location.childIndex)));
    }
  }
  const bitmaps = [toHex(topLevel)];
  for (const [index, bits] of [...compound.entries()].sort((a, b) => a[0] - b[0])) {
    bitmaps.push(`${index}-${toHex(bits)}`);
  }
  return bitmaps;
}
