import { mayRetry, retryDelayMs, type RandomSource, type RetryPolicyOptions } from '../../lib/retryPolicy.js';
import { DailyLimitExceededError, InvalidSessionError, NetworkError, RateLimitedError, RequestTimeoutError, type SalesforceError } from './errors.js';

/**
 * The Salesforce client's one answer to "what now?" after a call failed. Pure: the transport hands
 * in the classified error and what it knows of the call, and acts on the verdict. What counts as
 * retryable is the error class's `retryable` (errors.ts maps status and errorCode to a class);
 * this decides whether *this* call may repeat, when, and how sessions are renewed.
 *
 * - 401 INVALID_SESSION_ID: the first one renews the token and repeats at once. A later one renews
 *   again only if the rejected token had already been accepted (Salesforce revoked it again while
 *   the call was backing off) and the retry budget allows; a token rejected on its first use is a
 *   configuration problem (scopes, Run As user), reported instead of looped on.
 * - 408, 429 and the concurrent-request limit: Salesforce refused without doing the work, so any
 *   call may repeat, a plain create included.
 * - 502/503/504, row locks and network failures: repeated when the call is safe to repeat (reads,
 *   upserts by External ID, updates by Id) or provably never left (connection refused).
 * - 500 (UNKNOWN_EXCEPTION) is not retried: it is usually an Apex exception on that very data.
 * - A Retry-After is honoured; one beyond the policy's cap is not slept on: the call fails with
 *   its retryable error, which carries `retryAfterMs` (errors.ts), so the caller schedules the
 *   attempt for then.
 * - The daily API limit stops work: never retried.
 */
export interface SalesforceCallFailure {
  error: SalesforceError;
  /** 'idempotent' when repeating the call lands on the same state */
  safety: 'idempotent' | 'once';
  /** whether a token went out with the request (false when getting the token itself failed) */
  tokenSent: boolean;
  /** whether the token the request carried had been accepted by Salesforce before (TokenProvider) */
  tokenAccepted: boolean;
  /** retries already made for this call */
  retries: number;
  /** session renewals already made for this call */
  sessionRenewals: number;
  /** Retry-After of the answer, in ms */
  retryAfterMs: number | null;
}

export type SalesforceRetryVerdict =
  /** forget the token, get a new one, send again after `delayMs`; `countsAsRetry` spends a retry */
  | { action: 'renew-session'; delayMs: number; countsAsRetry: boolean }
  | { action: 'retry'; delayMs: number }
  | { action: 'fail' };

export function salesforceRetryVerdict(call: SalesforceCallFailure, policy: RetryPolicyOptions, random?: RandomSource): SalesforceRetryVerdict {
  const { error } = call;
  if (error instanceof DailyLimitExceededError) return { action: 'fail' };
  if (error instanceof InvalidSessionError && call.tokenSent) {
    if (call.sessionRenewals === 0) return { action: 'renew-session', delayMs: 0, countsAsRetry: false };
    if (call.tokenAccepted && mayRetry(call.retries, policy)) {
      return { action: 'renew-session', delayMs: retryDelayMs(call.retries + 1, policy, null, random), countsAsRetry: true };
    }
    return { action: 'fail' };
  }
  if (!error.retryable) return { action: 'fail' };
  const refusedBeforeWork = error instanceof RateLimitedError || error instanceof RequestTimeoutError;
  const repeatable = !call.tokenSent || call.safety === 'idempotent' || refusedBeforeWork || (error instanceof NetworkError && error.beforeSend);
  if (!repeatable) return { action: 'fail' };
  if (call.retryAfterMs !== null && call.retryAfterMs > policy.maxDelayMs) return { action: 'fail' };
  if (!mayRetry(call.retries, policy)) return { action: 'fail' };
  return { action: 'retry', delayMs: retryDelayMs(call.retries + 1, policy, call.retryAfterMs, random) };
}
