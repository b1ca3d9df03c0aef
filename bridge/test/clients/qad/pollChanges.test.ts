import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QadClient } from '../../../src/clients/qad/client.js';
import { InMemoryHashStore } from '../../../src/clients/qad/hashStore.js';
import { loadQadProfile, withOverrides, type QadProfile } from '../../../src/clients/qad/profile.js';
import type { QadRecord } from '../../../src/clients/qad/types.js';
import type { SimulatedQadTenant } from '../../../sandbox/qad/index.js';
import { clientFor, startTenantFor } from './helpers.js';

const GENERATED = 10_000;
const SEEDED_IN_SET = 5;

async function runPoll(client: QadClient, cursor: string | null): Promise<{ records: QadRecord[]; pages: number; cursor: string | null; scanned: number }> {
  const poll = client.pollChanges('customer', { cursor });
  const records: QadRecord[] = [];
  let pages = 0;
  for await (const page of poll) {
    pages += 1;
    records.push(...page);
  }
  const result = await poll.finish();
  return { records, pages, cursor: result.cursor, scanned: result.scanned };
}

const cases: Array<{ name: string; profile: () => Promise<QadProfile>; mode: 'watermark' | 'hash'; reads: 'browse' | 'qxtendQuery' }> = [
  { name: 'adaptive-rest, modified-date watermark', profile: () => loadQadProfile('adaptive-rest'), mode: 'watermark', reads: 'browse' },
  {
    name: 'adaptive-rest without a modified-date column, content hashes',
    profile: async () =>
      withOverrides(await loadQadProfile('adaptive-rest'), (p) => {
        if (p.flavour !== 'qxtend-soap') (p.objects.customer.browse as { modifiedDateColumn: string | null }).modifiedDateColumn = null;
      }),
    mode: 'hash',
    reads: 'browse',
  },
  { name: 'qxtend-ee, content hashes over keyset pages', profile: () => loadQadProfile('qxtend-ee'), mode: 'hash', reads: 'qxtendQuery' },
];

describe.each(cases)('polling 10,000 customers ($name)', ({ profile, mode, reads }) => {
  let tenant: SimulatedQadTenant;
  let client: QadClient;
  let cursor: string | null = null;

  beforeAll(async () => {
    tenant = await startTenantFor('adaptive-rest', { generateCustomers: GENERATED });
    client = await clientFor(tenant, await profile(), { hashStore: new InMemoryHashStore() });
  });
  afterAll(async () => {
    await client.close();
    await tenant.close();
  });

  it(`pages through every customer on the first poll (${mode} mode)`, async () => {
    expect(client.changeDetection('customer')).toBe(mode);
    tenant.control.resetCounters();
    const first = await runPoll(client, null);
    expect(first.records).toHaveLength(GENERATED + SEEDED_IN_SET);
    expect(new Set(first.records.map((r) => r.key)).size).toBe(GENERATED + SEEDED_IN_SET);
    expect(first.pages).toBeGreaterThanOrEqual(20);
    expect(tenant.control.counters()[reads]).toBeGreaterThanOrEqual(21);
    cursor = first.cursor;
    if (mode === 'watermark') expect(cursor).toEqual(expect.any(String));
    else expect(cursor).toBeNull();
  });

  it('returns nothing when nothing changed', async () => {
    const again = await runPoll(client, cursor);
    expect(again.records).toEqual([]);
  });

  it('returns exactly the 37 customers changed in the tenant', async () => {
    tenant.clock.advance(1_000);
    // Spread over the whole set so the changes land on many different pages.
    const keys = Array.from({ length: 37 }, (_, i) => `US-SET|G${String(1 + i * 270).padStart(7, '0')}`);
    const changed = tenant.control.editRecords('customers', 37, { bumpModifiedDate: mode === 'watermark', keys });
    expect(changed).toHaveLength(37);
    tenant.control.resetCounters();
    const next = await runPoll(client, cursor);
    expect(next.records.map((r) => r.key).sort()).toEqual(changed.sort());
    expect(next.records.every((r) => String(r.fields.name).includes('(edited'))).toBe(true);
    if (mode === 'watermark') {
      // The watermark filter keeps the tenant from sending the 9,968 unchanged rows.
      expect(next.scanned).toBeLessThan(100);
      expect(tenant.control.counters().browse).toBe(1);
      expect(next.cursor! > cursor!).toBe(true);
    } else {
      expect(next.scanned).toBe(GENERATED + SEEDED_IN_SET);
    }
    cursor = next.cursor;
    expect((await runPoll(client, cursor)).records).toEqual([]);
  });

  it('repeats the changes when a poll is abandoned before finish()', async () => {
    tenant.clock.advance(1_000);
    const changed = tenant.control.editRecords('customers', 3, { bumpModifiedDate: mode === 'watermark', keys: ['US-SET|G0000010', 'US-SET|G0005000', 'US-SET|10C1002'] });
    const abandoned = client.pollChanges('customer', { cursor });
    for await (const page of abandoned) expect(page.length).toBeGreaterThan(0);
    const retried = await runPoll(client, cursor);
    expect(retried.records.map((r) => r.key).sort()).toEqual(changed.sort());
  });

  it('does not lose a change stamped in the same instant as the watermark', async () => {
    if (mode !== 'watermark') return;
    const settled = await runPoll(client, cursor);
    cursor = settled.cursor;
    // A record changed in the very millisecond the last poll saw: ge brings it back, the hash keeps it.
    const [key] = tenant.control.editRecords('customers', 1, { keys: ['US-SET|G0004321'] });
    tenant.state.customers.get(key!)!.modifiedAt = cursor!;
    const tie = await runPoll(client, cursor);
    expect(tie.records.map((r) => r.key)).toEqual([key]);
  });
});
