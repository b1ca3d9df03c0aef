import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QadClient } from '../../../src/clients/qad/client.js';
import { InMemoryHashStore } from '../../../src/clients/qad/hashStore.js';
import { loadQadProfile, withOverrides } from '../../../src/clients/qad/profile.js';
import { KEY_MAX_LENGTH, parseQadInstant, screenRecord } from '../../../src/clients/qad/recordRules.js';
import type { QadRecord, QadRejectedRecord } from '../../../src/clients/qad/types.js';
import { loadQadSeed, type SimulatedQadTenant } from '../../../sandbox/qad/index.js';
import { clientFor, startTenantFor } from './helpers.js';

describe('parseQadInstant', () => {
  it.each([
    ['2025-12-31T10:00:00Z', Date.UTC(2025, 11, 31, 10)],
    ['2025-12-31T10:00:00.123Z', Date.UTC(2025, 11, 31, 10, 0, 0, 123)],
    ['2025-12-31T12:00:00+02:00', Date.UTC(2025, 11, 31, 10)],
    ['2025-12-31T10:00', Date.UTC(2025, 11, 31, 10)],
    ['2025-12-31 10:00:00', Date.UTC(2025, 11, 31, 10)],
    ['2025-12-31', Date.UTC(2025, 11, 31)],
  ])('reads %s', (text, instant) => {
    expect(parseQadInstant(text)).toBe(instant);
  });

  it.each(['not-a-date', '31/12/2025', '12/31/2025', '2025-02-30', '2025-13-01', '2025-12-31T25:00:00Z', '', '20251231', 'Wed Dec 31 2025'])('refuses %j', (text) => {
    expect(parseQadInstant(text)).toBeNull();
  });

  it('refuses what is not text', () => {
    expect(parseQadInstant(1767175200000)).toBeNull();
    expect(parseQadInstant(null)).toBeNull();
  });
});

describe('screenRecord: one stable code per broken rule, naming the field and the fix', () => {
  const customer = (fields: Record<string, unknown>, key?: string): QadRecord => {
    const all = { sharedSet: 'US-SET', code: 'C1', name: 'Good Name', active: true, modifiedAt: '2026-01-01T00:00:00Z', ...fields };
    return { object: 'customer', key: key ?? `${String(all.sharedSet)}|${String(all.code)}`, fields: all };
  };

  it('passes a good record', () => {
    expect(screenRecord(customer({ addressLine1: '1 Main St\nSuite 2' }))).toEqual([]);
  });

  it.each<[string, QadRecord, string, string]>([
    ['a modified date that is not a date', customer({ modifiedAt: 'not-a-date' }), 'QAD_ERR_BAD_MODIFIED_DATE', 'modifiedAt'],
    ['a day-first modified date', customer({ modifiedAt: '31/12/2025' }), 'QAD_ERR_BAD_MODIFIED_DATE', 'modifiedAt'],
    ['an empty code', customer({ code: '' }), 'QAD_ERR_EMPTY_KEY', 'code'],
    ['a blank code', customer({ code: '   ' }), 'QAD_ERR_EMPTY_KEY', 'code'],
    ['a missing code', customer({ code: undefined }, 'US-SET|undefined'), 'QAD_ERR_EMPTY_KEY', 'code'],
    ['a "|" in the code', customer({ code: 'A|B' }), 'QAD_ERR_KEY_SEPARATOR', 'code'],
    ['a key over 80 characters with its set prefix', customer({ code: 'X'.repeat(KEY_MAX_LENGTH - 'US-SET|'.length + 1) }), 'QAD_ERR_KEY_TOO_LONG', 'code'],
    ['a NUL in the code', customer({ code: 'C\u00001' }), 'QAD_ERR_CONTROL_CHARACTER', 'code'],
    ['a bidi override in the code', customer({ code: 'C\u202e1' }), 'QAD_ERR_CONTROL_CHARACTER', 'code'],
    ['a NUL in the name', customer({ name: 'Acme\u0000Evil' }), 'QAD_ERR_CONTROL_CHARACTER', 'name'],
    ['a terminal escape sequence in the city', customer({ city: '\u001b[31mRed\u001b[0m' }), 'QAD_ERR_CONTROL_CHARACTER', 'city'],
    ['a C1 control (CSI) in the name', customer({ name: 'A\u009b2J' }), 'QAD_ERR_CONTROL_CHARACTER', 'name'],
    ['an object as the name', customer({ name: { nested: true } }), 'QAD_ERR_WRONG_TYPE', 'name'],
    ['a list as the code', customer({ code: ['C1'] }), 'QAD_ERR_WRONG_TYPE', 'code'],
    ['a word as the active flag', customer({ active: 'maybe' }), 'QAD_ERR_WRONG_TYPE', 'active'],
    ['a huge name', customer({ name: 'x'.repeat(100_000) }), 'QAD_ERR_VALUE_TOO_LONG', 'name'],
    ['text as a list price', { object: 'item', key: 'I-1', fields: { domain: '10USA', itemCode: 'I-1', listPrice: 'cheap' } }, 'QAD_ERR_WRONG_TYPE', 'listPrice'],
    ['a "|" in an item code', { object: 'item', key: 'A|B', fields: { domain: '10USA', itemCode: 'A|B' } }, 'QAD_ERR_KEY_SEPARATOR', 'itemCode'],
    ['an empty contact id', { object: 'contact', key: '', fields: { contactId: '', sharedSet: 'US-SET', customerCode: 'C1' } }, 'QAD_ERR_EMPTY_KEY', 'contactId'],
    ['a "|" in a contact\'s customer code (its Account key)', { object: 'contact', key: 'CT-1', fields: { contactId: 'CT-1', sharedSet: 'US-SET', customerCode: 'C|1' } }, 'QAD_ERR_KEY_SEPARATOR', 'customerCode'],
  ])('refuses %s', (_name, record, code, field) => {
    const problems = screenRecord(record);
    expect(problems[0]).toMatchObject({ code, field });
    expect(problems[0]!.message).toContain(field);
    expect(problems[0]!.message).toMatch(/Fix: \S/);
  });

  it('never copies a raw control character or a huge value into its message', () => {
    const [nul] = screenRecord(customer({ name: 'Acme\u0000\u001b[2J' }));
    expect(nul!.message).not.toMatch(/[\u0000-\u001f]/);
    const [huge] = screenRecord(customer({ name: 'y'.repeat(100_000) }));
    expect(huge!.message.length).toBeLessThan(400);
  });
});

