/**
 * Salesforce record ids: a 3-character key prefix naming the object, 12 more characters, and a
 * 3-character suffix that encodes which of the first 15 characters are upper case (so that the
 * 18-character form survives case-insensitive systems). Clients compare and validate ids, so the
 * sandbox hands out ids of the real shape, prefix and checksum included.
 */
const SUFFIX_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

export function checksumSuffix(id15: string): string {
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk += 1) {
    let flags = 0;
    for (let i = 0; i < 5; i += 1) {
      const ch = id15.charCodeAt(chunk * 5 + i);
      if (ch >= 65 && ch <= 90) flags |= 1 << i;
    }
    suffix += SUFFIX_ALPHABET[flags];
  }
  return suffix;
}

/** 18-character id from a 15- or 18-character one, or null when the text is no id at all. */
export function normalizeId(text: string): string | null {
  if (!/^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/.test(text)) return null;
  const id15 = text.slice(0, 15);
  const full = id15 + checksumSuffix(id15);
  if (text.length === 18 && text.slice(15).toUpperCase() !== full.slice(15)) return null;
  return full;
}

/** Hands out ids per key prefix; `pod` mimics the instance characters that follow the prefix. */
export class IdFactory {
  private readonly counters = new Map<string, number>();

  constructor(private readonly pod = '8d') {}

  next(keyPrefix: string): string {
    const n = (this.counters.get(keyPrefix) ?? 0) + 1;
    this.counters.set(keyPrefix, n);
    let body = '';
    let rest = n;
    while (rest > 0) {
      body = BASE62[rest % 62] + body;
      rest = Math.floor(rest / 62);
    }
    const id15 = `${keyPrefix}${this.pod}0${body.padStart(9, '0')}`;
    return id15 + checksumSuffix(id15);
  }
}
