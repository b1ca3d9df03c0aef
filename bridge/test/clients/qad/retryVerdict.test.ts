import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { QadClient } from '../../../src/clients/qad/client.js';
import { QadAuthError, QadTransportError, QadUrlRefusedError, type QadError } from '../../../src/clients/qad/errors.js';
import { qadRetryVerdict, type QadExchange } from '../../../src/clients/qad/retryVerdict.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicyOptions } from '../../../src/lib/retryPolicy.js';
import type { SimulatedQadTenant } from '../../../sandbox/qad/index.js';
import { clientFor, startTenantFor } from './helpers.js';

const policy: RetryPolicyOptions = { ...DEFAULT_RETRY_POLICY, maxRetries: 3, baseDelayMs: 100, maxDelayMs: 10_000, jitter: 0 };
const read = (over: Partial<QadExchange>): QadExchange => ({ request: 'GET api/erp/customers', idempotent: true, retriesSoFar: 0, ...over });
const write = (over: Partial<QadExchange>): QadExchange => ({ request: 'POST api/erp/customers', idempotent: false, retriesSoFar: 0, ...over });

describe('qadRetryVerdict: one decision per status and failure', () => {
  const table: Array<[string, QadExchange, string, string | null, boolean?]> = [
    // name, exchange, verdict kind, error code when failing, error retryable
    ['200 is an answer', read({ status: 200 }), 'answer', null],
    ['400 is an answer the caller reads (submitResult errors)', read({ status: 400 }), 'answer', null],
    ['401 is an answer (the REST layer renews the token)', read({ status: 401 }), 'answer', null],
    ['404 is an answer', read({ status: 404 }), 'answer', null],
    ['408 on a read is retried', read({ status: 408 }), 'retry', null],
    ['408 on a write is retried: the tenant did not do it', write({ status: 408 }), 'retry', null],
    ['429 on a read is retried', read({ status: 429 }), 'retry', null],
    ['429 on a write is retried: the tenant did not do it', write({ status: 429 }), 'retry', null],
    ['500 on a read is retried', read({ status: 500 }), 'retry', null],
    ['500 on a write fails, retryable later', write({ status: 500 }), 'fail', 'QAD_ERR_SERVER', true],
    ['500 carrying a SOAP fault is an answer', write({ status: 500, serverErrorIsAnswer: true }), 'answer', null],
    ['502 on a read is retried', read({ status: 502 }), 'retry', null],
    ['503 on a read is retried', read({ status: 503 }), 'retry', null],
    ['503 on a write fails, retryable later', write({ status: 503 }), 'fail', 'QAD_ERR_SERVER', true],
    ['503 is a failure even where a 500 carries SOAP', write({ status: 503, serverErrorIsAnswer: true }), 'fail', 'QAD_ERR_SERVER', true],
    ['504 on a read is retried', read({ status: 504 }), 'retry', null],
    ['a reset socket on a read is retried', read({ failure: new QadTransportError('QAD_ERR_TRANSPORT', 'reset') }), 'retry', null],
    ['a timeout on a read is retried', read({ failure: new QadTransportError('QAD_ERR_TIMEOUT', 'timeout') }), 'retry', null],
    ['a reset socket on a write fails, retryable later', write({ failure: new QadTransportError('QAD_ERR_TRANSPORT', 'reset') }), 'fail', 'QAD_ERR_TRANSPORT', true],
    ['a URL policy refusal is final', read({ failure: new QadUrlRefusedError('QAD_ERR_URL_LOOPBACK', 'no-loopback', 'loopback', 'fix it') }), 'fail', 'QAD_ERR_URL_LOOPBACK', false],
    ['an auth failure is final', read({ failure: new QadAuthError('QAD_ERR_AUTH_FAILED', 'refused') }), 'fail', 'QAD_ERR_AUTH_FAILED', false],
  ];

  it.each(table)('%s', (_name, exchange, kind, code, retryable) => {
    const verdict = qadRetryVerdict(exchange, policy);
    expect(verdict.kind).toBe(kind);
    if (verdict.kind === 'fail') {
      expect(verdict.error.code).toBe(code);
      expect(verdict.error.retryable).toBe(retryable);
    }
  });

  it('waits the exponential backoff, then gives up with a retryable error once the retries are spent', () => {
    expect([0, 1, 2].map((n) => qadRetryVerdict(read({ status: 503, retriesSoFar: n }), policy))).toEqual([
      { kind: 'retry', delayMs: 100 },
      { kind: 'retry', delayMs: 200 },
      { kind: 'retry', delayMs: 400 },
    ]);
    const spent = qadRetryVerdict(read({ status: 429, retriesSoFar: 3 }), policy);
    expect(spent).toMatchObject({ kind: 'fail', error: { code: 'QAD_ERR_RATE_LIMITED', retryable: true } });
    expect(qadRetryVerdict(read({ status: 408, retriesSoFar: 3 }), policy)).toMatchObject({ kind: 'fail', error: { code: 'QAD_ERR_TIMEOUT', retryable: true, statusCode: 408 } });
  });

  it('honours Retry-After instead of its own backoff', () => {
    expect(qadRetryVerdict(read({ status: 429, retryAfterMs: 7_000 }), policy)).toEqual({ kind: 'retry', delayMs: 7_000 });
    expect(qadRetryVerdict(write({ status: 429, retryAfterMs: 0 }), policy)).toEqual({ kind: 'retry', delayMs: 0 });
    expect(qadRetryVerdict(read({ status: 503, retryAfterMs: 2_000, retriesSoFar: 2 }), policy)).toEqual({ kind: 'retry', delayMs: 2_000 });
  });

  it('does not sleep on a Retry-After beyond its cap: it fails retryable and hands the wait to the caller', () => {
    const verdict = qadRetryVerdict(read({ status: 429, retryAfterMs: 120_000 }), policy);
    expect(verdict).toMatchObject({ kind: 'fail', error: { code: 'QAD_ERR_RATE_LIMITED', retryable: true, retryAfterMs: 120_000 } });
  });

  it('never puts the tenant answer text or a query string into the error', () => {
    const verdict = qadRetryVerdict(read({ status: 502, retriesSoFar: 3 }), policy);
    expect(verdict.kind === 'fail' && verdict.error.message).toBe('QAD answered HTTP 502 to GET api/erp/customers');
  });
});

