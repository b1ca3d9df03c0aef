import { SalesforceApiError } from './errors.js';

/**
 * Faults the control surface can inject: extra latency, or the next N matching calls answering
 * 401 / 408 / 429 / 503 / UNABLE_TO_LOCK_ROW. A rule matches by path prefix and method when given.
 */
export type FaultKind = 401 | 408 | 429 | 503 | 'UNABLE_TO_LOCK_ROW' | 'latency';

export interface FaultRule {
  kind: FaultKind;
  /** how many calls it hits (default 1); latency rules default to every call */
  count?: number;
  pathPrefix?: string;
  method?: string;
  latencyMs?: number;
  /** seconds for the Retry-After header of 429/503 */
  retryAfterSeconds?: number;
  /** override the answer's errorCode/message */
  errorCode?: string;
  message?: string;
}

interface ActiveRule extends FaultRule {
  remaining: number;
}

export class FaultInjector {
  private rules: ActiveRule[] = [];

  add(rule: FaultRule): void {
    const count = rule.count ?? (rule.kind === 'latency' ? Number.POSITIVE_INFINITY : 1);
    this.rules.push({ ...rule, remaining: count });
  }

  clear(): void {
    this.rules = [];
  }

  list(): FaultRule[] {
    return this.rules.map(({ remaining, ...rule }) => ({ ...rule, count: remaining }));
  }

  /** A rule without a path prefix hits the REST API only; the token endpoint is faulted by naming it. */
  private matches(rule: ActiveRule, method: string, path: string): boolean {
    if (rule.remaining <= 0) return false;
    if (rule.pathPrefix ? !path.startsWith(rule.pathPrefix) : !path.startsWith('/services/data/')) return false;
    if (rule.method && rule.method.toUpperCase() !== method.toUpperCase()) return false;
    return true;
  }

  /** Milliseconds of injected latency for this call (consumes counted latency rules). */
  latencyFor(method: string, path: string): number {
    let total = 0;
    for (const rule of this.rules) {
      if (rule.kind !== 'latency' || !this.matches(rule, method, path)) continue;
      rule.remaining -= 1;
      total += rule.latencyMs ?? 0;
    }
    return total;
  }

  /** The error a faulted call answers with, consuming one hit of the first matching rule. */
  take(method: string, path: string): { error: SalesforceApiError; kind: FaultKind } | null {
    const rule = this.rules.find((r) => r.kind !== 'latency' && this.matches(r, method, path));
    if (!rule) return null;
    rule.remaining -= 1;
    this.rules = this.rules.filter((r) => r.remaining > 0);
    return { error: faultError(rule), kind: rule.kind };
  }
}

function faultError(rule: FaultRule): SalesforceApiError {
  const retryAfter: Record<string, string> = rule.retryAfterSeconds !== undefined ? { 'Retry-After': String(rule.retryAfterSeconds) } : {};
  switch (rule.kind) {
    case 401:
      return new SalesforceApiError(401, rule.errorCode ?? 'INVALID_SESSION_ID', rule.message ?? 'Session expired or invalid');
    case 429:
      return new SalesforceApiError(429, rule.errorCode ?? 'REQUEST_LIMIT_EXCEEDED', rule.message ?? 'ConcurrentPerOrgLongTxn Limit exceeded.', [], {
        'Retry-After': String(rule.retryAfterSeconds ?? 1),
      });
    case 408:
      return new SalesforceApiError(408, rule.errorCode ?? 'REQUEST_TIMEOUT', rule.message ?? 'Request timed out', [], retryAfter);
    case 503:
      return new SalesforceApiError(503, rule.errorCode ?? 'SERVER_UNAVAILABLE', rule.message ?? 'Server is temporarily unavailable. Try again later.', [], retryAfter);
    default:
      return new SalesforceApiError(400, rule.errorCode ?? 'UNABLE_TO_LOCK_ROW', rule.message ?? 'unable to obtain exclusive access to this record or 200 records');
  }
}