const BAD_ROWS: Array<{ code: string; fields: Record<string, unknown>; expected: string }> = [
  { code: 'BADDATE1', fields: { modifiedAt: 'not-a-date' }, expected: 'QAD_ERR_BAD_MODIFIED_DATE' },
  { code: 'BADDATE2', fields: { modifiedAt: '31/12/2025' }, expected: 'QAD_ERR_BAD_MODIFIED_DATE' },
  { code: '', fields: {}, expected: 'QAD_ERR_EMPTY_KEY' },
  { code: 'PIPE|1', fields: {}, expected: 'QAD_ERR_KEY_SEPARATOR' },
  { code: 'L'.repeat(80), fields: {}, expected: 'QAD_ERR_KEY_TOO_LONG' },
  { code: 'NUL1', fields: { name: 'Acme\u0000Evil' }, expected: 'QAD_ERR_CONTROL_CHARACTER' },
  { code: 'ESC1', fields: { city: '\u001b[31mRed\u001b[0m' }, expected: 'QAD_ERR_CONTROL_CHARACTER' },
  { code: 'TYPE1', fields: { name: { nested: true } }, expected: 'QAD_ERR_WRONG_TYPE' },
  { code: 'TYPE2', fields: { active: 'maybe' }, expected: 'QAD_ERR_WRONG_TYPE' },
  { code: 'HUGE1', fields: { name: 'h'.repeat(100_000) }, expected: 'QAD_ERR_VALUE_TOO_LONG' },
];

