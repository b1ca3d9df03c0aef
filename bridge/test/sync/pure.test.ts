import { describe, expect, it } from 'vitest';
import { toSyncAuditRecord } from '../../src/sync/auditMirror.js';
import { canonicalJson, contentHash, qadRecordHash } from '../../src/sync/hash.js';
import { jobIdOfAuditEvent, newAuditEventId } from '../../src/sync/jobRunner.js';
import { flattenCompoundFields, loadMappingSet } from '../../src/sync/mapping.js';
import { accountRecordFor } from '../../src/sync/streams/qadBusinessRelations.js';
import { isOwnChange } from '../../src/sync/ports.js';
import { salesforceId } from '../../src/sync/stream.js';
import { auditPayload, DEFAULT_PAYLOAD_BUDGET_BYTES, redactSecrets, safeErrorMessage } from '../../src/lib/redact.js';

describe('content hashing', () => {
  it('does not depend on key order, and ignores the QAD modified date', () => {
    expect(canonicalJson({ b: 1, a: { d: 2, c: [3, { f: 1, e: 0 }] } })).toBe('{"a":{"c":[3,{"e":0,"f":1}],"d":2},"b":1}');
    expect(contentHash({ a: 1, b: 2 })).toBe(contentHash({ b: 2, a: 1 }));
    expect(qadRecordHash({ name: 'Acme', modifiedAt: '2025-01-01' })).toBe(qadRecordHash({ modifiedAt: '2026-01-01', name: 'Acme' }));
    expect(qadRecordHash({ name: 'Acme' })).not.toBe(qadRecordHash({ name: 'Acme Ltd' }));
  });
});

describe('mappings as the engine uses them', () => {
  const mappings = loadMappingSet();

  it('builds one Account per business relation with the role flag of the record', () => {
    const customer = accountRecordFor('customer', 'US-SET|C1', { name: ' Acme ', city: 'Lyon', phone: '' }, mappings.customer);
    expect(customer).toMatchObject({ QAD_Id__c: 'US-SET|C1', Name: 'Acme', BillingCity: 'Lyon', QAD_Is_Customer__c: true });
    expect(customer).not.toHaveProperty('QAD_Is_Supplier__c');
    expect(customer).not.toHaveProperty('Phone');
    const supplier = accountRecordFor('supplier', 'US-SET|C1', { name: 'Acme' }, mappings.supplier);
    expect(supplier).toMatchObject({ QAD_Id__c: 'US-SET|C1', QAD_Is_Supplier__c: true });
    expect(supplier).not.toHaveProperty('QAD_Is_Customer__c');
  });

  it('reads CDC compound address names as the flat fields mappings name', () => {
    const flat = flattenCompoundFields({ Name: 'N', BillingAddress: { City: 'Paris', Street: null } }, ['Name', 'BillingAddress.City', 'LastModifiedDate']);
    expect(flat.fields).toEqual({ Name: 'N', BillingCity: 'Paris', BillingStreet: null });
    expect(flat.changedFields).toEqual(['Name', 'BillingCity', 'LastModifiedDate']);
  });
});

describe('loop prevention by change origin', () => {
  it('recognises the bridge write tag and nothing else', () => {
    expect(isOwnChange('com/salesforce/api/rest/66.0;client=ml-connector')).toBe(true);
    expect(isOwnChange('com/salesforce/api/rest/66.0;client=ml-connector-other')).toBe(false);
    expect(isOwnChange('com/salesforce/api/soap/66.0')).toBe(false);
    expect(isOwnChange('')).toBe(false);
  });
});

describe('record ids in SOQL', () => {
  it('lets 15- and 18-character ids through and refuses anything that could change a query', () => {
    expect(salesforceId('0018d0000000005AAA')).toBe('0018d0000000005AAA');
    expect(salesforceId('0018d0000000005')).toBe('0018d0000000005');
    for (const bad of ["001' OR Name != '", '001x', '0018d0000000005AAA\'', '']) {
      expect(() => salesforceId(bad)).toThrow(expect.objectContaining({ code: 'BRIDGE_ERR_BAD_RECORD_ID' }));
    }
  });
});

