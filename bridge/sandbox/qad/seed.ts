import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import type { ContactRecord, DomainRecord, ItemRecord, PartyRecord, UserRecord } from './model.js';

/** What a seed file holds. Missing optional fields take the defaults below so seeds stay short. */
export interface QadSeed {
  clientId: string;
  users: UserRecord[];
  domains: DomainRecord[];
  securityControl?: { sessionLength: number; timeoutMinutes: number };
  customers: Array<Partial<PartyRecord> & { code: string; name: string }>;
  suppliers: Array<Partial<PartyRecord> & { code: string; name: string }>;
  items: Array<Partial<ItemRecord> & { itemCode: string; description: string }>;
  contacts: Array<Partial<ContactRecord> & { contactId: string; customerCode: string; lastName: string }>;
}

export const DEFAULT_SEED_FILE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'seed.json');

export async function loadQadSeed(file: string = DEFAULT_SEED_FILE): Promise<QadSeed> {
  return JSON.parse(await readFile(file, 'utf8')) as QadSeed;
}

const CITIES = [
  ['Chicago', 'IL', '60601'],
  ['Austin', 'TX', '73301'],
  ['Denver', 'CO', '80202'],
  ['Columbus', 'OH', '43004'],
  ['Portland', 'OR', '97201'],
  ['Raleigh', 'NC', '27601'],
] as const;

/**
 * A large, deterministic customer set for paging and change-detection tests and the demo. Codes
 * are `<prefix><n>` zero-padded to fit the 8-character EE customer code; modified dates are one
 * second apart, ending at `modifiedAt`, the way a tenant's history accumulates.
 */
export function generateCustomers(count: number, options: { sharedSet: string; prefix?: string; modifiedAt: string; currency?: string }): QadSeed['customers'] {
  const prefix = options.prefix ?? 'G';
  const width = Math.max(1, 8 - prefix.length);
  if (String(count).length > width) throw new RangeError(`${count} customers do not fit in ${width}-digit codes after prefix "${prefix}"`);
  const out: QadSeed['customers'] = [];
  const end = Date.parse(options.modifiedAt);
  for (let i = 1; i <= count; i += 1) {
    const n = String(i).padStart(width, '0');
    const [city, state, zip] = CITIES[i % CITIES.length]!;
    out.push({
      sharedSet: options.sharedSet,
      code: `${prefix}${n}`,
      businessRelation: `BR${prefix}${n}`,
      name: `Generated Customer ${n}`,
      addressLine1: `${100 + (i % 900)} Main Street`,
      addressLine2: '',
      city,
      state,
      postalCode: zip,
      country: 'US',
      phone: `+1 555 ${String(i % 10_000).padStart(4, '0')}`,
      email: `ap${n}@example.com`,
      currency: options.currency ?? 'USD',
      creditTerms: i % 3 === 0 ? '60D' : '30D',
      active: i % 50 !== 0,
      modifiedAt: new Date(end - (count - i) * 1000).toISOString(),
    });
  }
  return out;
}