describe.each([
  { mode: 'watermark' as const, clearColumn: false },
  { mode: 'hash' as const, clearColumn: true },
])('polling a tenant with malformed customer rows ($mode mode)', ({ mode, clearColumn }) => {
  let tenant: SimulatedQadTenant;
  let client: QadClient;
  let cursor: string | null = null;
  const GOOD_IN_SET = 5;

  async function poll(from: string | null): Promise<{ records: QadRecord[]; rejected: QadRejectedRecord[]; cursor: string | null; rejectedCount: number }> {
    const run = client.pollChanges('customer', { cursor: from });
    const records: QadRecord[] = [];
    const rejected: QadRejectedRecord[] = [];
    for await (const page of run) {
      records.push(...page);
      rejected.push(...page.rejected);
    }
    const done = await run.finish();
    return { records, rejected, cursor: done.cursor, rejectedCount: done.rejected };
  }

  beforeAll(async () => {
    tenant = await startTenantFor('adaptive-rest');
    const seed = await loadQadSeed();
    const stamp = new Date(tenant.clock.now() - 60_000).toISOString();
    seed.customers = [
      ...seed.customers.map((c) => ({ ...c, modifiedAt: stamp })),
      ...BAD_ROWS.map((row) => ({ sharedSet: 'US-SET', code: row.code, name: `Bad ${row.code.slice(0, 10)}`, modifiedAt: stamp, ...row.fields }) as never),
    ];
    tenant.control.seed(seed);
    const profile = withOverrides(await loadQadProfile('adaptive-rest'), (p) => {
      if (clearColumn && p.flavour !== 'qxtend-soap') (p.objects.customer.browse as { modifiedDateColumn: string | null }).modifiedDateColumn = null;
    });
    client = await clientFor(tenant, profile, { hashStore: new InMemoryHashStore() });
    await client.connect();
    expect(client.changeDetection('customer')).toBe(mode);
  });
  afterAll(async () => {
    await client.close();
    await tenant.close();
  });

  it('passes the good rows and refuses each bad one with its code, without taking a bad date as the watermark', async () => {
    const first = await poll(null);
    expect(first.records.map((r) => r.key).sort()).toEqual(['US-SET|10C1000', 'US-SET|10C1001', 'US-SET|10C1002', 'US-SET|10C1003', 'US-SET|10S2000']);
    expect(first.records).toHaveLength(GOOD_IN_SET);
    const byCode = new Map(first.rejected.map((r) => [r.key, r.code]));
    for (const row of BAD_ROWS) expect(byCode.get(`US-SET|${row.code}`.slice(0, KEY_MAX_LENGTH)), row.code).toBe(row.expected);
    expect(first.rejectedCount).toBe(BAD_ROWS.length);
    for (const r of first.rejected) {
      expect(r.message).toMatch(/Fix: /);
      expect(r.message).not.toMatch(/[\u0000-\u001f]/);
      expect(r.key.length).toBeLessThanOrEqual(KEY_MAX_LENGTH);
    }
    if (mode === 'watermark') expect(parseQadInstant(first.cursor)).not.toBeNull();
    else expect(first.cursor).toBeNull();
    cursor = first.cursor;
  });

  it('reports a refused row once, not on every poll', async () => {
    const again = await poll(cursor);
    expect(again.records).toEqual([]);
    expect(again.rejected).toEqual([]);
  });

  it('still picks up later changes', async () => {
    tenant.clock.advance(1_000);
    tenant.control.editRecords('customers', 1, { keys: ['US-SET|10C1001'] });
    const next = await poll(cursor);
    expect(next.records.map((r) => r.key)).toEqual(['US-SET|10C1001']);
    expect(next.rejected).toEqual([]);
    if (mode === 'watermark') expect(parseQadInstant(next.cursor)!).toBeGreaterThan(parseQadInstant(cursor)!);
    cursor = next.cursor;
  });

  it('passes a refused row on once QAD corrects it', async () => {
    tenant.clock.advance(1_000);
    // the sandbox's edit gives the row a proper ISO date and a new name
    tenant.control.editRecords('customers', 1, { keys: ['US-SET|BADDATE1'] });
    const fixed = await poll(cursor);
    expect(fixed.records.map((r) => r.key)).toEqual(['US-SET|BADDATE1']);
    cursor = fixed.cursor;
  });

  it('recovers from a watermark stored before dates were checked', async () => {
    if (mode === 'hash') return;
    const recovered = await poll('not-a-date');
    // read everything once; the stored hashes say nothing changed
    expect(recovered.records).toEqual([]);
    expect(parseQadInstant(recovered.cursor)).not.toBeNull();
  });

  it('refuses a bad row read by key with the same code', async () => {
    await expect(client.getRecord('customer', 'US-SET|NUL1')).rejects.toMatchObject({ code: 'QAD_ERR_CONTROL_CHARACTER', retryable: false });
    expect(await client.getRecord('customer', 'US-SET|10C1000')).not.toBeNull();
  });

  it('hands a backfill the same refusals beside the good rows', async () => {
    let good = 0;
    const refused: string[] = [];
    for await (const page of client.read('customer')) {
      good += page.length;
      refused.push(...page.rejected.map((r) => r.code));
    }
    expect(good).toBe(GOOD_IN_SET + 1);
    expect(refused).toHaveLength(BAD_ROWS.length - 1);
  });
});
