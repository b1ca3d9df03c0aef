/**
 * One retry policy for every client. It is a pure function of the attempt number, the answer's
 * Retry-After and an injectable random source, so tests can pin the schedule exactly and the
 * clients only decide *whether* an outcome is retryable, never *how long* to wait.
 */
export interface RetryPolicyOptions {
  /** attempts after the first call; 0 disables retries */
  maxRetries: number;
  /** delay before the first retry, before jitter */
  baseDelayMs: number;
  /** no computed delay (nor an honoured Retry-After) exceeds this */
  maxDelayMs: number;
  /** growth per attempt */
  factor: number;
  /** 0 = no jitter, 1 = "full jitter" (uniform between 0 and the exponential delay) */
  jitter: number;
}

export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicyOptions> = Object.freeze({
  maxRetries: 5,
  baseDelayMs: 250,
  maxDelayMs: 30_000,
  factor: 2,
  jitter: 0.5,
});

export type RandomSource = () => number;

/**
 * Delay before retry number `retry` (1-based). A server-provided Retry-After wins over the
 * computed delay when it is present, but is still capped so a hostile or buggy header cannot
 * park a worker for hours.
 */
export function retryDelayMs(
  retry: number,
  options: RetryPolicyOptions = DEFAULT_RETRY_POLICY,
  retryAfterMs?: number | null,
  random: RandomSource = Math.random,
): number {
  if (retryAfterMs != null && Number.isFinite(retryAfterMs) && retryAfterMs >= 0) {
    return Math.min(retryAfterMs, options.maxDelayMs);
  }
  const exponential = Math.min(options.maxDelayMs, options.baseDelayMs * options.factor ** Math.max(0, retry - 1));
  const jitterSpan = exponential * Math.min(1, Math.max(0, options.jitter));
  return Math.round(exponential - jitterSpan + random() * jitterSpan);
}

/** Whether another attempt is allowed after `retriesSoFar` retries. */
export function mayRetry(retriesSoFar: number, options: RetryPolicyOptions = DEFAULT_RETRY_POLICY): boolean {
  return retriesSoFar < options.maxRetries;
}

/**
 * Parses an HTTP Retry-After value (delta-seconds or an HTTP date) into milliseconds from `now`.
 * Returns null when absent or unparseable so callers fall back to the computed backoff.
 */
export function parseRetryAfter(value: string | string[] | undefined | null, now: number = Date.now()): number | null {
  const raw = Array.isArray(value) ? value[0] : value;
  if (raw == null || raw.trim() === '') return null;
  const trimmed = raw.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return null;
  return Math.max(0, date - now);
}

/** Sleeps unless aborted; the abort reason propagates so shutdown does not wait out a backoff. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
