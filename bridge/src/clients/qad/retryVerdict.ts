import { mayRetry, retryDelayMs, type RandomSource, type RetryPolicyOptions } from '../../lib/retryPolicy.js';
import { QadError, QadRateLimitedError, QadServerError, QadTransportError } from './errors.js';

/**
 * The QAD client's one answer to "may this exchange be tried again, and when?". Pure: the transport
 * hands in what happened and acts on the verdict, so every status the tenant can answer is decided
 * here and nowhere else, and tests pin each case without a network.
 *
 * - 408 and 429 mean the tenant turned the request away without doing it, so they are repeated for
 *   any request, writes included; a Retry-After is honoured.
 * - 5xx and socket failures may come after the work was done, so only requests that are safe to
 *   repeat are repeated here; a write gets a retryable error and the caller's own resumable logic
 *   (the order write reads before it writes) decides on the next attempt.
 * - A Retry-After longer than the policy's cap is not slept on while holding a request slot: the
 *   verdict fails with a retryable error carrying `retryAfterMs`, so the job is scheduled for then.
 * - Anything that ran out of attempts fails with a retryable error: a later attempt (the engine's)
 *   may well succeed, and giving up for good would turn a busy minute into a manual replay.
 */
export interface QadExchange {
  /** `GET /path`: method and path only, never the query (it can carry the password) */
  request: string;
  /** repeatable without side effects */
  idempotent: boolean;
  /** retries already made for this request */
  retriesSoFar: number;
  /** the status the tenant answered; absent when no answer came */
  status?: number;
  /** why no answer came (connection refused or reset, timeout, URL policy refusal) */
  failure?: QadError;
  /** Retry-After of the answer, in ms (parseRetryAfter) */
  retryAfterMs?: number | null;
  /**
   * SOAP carries its faults in an HTTP 500 whose body the caller reads (QXtend), so for such a
   * request a 500 is an answer, not a failure.
   */
  serverErrorIsAnswer?: boolean;
}

export type QadRetryVerdict =
  /** hand the answer to the caller (success, or an error the caller reads from the body) */
  | { kind: 'answer' }
  /** send the same request again after `delayMs` */
  | { kind: 'retry'; delayMs: number }
  /** stop with this error; `error.retryable` says whether a later attempt may succeed */
  | { kind: 'fail'; error: QadError };

/** HTTP statuses that say "not now" rather than "not this" */
const REFUSED_BEFORE_WORK = new Set([408, 429]);

function failureFor(exchange: QadExchange, status: number, retryAfterMs: number | undefined): QadError {
  const options = retryAfterMs === undefined ? {} : { retryAfterMs };
  if (status === 429) return new QadRateLimitedError(`QAD rate-limited ${exchange.request} (HTTP 429); retry later`, options);
  if (status === 408) return new QadTransportError('QAD_ERR_TIMEOUT', `QAD timed out waiting for ${exchange.request} (HTTP 408); retry later`, { statusCode: 408, ...options });
  // 5xx text (a Tomcat page, a stack trace) never reaches a caller: only the status does.
  return new QadServerError(`QAD answered HTTP ${status} to ${exchange.request}`, status, options);
}

export function qadRetryVerdict(exchange: QadExchange, policy: RetryPolicyOptions, random?: RandomSource): QadRetryVerdict {
  const { status, failure } = exchange;
  let repeatable: boolean;
  let error: QadError;
  if (failure) {
    if (!failure.retryable) return { kind: 'fail', error: failure };
    repeatable = exchange.idempotent;
    error = failure;
  } else if (status !== undefined && REFUSED_BEFORE_WORK.has(status)) {
    repeatable = true;
    error = failureFor(exchange, status, undefined);
  } else if (status !== undefined && status >= 500 && !(status === 500 && exchange.serverErrorIsAnswer)) {
    repeatable = exchange.idempotent;
    error = failureFor(exchange, status, undefined);
  } else {
    return { kind: 'answer' };
  }
  const retryAfterMs = exchange.retryAfterMs ?? null;
  const waitTooLong = retryAfterMs !== null && retryAfterMs > policy.maxDelayMs;
  if (repeatable && !waitTooLong && mayRetry(exchange.retriesSoFar, policy)) {
    return { kind: 'retry', delayMs: retryDelayMs(exchange.retriesSoFar + 1, policy, retryAfterMs, random) };
  }
  if (retryAfterMs !== null && status !== undefined) error = failureFor(exchange, status, retryAfterMs);
  return { kind: 'fail', error };
}
