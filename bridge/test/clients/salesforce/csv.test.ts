import { describe, expect, it } from 'vitest';
import { chunk } from '../../../src/clients/salesforce/chunk.js';
import { buildCsvUploads, flattenRecord, parseBulkError, parseCsv } from '../../../src/clients/salesforce/csv.js';
import { bulkOutcomes } from '../../../src/clients/salesforce/bulkOutcomes.js';

describe('chunk', () => {
  it('splits 1,000 items into 5 runs of 200 in order', () => {
    const items = Array.from({ length: 1000 }, (_, i) => i);
    const runs = chunk(items, 200);
    expect(runs.map((r) => r.length)).toEqual([200, 200, 200, 200, 200]);
    expect(runs.flat()).toEqual(items);
    expect(chunk(items.slice(0, 201), 200).map((r) => r.length)).toEqual([200, 1]);
    expect(chunk([], 200)).toEqual([]);
    expect(() => chunk(items, 0)).toThrow(RangeError);
  });
});

describe('CSV building', () => {
  it('flattens parent references and drops attributes', () => {
    expect(flattenRecord({ attributes: { type: 'Contact' }, LastName: 'Doe', Account: { QAD_Id__c: 'S1|C1' } })).toEqual({
      LastName: 'Doe',
      'Account.QAD_Id__c': 'S1|C1',
    });
  });

  it('quotes, nulls with #N/A and leaves missing cells empty', () => {
    const { columns, uploads } = buildCsvUploads(
      [
        { QAD_Id__c: 'A|1', Name: 'Acme, "Inc"', Phone: null, QAD_Is_Customer__c: true },
        { QAD_Id__c: 'A|2', Name: 'Line\nBreak', Rating: 3 },
      ],
      1_000_000,
    );
    expect(columns).toEqual(['QAD_Id__c', 'Name', 'Phone', 'QAD_Is_Customer__c', 'Rating']);
    expect(uploads).toHaveLength(1);
    const rows = parseCsv(uploads[0] as string);
    expect(rows).toEqual([
      { QAD_Id__c: 'A|1', Name: 'Acme, "Inc"', Phone: '#N/A', QAD_Is_Customer__c: 'true', Rating: '' },
      { QAD_Id__c: 'A|2', Name: 'Line\nBreak', Phone: '', QAD_Is_Customer__c: '', Rating: '3' },
    ]);
  });

  it('splits uploads on row boundaries under the byte limit, each with the header', () => {
    const records = Array.from({ length: 2500 }, (_, i) => ({ QAD_Id__c: `K|${i}`, Name: `Name ${i}` }));
    const { uploads } = buildCsvUploads(records, 20_000);
    expect(uploads.length).toBeGreaterThan(1);
    for (const upload of uploads) {
      expect(Buffer.byteLength(upload)).toBeLessThanOrEqual(20_000);
      expect(upload.startsWith('QAD_Id__c,Name\n')).toBe(true);
    }
    expect(uploads.flatMap((u) => parseCsv(u)).map((r) => r.QAD_Id__c)).toEqual(records.map((r) => r.QAD_Id__c));
  });

  it('refuses values it cannot put in a cell, naming the column', () => {
    expect(() => buildCsvUploads([{ Name: ['a'] }], 1000)).toThrow(/Name/);
  });
});

describe('parseBulkError', () => {
  it('splits code, message and fields', () => {
    expect(parseBulkError('REQUIRED_FIELD_MISSING:Required fields are missing: [Name]:Name --')).toEqual({
      statusCode: 'REQUIRED_FIELD_MISSING',
      message: 'Required fields are missing: [Name]',
      fields: ['Name'],
    });
    expect(parseBulkError('STRING_TOO_LONG:Name: data value too large:Name,Site --').fields).toEqual(['Name', 'Site']);
    expect(parseBulkError('DUPLICATE_VALUE:duplicate value found: QAD_Id__c duplicates value on record with id: 001000000000001AAA:--')).toEqual({
      statusCode: 'DUPLICATE_VALUE',
      message: 'duplicate value found: QAD_Id__c duplicates value on record with id: 001000000000001AAA',
      fields: [],
    });
    expect(parseBulkError(undefined).statusCode).toBe('UNKNOWN_EXCEPTION');
  });
});

describe('bulkOutcomes', () => {
  it('matches unordered results back to inputs by External ID', () => {
    const records = [{ K__c: 'a' }, { K__c: 'b' }, { K__c: 'c' }, { K__c: 'd' }];
    const outcomes = bulkOutcomes(records, 'K__c', {
      jobId: '750',
      jobIds: ['750'],
      successful: 2,
      successes: [
        { record: { K__c: 'c' }, id: '001C', created: false },
        { record: { K__c: 'a' }, id: '001A', created: true },
      ],
      failed: [{ record: { K__c: 'b' }, error: { statusCode: 'STRING_TOO_LONG', message: 'too long', fields: ['Name'] } }],
      unprocessed: [],
    });
    expect(outcomes).toEqual([
      { ok: true, id: '001A', created: true },
      { ok: false, errors: [{ statusCode: 'STRING_TOO_LONG', message: 'too long', fields: ['Name'] }] },
      { ok: true, id: '001C', created: false },
      { ok: false, errors: [expect.objectContaining({ statusCode: 'MISSING_RESULT' })] },
    ]);
  });
});
