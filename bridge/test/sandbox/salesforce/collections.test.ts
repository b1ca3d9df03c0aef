import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOrg, type OrgFixture } from './helpers.js';

describe('simulated org: sObject Collections', () => {
  let f: OrgFixture;
  beforeAll(async () => {
    f = await startOrg();
  });
  afterAll(async () => f.org.close());

  const account = (key: string, extra: Record<string, unknown> = {}) => ({ attributes: { type: 'Account' }, Name: `N ${key}`, QAD_Id__c: key, ...extra });

  it('upserts up to 200 records with per-record results using statusCode', async () => {
    const records = [account('C|1'), account('C|2', { Name: null }), account('C|3')];
    const res = await f.api('PATCH', '/composite/sobjects/Account/QAD_Id__c', { allOrNone: false, records });
    expect(res.status).toBe(200);
    expect(res.body[0]).toEqual({ id: expect.any(String), success: true, errors: [], created: true });
    expect(res.body[1]).toEqual({ id: null, success: false, errors: [{ statusCode: 'REQUIRED_FIELD_MISSING', message: 'Required fields are missing: [Name]', fields: ['Name'] }] });
    expect(res.body[2]).toMatchObject({ success: true, created: true });
    const again = await f.api('PATCH', '/composite/sobjects/Account/QAD_Id__c', { allOrNone: false, records: [account('C|1', { Phone: '1' })] });
    expect(again.body[0]).toEqual({ id: res.body[0].id, success: true, errors: [], created: false });
  });

  it('rolls everything back with allOrNone and marks the innocent records', async () => {
    const before = f.org.control.rowCount('Account');
    const res = await f.api('PATCH', '/composite/sobjects/Account/QAD_Id__c', {
      allOrNone: true,
      records: [account('R|1'), account('R|2', { Name: 'x'.repeat(300) }), account('R|3')],
    });
    expect(res.status).toBe(200);
    expect(res.body[0].errors[0].statusCode).toBe('ALL_OR_NONE_OPERATION_ROLLED_BACK');
    expect(res.body[1].errors[0].statusCode).toBe('STRING_TOO_LONG');
    expect(res.body[2].errors[0].statusCode).toBe('ALL_OR_NONE_OPERATION_ROLLED_BACK');
    expect(res.body.every((r: { success: boolean }) => !r.success)).toBe(true);
    expect(f.org.control.rowCount('Account')).toBe(before);
  });

  it('refuses more than 200 records for the whole call', async () => {
    const records = Array.from({ length: 201 }, (_, i) => account(`X|${i}`));
    const res = await f.api('PATCH', '/composite/sobjects/Account/QAD_Id__c', { allOrNone: false, records });
    expect(res.status).toBe(400);
    expect(res.body).toEqual([{ errorCode: 'EXCEEDED_ID_LIMIT', message: 'record limit reached. cannot submit more than 200 records into this call' }]);
    const create = await f.api('POST', '/composite/sobjects', { records });
    expect(create.body[0].errorCode).toBe('EXCEEDED_ID_LIMIT');
  });

  it('creates, updates, retrieves and deletes collections', async () => {
    const created = await f.api('POST', '/composite/sobjects', {
      allOrNone: false,
      records: [{ attributes: { type: 'Account' }, Name: 'Mixed A' }, { attributes: { type: 'Contact' }, LastName: 'Mixed C' }, { attributes: { type: 'Contact' } }, { attributes: { type: 'Widget__c' }, Name: 'w' }],
    });
    expect(created.body[3].errors[0].statusCode).toBe('INVALID_TYPE');
    expect(created.body[0]).toEqual({ id: expect.stringMatching(/^001/), success: true, errors: [] });
    expect(created.body[1].id).toMatch(/^003/);
    expect(created.body[2]).toEqual({ success: false, errors: [expect.objectContaining({ statusCode: 'REQUIRED_FIELD_MISSING' })] });
    const accountId = created.body[0].id as string;
    const updated = await f.api('PATCH', '/composite/sobjects', { records: [{ attributes: { type: 'Account' }, id: accountId, Phone: '42' }, { attributes: { type: 'Account' }, Id: '001000000000000AAA', Phone: '1' }] });
    expect(updated.body[0]).toEqual({ id: accountId, success: true, errors: [] });
    expect(updated.body[1].errors[0].statusCode).toBe('INVALID_CROSS_REFERENCE_KEY');
    const retrieved = await f.api('GET', `/composite/sobjects/Account?ids=${accountId},001000000000000AAA&fields=Name,Phone`);
    expect(retrieved.body).toEqual([{ attributes: expect.any(Object), Id: accountId, Name: 'Mixed A', Phone: '42' }, null]);
    const deleted = await f.api('DELETE', `/composite/sobjects?ids=${accountId},${created.body[1].id}&allOrNone=false`);
    expect(deleted.body).toEqual([
      { id: accountId, success: true, errors: [] },
      { id: created.body[1].id, success: true, errors: [] },
    ]);
    expect(f.org.control.get('Account', accountId)).toBeNull();
  });

  it('fails every record of a write with UNABLE_TO_LOCK_ROW when that fault is injected', async () => {
    f.org.control.addFault({ kind: 'UNABLE_TO_LOCK_ROW', pathPrefix: '/services/data/v66.0/composite' });
    const res = await f.api('PATCH', '/composite/sobjects/Account/QAD_Id__c', { records: [account('L|1'), account('L|2')] });
    expect(res.status).toBe(200);
    expect(res.body.map((r: { errors: Array<{ statusCode: string }> }) => r.errors[0]?.statusCode)).toEqual(['UNABLE_TO_LOCK_ROW', 'UNABLE_TO_LOCK_ROW']);
    const retry = await f.api('PATCH', '/composite/sobjects/Account/QAD_Id__c', { records: [account('L|1'), account('L|2')] });
    expect(retry.body.every((r: { success: boolean }) => r.success)).toBe(true);
  });
});
