import { BudgetReserveError, DailyLimitExceededError } from './errors.js';

export interface ApiUsage {
  used: number;
  max: number;
}

/**
 * Reads `Sforce-Limit-Info: api-usage=18/5000` (and ignores other `key=value` parts such as
 * `per-app-api-usage=…` or `api-bursts=…`). Returns null when the header is absent or unreadable,
 * so an odd answer never resets what the client already knows.
 */
export function parseLimitInfo(header: string | string[] | undefined | null): ApiUsage | null {
  const raw = Array.isArray(header) ? header.join(';') : header;
  if (!raw) return null;
  for (const part of raw.split(/[;,]/)) {
    const [key, value] = part.split('=', 2).map((s) => s.trim());
    if (key?.toLowerCase() !== 'api-usage' || !value) continue;
    const match = /^(\d+)\s*\/\s*(\d+)$/.exec(value);
    if (!match) return null;
    return { used: Number(match[1]), max: Number(match[2]) };
  }
  return null;
}

/** `/limits` may send numbers as strings in older versions; read them leniently. */
export function parseDailyApiRequests(limits: unknown): ApiUsage | null {
  if (!limits || typeof limits !== 'object') return null;
  const daily = (limits as Record<string, unknown>).DailyApiRequests;
  if (!daily || typeof daily !== 'object') return null;
  const max = Number((daily as Record<string, unknown>).Max);
  const remaining = Number((daily as Record<string, unknown>).Remaining);
  if (!Number.isFinite(max) || !Number.isFinite(remaining)) return null;
  return { used: Math.max(0, max - remaining), max };
}

export interface BudgetSnapshot {
  used: number;
  max: number;
  remaining: number;
}

export interface ApiBudgetOptions {
  /** requests kept back for critical calls */
  reserve: number;
  /** how long, after REQUEST_LIMIT_EXCEEDED, calls are refused locally instead of spending a request to hear "no" again */
  exhaustedCooldownMs: number;
  clock: () => number;
}

/**
 * The org's rolling daily allowance as last reported. The reserve guards the calls that keep the
 * bridge observable and consistent (status heartbeat, audit mirror, checkpoints) when bulk work
 * would otherwise spend the last requests.
 */
export class ApiBudget {
  #usage: ApiUsage | null = null;
  #exhaustedUntil = 0;
  readonly #options: ApiBudgetOptions;

  constructor(options: ApiBudgetOptions) {
    if (!Number.isInteger(options.reserve) || options.reserve < 0) {
      throw new RangeError(`apiReserve must be a non-negative integer, got ${options.reserve}`);
    }
    this.#options = options;
  }

  get reserve(): number {
    return this.#options.reserve;
  }

  observe(usage: ApiUsage | null): void {
    if (!usage || usage.max <= 0) return;
    this.#usage = usage;
    if (usage.used < usage.max) this.#exhaustedUntil = 0;
  }

  markExhausted(): void {
    this.#exhaustedUntil = this.#options.clock() + this.#options.exhaustedCooldownMs;
    if (this.#usage) this.#usage = { used: Math.max(this.#usage.used, this.#usage.max), max: this.#usage.max };
  }

  snapshot(): BudgetSnapshot | null {
    if (!this.#usage) return null;
    const { used, max } = this.#usage;
    return { used, max, remaining: Math.max(0, max - used) };
  }

  /** Throws when this call must not go out; `probe` calls (reading /limits) pass even when exhausted. */
  assertMayCall(critical: boolean, probe = false): void {
    if (!probe && this.#exhaustedUntil > this.#options.clock()) {
      throw new DailyLimitExceededError(
        'Salesforce daily API request limit reached; calls are held back until the rolling 24-hour allowance frees requests',
        { errorCode: 'REQUEST_LIMIT_EXCEEDED' },
      );
    }
    if (critical || probe || this.#options.reserve === 0) return;
    const snap = this.snapshot();
    if (snap && snap.remaining <= this.#options.reserve) {
      throw new BudgetReserveError(
        `Salesforce API budget at ${snap.used}/${snap.max}: ${snap.remaining} requests remain, at or below the reserve of ${this.#options.reserve} kept for critical calls; retry later or lower apiReserve`,
      );
    }
  }
}
