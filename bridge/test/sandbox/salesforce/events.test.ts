import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlatformEventPublished, RecordChange } from '../../../sandbox/salesforce/orgEvents.js';
import { startOrg, type OrgFixture } from './helpers.js';

describe('simulated org: change events and platform events', () => {
  let f: OrgFixture;
  const changes: RecordChange[] = [];
  const published: PlatformEventPublished[] = [];
  beforeAll(async () => {
    f = await startOrg();
    f.org.events.on('change', (c) => changes.push(c));
    f.org.events.on('platformEvent', (e) => published.push(e));
  });
  afterAll(async () => f.org.close());

  it('emits CREATE and UPDATE with origin, transaction, sequence, commit data and changed/nulled fields', async () => {
    changes.length = 0;
    const tagged = { 'Sforce-Call-Options': 'client=ml-connector' };
    const created = await f.api('POST', '/sobjects/Account', { Name: 'Evented', Phone: '1', QAD_Id__c: 'E|1' }, tagged);
    expect(changes).toHaveLength(1);
    const create = changes[0] as RecordChange;
    expect(create).toMatchObject({
      entityName: 'Account',
      changeType: 'CREATE',
      recordIds: [created.body.id],
      changedFields: [],
      changeOrigin: 'com/salesforce/api/rest/66.0;client=ml-connector',
      sequenceNumber: 1,
      commitUser: f.org.integrationUserId,
    });
    expect(create.fields).toMatchObject({ Name: 'Evented', Phone: '1', QAD_Id__c: 'E|1' });
    expect(typeof create.commitNumber).toBe('bigint');
    expect(create.commitTimestamp).toBeLessThanOrEqual(f.org.clock.now());

    await f.api('PATCH', `/sobjects/Account/${created.body.id}`, { Phone: null, Website: 'https://e.example' });
    const update = changes[1] as RecordChange;
    expect(update.changeType).toBe('UPDATE');
    expect(update.changeOrigin).toBe('com/salesforce/api/rest/66.0');
    expect(update.changedFields.sort()).toEqual(['LastModifiedDate', 'Phone', 'Website']);
    expect(update.nulledFields).toEqual(['Phone']);
    expect(update.fields).toMatchObject({ Phone: null, Website: 'https://e.example', LastModifiedDate: expect.stringMatching(/\+0000$/) });
    expect(update.commitNumber > create.commitNumber).toBe(true);
    expect(update.transactionKey).not.toBe(create.transactionKey);
  });

  it('gives one transactionKey and ordered sequence numbers to one collections call, and none to a rolled-back one', async () => {
    changes.length = 0;
    const records = [1, 2, 3].map((i) => ({ attributes: { type: 'Account' }, Name: `T${i}`, QAD_Id__c: `T|${i}` }));
    await f.api('PATCH', '/composite/sobjects/Account/QAD_Id__c', { allOrNone: false, records });
    expect(new Set(changes.map((c) => c.transactionKey)).size).toBe(1);
    expect(changes.map((c) => c.sequenceNumber)).toEqual([1, 2, 3]);
    changes.length = 0;
    await f.api('PATCH', '/composite/sobjects/Account/QAD_Id__c', { allOrNone: true, records: [...records, { attributes: { type: 'Account' }, QAD_Id__c: 'T|4' }] });
    expect(changes).toHaveLength(0);
  });

  it('emits DELETE for a record and the children it cascades to', async () => {
    changes.length = 0;
    const [accountId] = f.org.control.insert('Account', [{ Name: 'Parent' }]);
    f.org.control.insert('Contact', [{ LastName: 'Child', AccountId: accountId }], { changeOrigin: 'com/salesforce/api/soap/66.0;client=ui' });
    expect(changes[1]?.changeOrigin).toBe('com/salesforce/api/soap/66.0;client=ui');
    changes.length = 0;
    await f.api('DELETE', `/sobjects/Account/${accountId}`);
    expect(changes.map((c) => [c.entityName, c.changeType])).toEqual([['Contact', 'DELETE'], ['Account', 'DELETE']]);
  });

  it('publishes Sync_Replay_Request__e instead of storing it', async () => {
    changes.length = 0;
    const res = await f.api('POST', '/sobjects/Sync_Replay_Request__e', { Audit_Event_Id__c: 'evt-1', Audit_Record_Id__c: 'a018d0000000001AAA', Requested_By__c: f.org.integrationUserId });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ id: expect.stringMatching(/^e01/), success: true, errors: [] });
    expect(published.at(-1)).toMatchObject({ eventName: 'Sync_Replay_Request__e', fields: { Audit_Event_Id__c: 'evt-1' }, eventUuid: expect.any(String) });
    expect(changes).toHaveLength(0);
    const query = await f.api('GET', `/query?q=${encodeURIComponent('SELECT Id FROM Sync_Replay_Request__e')}`);
    expect(query.body[0].errorCode).toBe('INVALID_TYPE');
  });
});