describe('audit payloads and ids', () => {
  it('redacts secret-looking keys at any depth and truncates to fit Payload__c', () => {
    expect(redactSecrets({ a: 1, nested: { password: 'p', client_secret: 's', list: [{ accessToken: 't' }] } })).toEqual({
      a: 1,
      nested: { password: '[REDACTED]', client_secret: '[REDACTED]', list: [{ accessToken: '[REDACTED]' }] },
    });
    const big = auditPayload({ text: 'x'.repeat(DEFAULT_PAYLOAD_BUDGET_BYTES * 2) });
    expect(Buffer.byteLength(big.payload!, 'utf8')).toBeLessThanOrEqual(DEFAULT_PAYLOAD_BUDGET_BYTES);
    expect((JSON.parse(big.payload!) as { text: string }).text.endsWith('…')).toBe(true);
    expect(big.payloadHash).toMatch(/^[0-9a-f]{64}$/);
    // the hash is of the whole redacted content, so a cut payload still tells two versions apart
    expect(auditPayload({ text: 'x'.repeat(DEFAULT_PAYLOAD_BUDGET_BYTES * 2) + 'y' }).payloadHash).not.toBe(big.payloadHash);
    const many = auditPayload({ rows: Array.from({ length: 20_000 }, (_, i) => ({ i, secret: 's', name: `row ${i}` })) });
    expect(Buffer.byteLength(many.payload!, 'utf8')).toBeLessThanOrEqual(DEFAULT_PAYLOAD_BUDGET_BYTES);
    expect(JSON.parse(many.payload!)).toMatchObject({ truncated: true });
    expect(many.payload).not.toContain('"secret":"s"');
    expect(safeErrorMessage('401 with Bearer 00Dxx!AQ.abc-def')).toBe('401 with Bearer [REDACTED]');
  });

  it('gives each attempt its own event id that leads back to its job', () => {
    const a = newAuditEventId('42', 1);
    const b = newAuditEventId('42', 1);
    expect(a).not.toBe(b);
    expect(a.length).toBeLessThanOrEqual(80);
    expect(jobIdOfAuditEvent(a)).toBe('42');
    expect(jobIdOfAuditEvent('not-ours')).toBeNull();
  });

  it('maps a stored audit row onto Sync_Audit__c fields, linking a replay to its original', () => {
    const record = toSyncAuditRecord(
      { eventId: '7.2.ab', connectionId: 'c1', direction: 'Salesforce to QAD', object: 'Order', operation: 'Create', status: 'Succeeded', sourceId: '801x', targetId: 'SO1', salesforceRecordId: '801x', correlationId: 'cdc:tx:801x', attempt: 2, errorCode: null, errorMessage: null, payload: '{}', payloadHash: 'h', occurredAt: '2025-01-01T00:00:00.000Z', replayOf: '7.1.cd', requestedBy: '005000000000001AAA', requestedAt: '2025-01-01T00:00:00.000Z', mirroredAt: null, mirrorAttempts: 0, mirrorError: null, mirrorFailedAt: null },
      'a00000000000001AAA',
    );
    expect(record).toMatchObject({ Bridge_Event_Id__c: '7.2.ab', Status__c: 'Succeeded', Direction__c: 'Salesforce to QAD', Replay_Of__c: 'a00000000000001AAA', Requested_By__c: '005000000000001AAA', Attempt__c: 2 });
    const noUser = toSyncAuditRecord({ eventId: 'x', connectionId: 'c', direction: 'QAD to Salesforce', object: 'Account', operation: 'Upsert', status: 'Failed', sourceId: null, targetId: null, salesforceRecordId: null, correlationId: 'c', attempt: 1, errorCode: 'E', errorMessage: 'm', payload: null, payloadHash: null, occurredAt: 'x', replayOf: null, requestedBy: 'admin-api', requestedAt: null, mirroredAt: null, mirrorAttempts: 0, mirrorError: null, mirrorFailedAt: null }, null);
    expect(noUser).not.toHaveProperty('Requested_By__c');
    expect(noUser).not.toHaveProperty('Replay_Of__c');
  });
});
