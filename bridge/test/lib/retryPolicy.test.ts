import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY_POLICY, mayRetry, parseRetryAfter, retryDelayMs, sleep } from '../../src/lib/retryPolicy.js';

const noJitter = { ...DEFAULT_RETRY_POLICY, jitter: 0 };

describe('retryDelayMs', () => {
  it('grows exponentially from the base delay', () => {
    expect([1, 2, 3, 4].map((n) => retryDelayMs(n, noJitter))).toEqual([250, 500, 1000, 2000]);
  });

  it('never exceeds the cap, however many retries', () => {
    expect(retryDelayMs(40, noJitter)).toBe(DEFAULT_RETRY_POLICY.maxDelayMs);
  });

  it('spreads delays across the jitter span with the injected random source', () => {
    const policy = { ...DEFAULT_RETRY_POLICY, jitter: 1 };
    expect(retryDelayMs(3, policy, null, () => 0)).toBe(0);
    expect(retryDelayMs(3, policy, null, () => 0.5)).toBe(500);
    expect(retryDelayMs(3, policy, null, () => 0.999999)).toBe(1000);
  });

  it('honours Retry-After but caps it', () => {
    expect(retryDelayMs(1, noJitter, 4000)).toBe(4000);
    expect(retryDelayMs(1, noJitter, 10 * 60 * 60 * 1000)).toBe(DEFAULT_RETRY_POLICY.maxDelayMs);
  });
});

describe('mayRetry', () => {
  it('stops after maxRetries', () => {
    expect(mayRetry(4)).toBe(true);
    expect(mayRetry(5)).toBe(false);
    expect(mayRetry(0, { ...DEFAULT_RETRY_POLICY, maxRetries: 0 })).toBe(false);
  });
});

describe('parseRetryAfter', () => {
  it('reads delta-seconds and HTTP dates', () => {
    const now = Date.parse('2026-11-27T10:00:00Z');
    expect(parseRetryAfter('3', now)).toBe(3000);
    expect(parseRetryAfter('Fri, 27 Nov 2026 10:00:05 GMT', now)).toBe(5000);
    expect(parseRetryAfter(['2'], now)).toBe(2000);
  });

  it('returns null for absent or garbage values', () => {
    expect(parseRetryAfter(undefined)).toBeNull();
    expect(parseRetryAfter('')).toBeNull();
    expect(parseRetryAfter('soon')).toBeNull();
  });
});

describe('sleep', () => {
  it('rejects with the abort reason instead of waiting out the delay', async () => {
    const controller = new AbortController();
    const pending = sleep(60_000, controller.signal);
    controller.abort(new Error('shutting down'));
    await expect(pending).rejects.toThrow('shutting down');
  });
});
