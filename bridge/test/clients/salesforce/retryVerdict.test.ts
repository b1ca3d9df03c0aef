import { afterEach, describe, expect, it } from 'vitest';
import {
  DailyLimitExceededError,
  errorFromResponse,
  InvalidSessionError,
  NetworkError,
  RateLimitedError,
  RequestTimeoutError,
  RowLockedError,
  ServerError,
  UnavailableError,
  ValidationError,
  type SalesforceError,
} from '../../../src/clients/salesforce/errors.js';
import { salesforceRetryVerdict, type SalesforceCallFailure } from '../../../src/clients/salesforce/retryVerdict.js';
import { DEFAULT_RETRY_POLICY } from '../../../src/lib/retryPolicy.js';
import { LeakWatch, startRig, type Rig } from './harness.js';

const policy = { ...DEFAULT_RETRY_POLICY, maxRetries: 3, baseDelayMs: 100, maxDelayMs: 10_000, jitter: 0 };

function call(error: SalesforceError, over: Partial<SalesforceCallFailure> = {}): SalesforceCallFailure {
  return { error, safety: 'idempotent', tokenSent: true, tokenAccepted: true, retries: 0, sessionRenewals: 0, retryAfterMs: null, ...over };
}

describe('salesforceRetryVerdict: one decision per status and failure', () => {
  const table: Array<[string, SalesforceCallFailure, string]> = [
    ['408 on an upsert is retried', call(new RequestTimeoutError('t', { statusCode: 408 })), 'retry'],
    ['408 on a plain create is retried: Salesforce did not do it', call(new RequestTimeoutError('t', { statusCode: 408 }), { safety: 'once' }), 'retry'],
    ['429 on a plain create is retried', call(new RateLimitedError('r', { statusCode: 429 }), { safety: 'once' }), 'retry'],
    ['502/503/504 on an upsert is retried', call(new UnavailableError('u', { statusCode: 503 })), 'retry'],
    ['503 on a plain create is not repeated', call(new UnavailableError('u', { statusCode: 503 }), { safety: 'once' }), 'fail'],
    ['500 is not retried (an Apex exception on that data)', call(new ServerError('s', { statusCode: 500 })), 'fail'],
    ['a reset socket on an upsert is retried', call(new NetworkError('n', false)), 'retry'],
    ['a reset socket on a plain create is not repeated', call(new NetworkError('n', false), { safety: 'once' }), 'fail'],
    ['a refused connection on a plain create is retried: nothing left', call(new NetworkError('n', true), { safety: 'once' }), 'retry'],
    ['a token request that failed on the network is retried', call(new NetworkError('n', false), { tokenSent: false, safety: 'once' }), 'retry'],
    ['a row lock on an upsert is retried', call(new RowLockedError('l', { statusCode: 400 })), 'retry'],
    ['a validation error is final', call(new ValidationError('v', { statusCode: 400 })), 'fail'],
    ['the daily API limit stops work', call(new DailyLimitExceededError('d', { statusCode: 403 })), 'fail'],
    ['the first 401 renews the session', call(new InvalidSessionError('i', { statusCode: 401 }), { tokenAccepted: false }), 'renew-session'],
    ['a 401 for a token that worked, after a renewal, renews again (revoked again)', call(new InvalidSessionError('i', { statusCode: 401 }), { sessionRenewals: 1, tokenAccepted: true }), 'renew-session'],
    ['a 401 for a fresh token never accepted is reported (configuration)', call(new InvalidSessionError('i', { statusCode: 401 }), { sessionRenewals: 1, tokenAccepted: false }), 'fail'],
  ];

  it.each(table)('%s', (_name, failure, action) => {
    expect(salesforceRetryVerdict(failure, policy).action).toBe(action);
  });

  it('maps HTTP 408 to a retryable request timeout with its own code', () => {
    const error = errorFromResponse(408, null, { method: 'PATCH', path: '/services/data/v66.0/composite/sobjects/Account/QAD_Id__c' });
    expect(error).toBeInstanceOf(RequestTimeoutError);
    expect(error).toMatchObject({ code: 'SF_ERR_REQUEST_TIMEOUT', retryable: true, statusCode: 408 });
  });

  it('honours Retry-After, and leaves a longer one to the caller with the error carrying it', () => {
    expect(salesforceRetryVerdict(call(new UnavailableError('u'), { retryAfterMs: 4_000 }), policy)).toEqual({ action: 'retry', delayMs: 4_000 });
    expect(salesforceRetryVerdict(call(new UnavailableError('u'), { retryAfterMs: 60_000 }), policy)).toEqual({ action: 'fail' });
    const error = errorFromResponse(429, [{ errorCode: 'TOO_MANY', message: 'slow' }], { method: 'GET', path: '/x', retryAfterMs: 60_000 });
    expect(error).toMatchObject({ retryable: true, retryAfterMs: 60_000 });
  });

  it('spends the retry budget on repeated revocations, then reports', () => {
    const revoked = new InvalidSessionError('i', { statusCode: 401 });
    expect(salesforceRetryVerdict(call(revoked, { sessionRenewals: 2, retries: 1 }), policy)).toEqual({ action: 'renew-session', delayMs: 200, countsAsRetry: true });
    expect(salesforceRetryVerdict(call(revoked, { sessionRenewals: 4, retries: 3 }), policy)).toEqual({ action: 'fail' });
  });
});

describe('the Salesforce client against an org that times out and revokes tokens', () => {
  const watch = new LeakWatch();
  let rig: Rig | undefined;
  afterEach(async () => {
    await rig?.close();
    rig = undefined;
  });
  const api = (r: Rig): string => `/services/data/v${r.org.apiVersion}`;
  const accounts = (n: number) => Array.from({ length: n }, (_, i) => ({ QAD_Id__c: `S1|T${i}`, Name: `Timeout ${i}` }));

  it('retries a 200-record upsert answered 408 instead of failing the batch', async () => {
    rig = await startRig(watch);
    rig.org.control.addFault({ kind: 408, count: 1, pathPrefix: `${api(rig)}/composite/sobjects` });
    const outcomes = await rig.client.upsert('Account', 'QAD_Id__c', accounts(200));
    expect(outcomes.filter((o) => o.ok)).toHaveLength(200);
    expect(rig.delays).toHaveLength(1);
    expect(rig.org.control.rowCount('Account')).toBe(200);
  });

  it('survives a second token revocation while the batch backs off from a 503', async () => {
    rig = await startRig(watch);
    const org = rig.org;
    let revocations = 0;
    // the second revocation lands while the call waits out its backoff
    const client = rig.makeClient({}, async () => {
      revocations += org.control.expireTokens() > 0 ? 1 : 0;
    });
    await client.login();
    org.control.resetCounters();
    // faults answer before the session is checked, so the first revocation is a 401 rule
    org.control.addFault({ kind: 401, count: 1, pathPrefix: `${api(rig)}/composite/sobjects` });
    org.control.addFault({ kind: 503, count: 1, pathPrefix: `${api(rig)}/composite/sobjects` });
    const outcomes = await client.upsert('Account', 'QAD_Id__c', accounts(3));
    expect(outcomes.every((o) => o.ok)).toBe(true);
    expect(revocations).toBe(1);
    // 401 (first revocation) → new token → 503 → backoff (second revocation) → 401 → new token → done
    expect(org.control.counters()).toMatchObject({ oauth: 2, 'collections-upsert': 4, faults: 2 });
  });
});
