import { afterEach, describe, expect, it } from 'vitest';
import { LeakWatch, startRig, type Rig } from './harness.js';

/** Row-level REST operations, describe cache and replication against the simulated org over HTTP. */
const watch = new LeakWatch();
let rig: Rig | undefined;

afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

describe('sObject rows', () => {
  it('creates, reads, updates and finds nothing for an unknown id', async () => {
    rig = await startRig(watch);
    const { id } = await rig.client.create('Account', { Name: 'Row One', QAD_Id__c: 'S1|R1' });
    expect(id).toMatch(/^001/);
    await rig.client.update('Account', id, { Name: 'Row One Renamed' });
    expect(await rig.client.retrieve('Account', id, ['Name', 'QAD_Id__c'])).toMatchObject({ Name: 'Row One Renamed', QAD_Id__c: 'S1|R1' });
    expect(await rig.client.retrieve('Account', '001000000000000AAA')).toBeNull();
    expect(rig.counters()).toEqual({ oauth: 1, 'sobject-create': 1, 'sobject-update': 1, 'sobject-read': 2 });
  });

  it('reports a validation failure with its code, fields and record', async () => {
    rig = await startRig(watch);
    const error = await watch.failure(rig.client.create('Account', { QAD_Id__c: 'S1|NO-NAME' }));
    expect(error).toMatchObject({
      code: 'SF_ERR_VALIDATION',
      statusCode: 400,
      errorCode: 'REQUIRED_FIELD_MISSING',
      record: { sobject: 'Account' },
      retryable: false,
    });
    expect(error.message).toMatch(/Name/);
  });

  it('rolls back the whole call under allOrNone and says which record caused it', async () => {
    rig = await startRig(watch);
    const records = [
      { QAD_Id__c: 'S1|A', Name: 'A' },
      { QAD_Id__c: 'S1|B', Name: 'z'.repeat(300) },
      { QAD_Id__c: 'S1|C', Name: 'C' },
    ];
    const outcomes = await rig.client.upsert('Account', 'QAD_Id__c', records, { allOrNone: true });
    expect(outcomes.map((o) => (o.ok ? 'ok' : o.errors[0]?.statusCode))).toEqual([
      'ALL_OR_NONE_OPERATION_ROLLED_BACK',
      'STRING_TOO_LONG',
      'ALL_OR_NONE_OPERATION_ROLLED_BACK',
    ]);
    expect(rig.org.control.rowCount('Account')).toBe(0);
  });
});

describe('describe cache', () => {
  it('asks once per object until invalidated', async () => {
    rig = await startRig(watch);
    const first = await rig.client.describe('Account');
    const second = await rig.client.describe('Account');
    expect(second).toBe(first);
    expect(first.fields.find((f) => f.name === 'QAD_Id__c')).toMatchObject({ externalId: true, unique: true, type: 'string', length: 80 });
    rig.client.invalidate('Account');
    await rig.client.describe('Account');
    expect(rig.counters()).toEqual({ oauth: 1, describe: 2 });
  });

  it('does not remember a failed describe', async () => {
    rig = await startRig(watch);
    const error = await watch.failure(rig.client.describe('No_Such_Object__c'));
    expect(error).toMatchObject({ code: 'SF_ERR_NOT_FOUND', record: { sobject: 'No_Such_Object__c' } });
    await watch.failure(rig.client.describe('No_Such_Object__c'));
    expect(rig.counters().describe).toBe(2);
  });
});

describe('replication', () => {
  it('lists updated and deleted ids in a window', async () => {
    rig = await startRig(watch);
    const start = new Date(rig.org.clock.now() - 5 * 60_000);
    const ids = rig.org.control.insert('Account', [{ Name: 'U1' }, { Name: 'U2' }]);
    rig.org.control.delete('Account', [ids[1] as string]);
    rig.org.control.advanceClock(3 * 60_000);
    const end = new Date(rig.org.clock.now());
    const updated = await rig.client.getUpdated('Account', start, end);
    expect(updated.ids).toContain(ids[0]);
    expect(updated.latestDateCovered).toMatch(/^\d{4}-\d\d-\d\dT/);
    const deleted = await rig.client.getDeleted('Account', start, end);
    expect(deleted.deletedRecords.map((d) => d.id)).toEqual([ids[1]]);
    await expect(rig.client.getUpdated('Account', end, start)).rejects.toMatchObject({ code: 'SF_ERR_CONFIG' });
    expect(rig.counters()).toEqual({ oauth: 1, getUpdated: 1, getDeleted: 1 });
  });
});

describe('bulk ingest errors', () => {
  it('refuses an upsert without an External ID field before calling', async () => {
    rig = await startRig(watch);
    await expect(rig.client.bulkIngest('Account', 'upsert', [{ Name: 'x' }])).rejects.toMatchObject({ code: 'SF_ERR_CONFIG' });
    expect(rig.counters()).toEqual({});
  });

  it('surfaces a job Salesforce will not create', async () => {
    rig = await startRig(watch);
    const error = await watch.failure(rig.client.bulkIngest('Nope__c', 'insert', [{ Name: 'x' }]));
    expect(error).toMatchObject({ statusCode: 400, errorCode: 'INVALIDENTITY', retryable: false });
  });

  it('inserts by Bulk and reports per-row failures', async () => {
    rig = await startRig(watch);
    const org = rig.org;
    const client = rig.makeClient({}, () => org.control.bulkIdle());
    const result = await client.bulkIngest('Contact', 'insert', [
      { LastName: 'Doe', QAD_Contact_Id__c: 'K1' },
      { FirstName: 'No last name', QAD_Contact_Id__c: 'K2' },
    ]);
    expect(result.successful).toBe(1);
    expect(result.successes[0]).toMatchObject({ created: true, record: { QAD_Contact_Id__c: 'K1' } });
    expect(result.failed).toEqual([{ record: expect.objectContaining({ QAD_Contact_Id__c: 'K2' }), error: expect.objectContaining({ statusCode: 'REQUIRED_FIELD_MISSING' }) }]);
  });
});

describe('secrets (row-level scenarios)', () => {
  it('nothing logged or raised holds a token or the client secret', () => {
    const haystack = [...watch.memory.lines, ...watch.raised].join('\n');
    expect(watch.secrets.tokens.size).toBeGreaterThan(0);
    for (const needle of [...watch.secrets.tokens, ...watch.secrets.signatures, ...watch.clientSecrets]) {
      expect(haystack.includes(needle)).toBe(false);
    }
  });
});
