import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOrg, type OrgFixture } from './helpers.js';

describe('simulated org: Bulk API 2.0 ingest', () => {
  let f: OrgFixture;
  beforeAll(async () => {
    f = await startOrg();
  });
  afterAll(async () => f.org.close());

  async function waitForEnd(jobId: string): Promise<Record<string, unknown>> {
    for (;;) {
      const res = await f.api('GET', `/jobs/ingest/${jobId}`);
      if (['JobComplete', 'Failed', 'Aborted'].includes(res.body.state)) return res.body;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  it('runs a job from creation to results, reporting failed rows one by one', async () => {
    const job = await f.api('POST', '/jobs/ingest', { object: 'Account', operation: 'upsert', externalIdFieldName: 'QAD_Id__c', contentType: 'CSV', lineEnding: 'LF' });
    expect(job.status).toBe(200);
    expect(job.body).toMatchObject({ object: 'Account', operation: 'upsert', state: 'Open', externalIdFieldName: 'QAD_Id__c', contentType: 'CSV', jobType: 'V2Ingest' });
    const lines = ['QAD_Id__c,Name,BillingCity'];
    for (let i = 0; i < 1_000; i += 1) lines.push(`B|${i},${i % 250 === 7 ? '' : `Bulk ${i}`},"Paris, FR"`);
    const upload = await f.api('PUT', `/jobs/ingest/${job.body.id}/batches`, `${lines.join('\n')}\n`);
    expect(upload.status).toBe(201);
    const closed = await f.api('PATCH', `/jobs/ingest/${job.body.id}`, { state: 'UploadComplete' });
    expect(closed.body.state).toBe('UploadComplete');
    const done = await waitForEnd(job.body.id);
    expect(done).toMatchObject({ state: 'JobComplete', numberRecordsProcessed: 1_000, numberRecordsFailed: 4 });

    const ok = parse((await f.api('GET', `/jobs/ingest/${job.body.id}/successfulResults/`)).text, { columns: true }) as Array<Record<string, string>>;
    expect(ok).toHaveLength(996);
    expect(ok[0]).toEqual({ sf__Id: expect.stringMatching(/^001/), sf__Created: 'true', QAD_Id__c: 'B|0', Name: 'Bulk 0', BillingCity: 'Paris, FR' });
    const failed = parse((await f.api('GET', `/jobs/ingest/${job.body.id}/failedResults/`)).text, { columns: true }) as Array<Record<string, string>>;
    expect(failed.map((r) => r.QAD_Id__c)).toEqual(['B|7', 'B|257', 'B|507', 'B|757']);
    expect(failed[0]?.sf__Error).toMatch(/^REQUIRED_FIELD_MISSING:Required fields are missing: \[Name\]:Name --$/);
    const unprocessed = (await f.api('GET', `/jobs/ingest/${job.body.id}/unprocessedrecords/`)).text;
    expect(unprocessed.trim()).toBe('QAD_Id__c,Name,BillingCity');
    expect(f.org.control.query('SELECT Id FROM Account WHERE BillingCity = \'Paris, FR\'')).toHaveLength(996);
    expect(f.org.control.counters()).toMatchObject({ 'bulk-create': 1, 'bulk-upload': 1, 'bulk-close': 1 });
  });

  it('fails the whole job for an unknown column and keeps the rows as unprocessed', async () => {
    const job = await f.api('POST', '/jobs/ingest', { object: 'Product2', operation: 'insert' });
    await f.api('PUT', `/jobs/ingest/${job.body.id}/batches`, 'Name,Colour__c\nA,red\n');
    await f.api('PATCH', `/jobs/ingest/${job.body.id}`, { state: 'UploadComplete' });
    const done = await waitForEnd(job.body.id);
    expect(done).toMatchObject({ state: 'Failed', errorMessage: 'InvalidBatch : Field name not found : Colour__c' });
    const unprocessed = parse((await f.api('GET', `/jobs/ingest/${job.body.id}/unprocessedrecords/`)).text) as string[][];
    expect(unprocessed).toEqual([['Name', 'Colour__c'], ['A', 'red']]);
  });

  it('refuses a second upload, a bad operation and an upsert without an External ID field', async () => {
    const job = await f.api('POST', '/jobs/ingest', { object: 'Account', operation: 'insert' });
    await f.api('PUT', `/jobs/ingest/${job.body.id}/batches`, 'Name\nA\n');
    const second = await f.api('PUT', `/jobs/ingest/${job.body.id}/batches`, 'Name\nB\n');
    expect(second.status).toBe(409);
    expect((await f.api('POST', '/jobs/ingest', { object: 'Account', operation: 'merge' })).status).toBe(400);
    expect((await f.api('POST', '/jobs/ingest', { object: 'Account', operation: 'upsert', externalIdFieldName: 'Name' })).body[0].errorCode).toBe('INVALIDJOB');
    await f.api('PATCH', `/jobs/ingest/${job.body.id}`, { state: 'Aborted' });
    expect((await f.api('GET', `/jobs/ingest/${job.body.id}`)).body.state).toBe('Aborted');
  });

  it('writes each chunk of 200 rows as one transaction with origin bulkapi', async () => {
    const transactions = new Map<string, number>();
    const origins = new Set<string>();
    const listener = (change: { transactionKey: string; changeOrigin: string }) => {
      transactions.set(change.transactionKey, (transactions.get(change.transactionKey) ?? 0) + 1);
      origins.add(change.changeOrigin);
    };
    f.org.events.on('change', listener);
    const job = await f.api('POST', '/jobs/ingest', { object: 'Account', operation: 'insert' }, { 'Sforce-Call-Options': 'client=ml-connector' });
    const rows = ['Name', ...Array.from({ length: 450 }, (_, i) => `Chunk ${i}`)];
    await f.api('PUT', `/jobs/ingest/${job.body.id}/batches`, rows.join('\n'));
    await f.api('PATCH', `/jobs/ingest/${job.body.id}`, { state: 'UploadComplete' });
    await waitForEnd(job.body.id);
    f.org.events.off('change', listener);
    expect([...transactions.values()]).toEqual([200, 200, 50]);
    expect([...origins]).toEqual(['com/salesforce/api/bulkapi/66.0;client=ml-connector']);
  });
});