describe('the QAD client against a tenant that answers 408, 429 and 5xx', () => {
  let tenant: SimulatedQadTenant;
  let client: QadClient;
  const sleeps: number[] = [];
  /** what a backoff waits for instead of the clock; nothing unless a test says */
  let duringBackoff: () => Promise<void> = async () => undefined;

  beforeAll(async () => {
    tenant = await startTenantFor('adaptive-rest');
    // the sleeps are recorded, not slept: Retry-After is checked without waiting for it
    client = await clientFor(tenant, 'adaptive-rest', {
      sleep: async (ms) => {
        sleeps.push(ms);
        await duringBackoff();
      },
      random: () => 0.5,
    });
    await client.connect();
  });
  afterAll(async () => {
    await client.close();
    await tenant.close();
  });
  afterEach(() => {
    tenant.control.clearFaults();
    sleeps.length = 0;
    duringBackoff = async () => undefined;
  });

  it('retries a browse page answered 429 and waits what Retry-After says', async () => {
    tenant.control.failNext(2, 429, ['browse'], 'refused', 7);
    const pages: number[] = [];
    for await (const page of client.read('customer')) pages.push(page.length);
    expect(pages.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    expect(sleeps).toEqual([7_000, 7_000]);
  });

  it('retries an order write refused with 429 and writes it once', async () => {
    tenant.control.failNext(1, 429, ['soHeaderWrite'], 'refused', 1);
    const outcome = await client.createSalesOrder({
      salesforceOrderId: '801RETRY0000429',
      customerCode: '10C1001',
      orderDate: '2026-04-01',
      dueDate: '2026-04-15',
      currency: 'USD',
      lines: [{ line: 1, itemCode: '10-1000', quantity: 3 }],
    });
    expect(outcome.headerCreated).toBe(true);
    expect(tenant.control.orders('10USA').filter((o) => o.orderNumber === outcome.orderNumber)).toHaveLength(1);
    expect(sleeps).toEqual([1_000]);
  });

  it('retries reads answered 408 and 500', async () => {
    tenant.control.failNext(1, 408, ['erpRead']);
    expect(await client.getRecord('customer', 'US-SET|10C1000')).not.toBeNull();
    tenant.control.failNext(1, 500, ['erpRead']);
    expect(await client.getRecord('customer', 'US-SET|10C1000')).not.toBeNull();
    expect(sleeps).toHaveLength(2);
  });

  it('gives a write that keeps meeting 429 a retryable error, not a validation failure', async () => {
    tenant.control.failNext(10, 429, ['erpWrite']);
    const error = (await client.updateCustomer('US-SET|10C1000', { city: 'Evanston' }).catch((e: unknown) => e)) as QadError;
    expect(error).toMatchObject({ code: 'QAD_ERR_RATE_LIMITED', retryable: true });
  });

  it('retries a read whose connection the tenant refuses', async () => {
    // the backoff lasts until the tenant listens again, however long the machine takes to restart it
    duringBackoff = async () => {
      const deadline = Date.now() + 20_000;
      while (!(await fetch(`${tenant.controlUrl}/counters`).then((r) => r.ok, () => false))) {
        if (Date.now() > deadline) throw new Error('the tenant did not come back');
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    await tenant.control.crash({ downForMs: 50 });
    expect(await client.getRecord('item', '10-1000')).not.toBeNull();
    expect(sleeps.length).toBeGreaterThanOrEqual(1);
  });
});
