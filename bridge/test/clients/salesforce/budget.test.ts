import { describe, expect, it } from 'vitest';
import { ApiBudget, parseDailyApiRequests, parseLimitInfo } from '../../../src/clients/salesforce/budget.js';

describe('parseLimitInfo', () => {
  it('reads api-usage among other parts', () => {
    expect(parseLimitInfo('api-usage=18/5000')).toEqual({ used: 18, max: 5000 });
    expect(parseLimitInfo('per-app-api-usage=17/250(appName=x); api-usage=25/5000;api-bursts=1/750')).toEqual({ used: 25, max: 5000 });
    expect(parseLimitInfo(['api-usage=7/100'])).toEqual({ used: 7, max: 100 });
  });

  it('returns null when absent or unreadable', () => {
    expect(parseLimitInfo(undefined)).toBeNull();
    expect(parseLimitInfo('')).toBeNull();
    expect(parseLimitInfo('api-usage=lots')).toBeNull();
    expect(parseLimitInfo('api-bursts=1/750')).toBeNull();
  });
});

describe('parseDailyApiRequests', () => {
  it('reads numbers and numeric strings', () => {
    expect(parseDailyApiRequests({ DailyApiRequests: { Max: 15000, Remaining: 14998 } })).toEqual({ used: 2, max: 15000 });
    expect(parseDailyApiRequests({ DailyApiRequests: { Max: '100', Remaining: '40' } })).toEqual({ used: 60, max: 100 });
    expect(parseDailyApiRequests({})).toBeNull();
  });
});

describe('ApiBudget', () => {
  let now = 1_000_000;
  const clock = () => now;

  it('lets everything through before the allowance is known', () => {
    const budget = new ApiBudget({ reserve: 10, exhaustedCooldownMs: 1000, clock });
    expect(() => budget.assertMayCall(false)).not.toThrow();
    expect(budget.snapshot()).toBeNull();
  });

  it('holds back non-critical calls at or below the reserve, never critical ones', () => {
    const budget = new ApiBudget({ reserve: 10, exhaustedCooldownMs: 1000, clock });
    budget.observe({ used: 89, max: 100 });
    expect(() => budget.assertMayCall(false)).not.toThrow();
    budget.observe({ used: 90, max: 100 });
    expect(budget.snapshot()).toEqual({ used: 90, max: 100, remaining: 10 });
    expect(() => budget.assertMayCall(false)).toThrow(expect.objectContaining({ code: 'SF_ERR_BUDGET_RESERVE', retryable: true }));
    expect(() => budget.assertMayCall(true)).not.toThrow();
  });

  it('with a reserve of 0 never holds calls back', () => {
    const budget = new ApiBudget({ reserve: 0, exhaustedCooldownMs: 1000, clock });
    budget.observe({ used: 100, max: 100 });
    expect(() => budget.assertMayCall(false)).not.toThrow();
  });

  it('after the limit is hit refuses every call but a probe until the cooldown passes or room shows', () => {
    const budget = new ApiBudget({ reserve: 0, exhaustedCooldownMs: 1000, clock });
    budget.observe({ used: 99, max: 100 });
    budget.markExhausted();
    expect(budget.snapshot()?.remaining).toBe(0);
    expect(() => budget.assertMayCall(true)).toThrow(expect.objectContaining({ code: 'SF_ERR_REQUEST_LIMIT' }));
    expect(() => budget.assertMayCall(false, true)).not.toThrow();
    now += 1001;
    expect(() => budget.assertMayCall(true)).not.toThrow();
    budget.markExhausted();
    budget.observe({ used: 10, max: 100 });
    expect(() => budget.assertMayCall(false)).not.toThrow();
  });

  it('ignores answers without usage', () => {
    const budget = new ApiBudget({ reserve: 5, exhaustedCooldownMs: 1000, clock });
    budget.observe({ used: 3, max: 100 });
    budget.observe(null);
    expect(budget.snapshot()).toEqual({ used: 3, max: 100, remaining: 97 });
  });

  it('refuses a bad reserve', () => {
    expect(() => new ApiBudget({ reserve: -1, exhaustedCooldownMs: 1, clock })).toThrow(/apiReserve/);
  });
});
