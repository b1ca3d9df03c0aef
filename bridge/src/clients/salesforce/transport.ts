import type { Dispatcher } from 'undici';
import type { Logger } from '../../logger.js';
import { parseRetryAfter, type RandomSource, type RetryPolicyOptions } from '../../lib/retryPolicy.js';
import type { TokenProvider } from './auth.js';
import { parseLimitInfo, type ApiBudget } from './budget.js';
import { DailyLimitExceededError, errorFromResponse, SalesforceError, ServerError, type RecordRef } from './errors.js';
import { salesforceRetryVerdict } from './retryVerdict.js';
import { sendOnce, type WireResponse } from './wire.js';

/**
 * Whether a call may be sent again after it may have reached the server. Reads, upserts by External
 * ID, updates by Id and Bulk polling land on the same state however often they run; a plain create
 * does not (a second attempt makes a second record), so it is only repeated when the first attempt
 * provably never left (connection refused).
 */
export type RepeatSafety = 'idempotent' | 'once';

export interface CallSpec {
  method: Dispatcher.HttpMethod;
  /** path under the instance (`/services/data/...`), or a path returned by Salesforce (nextRecordsUrl) */
  path: string;
  query?: Record<string, string>;
  /** JSON-serialised unless a string is given with its own contentType */
  body?: unknown;
  contentType?: string;
  accept?: string;
  headers?: Record<string, string>;
  safety: RepeatSafety;
  critical?: boolean;
  /** `/limits` is how the client learns the allowance came back, so it passes an exhausted budget */
  probe?: boolean;
  record?: RecordRef;
  isQuery?: boolean;
  signal?: AbortSignal;
}

export interface TransportDeps {
  auth: TokenProvider;
  budget: ApiBudget;
  logger: Logger;
  dispatcher: Dispatcher;
  retry: RetryPolicyOptions;
  random: RandomSource;
  clock: () => number;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  timeoutMs: number;
  callOptionsClient: string;
}

export class Transport {
  readonly #deps: TransportDeps;

  constructor(deps: TransportDeps) {
    this.#deps = deps;
  }

  /** Runs one logical call: budget gate, token, send, then whatever salesforceRetryVerdict says. */
  async call(spec: CallSpec): Promise<WireResponse> {
    const { auth, budget, logger, retry, random, clock, sleep } = this.#deps;
    const pathOnly = spec.path.split('?')[0] ?? spec.path;
    const describe = `${spec.method} ${pathOnly}`;
    let retries = 0;
    let sessionRenewals = 0;
    for (;;) {
      budget.assertMayCall(spec.critical === true, spec.probe === true);
      let error: SalesforceError;
      let retryAfterMs: number | null = null;
      let token: string | undefined;
      const started = clock();
      try {
        // A token request is safe to repeat, so its network faults and 503s share the verdict below.
        token = await auth.getAccessToken();
        const identity = auth.identity;
        if (!identity) throw new ServerError('Salesforce identity unknown after login');
        const response = await sendOnce(
          {
            url: this.#url(identity.instanceUrl, spec),
            method: spec.method,
            headers: this.#headers(token, spec),
            ...(spec.body === undefined ? {} : { body: typeof spec.body === 'string' ? spec.body : JSON.stringify(spec.body) }),
            timeoutMs: this.#deps.timeoutMs,
            dispatcher: this.#deps.dispatcher,
            ...(spec.signal ? { signal: spec.signal } : {}),
          },
          describe,
        );
        if (response.status !== 401) auth.accepted(token);
        const usage = parseLimitInfo(response.headers['sforce-limit-info']);
        budget.observe(usage);
        logger.debug(
          { method: spec.method, path: pathOnly, statusCode: response.status, durationMs: clock() - started, apiUsage: usage ?? undefined },
          'salesforce call',
        );
        if (response.status >= 200 && response.status < 300) return response;
        retryAfterMs = parseRetryAfter(response.headers['retry-after'], clock());
        error = errorFromResponse(response.status, response.json, {
          method: spec.method,
          path: pathOnly,
          retryAfterMs,
          ...(spec.record ? { record: spec.record } : {}),
          ...(spec.isQuery ? { isQuery: true } : {}),
        });
      } catch (caught) {
        if (!(caught instanceof SalesforceError)) throw caught;
        error = caught;
      }

      const verdict = salesforceRetryVerdict(
        {
          error,
          safety: spec.safety,
          tokenSent: token !== undefined,
          tokenAccepted: token !== undefined && auth.wasAccepted(token),
          retries,
          sessionRenewals,
          retryAfterMs,
        },
        retry,
        random,
      );
      if (verdict.action === 'renew-session') {
        sessionRenewals += 1;
        if (verdict.countsAsRetry) retries += 1;
        auth.invalidate(token);
        logger.info({ path: pathOnly, renewal: sessionRenewals }, 'Salesforce session expired or revoked; fetching a new token and retrying');
        if (verdict.delayMs > 0) await sleep(verdict.delayMs, spec.signal);
        continue;
      }
      if (verdict.action === 'retry') {
        retries += 1;
        logger.warn({ code: error.code, statusCode: error.statusCode, path: pathOnly, retry: retries, delayMs: verdict.delayMs }, 'retrying Salesforce call');
        await sleep(verdict.delayMs, spec.signal);
        continue;
      }
      if (error instanceof DailyLimitExceededError) {
        budget.markExhausted();
        logger.error({ code: error.code, path: pathOnly }, error.message);
      } else {
        logger.debug({ code: error.code, statusCode: error.statusCode, errorCode: error.errorCode, path: pathOnly }, 'Salesforce call failed');
      }
      throw error;
    }
  }

  /**
   * A token on its own (login, or the Pub/Sub consumer asking): the grant is safe to repeat, so
   * network faults and 503s from the token endpoint get the same backoff as any read.
   */
  async token(signal?: AbortSignal): Promise<string> {
    const { auth, logger, retry, random, sleep } = this.#deps;
    let retries = 0;
    for (;;) {
      try {
        return await auth.getAccessToken();
      } catch (error) {
        if (!(error instanceof SalesforceError)) throw error;
        const verdict = salesforceRetryVerdict(
          { error, safety: 'idempotent', tokenSent: false, tokenAccepted: false, retries, sessionRenewals: 0, retryAfterMs: error.retryAfterMs ?? null },
          retry,
          random,
        );
        if (verdict.action !== 'retry') throw error;
        retries += 1;
        logger.warn({ code: error.code, retry: retries, delayMs: verdict.delayMs }, 'retrying Salesforce token request');
        await sleep(verdict.delayMs, signal);
      }
    }
  }

  async json<T>(spec: CallSpec): Promise<T> {
    const response = await this.call(spec);
    return response.json as T;
  }

  #url(instanceUrl: string, spec: CallSpec): string {
    const url = new URL(spec.path, instanceUrl);
    // nextRecordsUrl and job URLs come from the server; never let one move the token to another host.
    if (url.origin !== instanceUrl) {
      throw new ServerError(`Refused to follow a Salesforce path to another host (${url.origin})`);
    }
    for (const [key, value] of Object.entries(spec.query ?? {})) url.searchParams.set(key, value);
    return url.toString();
  }

  #headers(token: string, spec: CallSpec): Record<string, string> {
    const headers: Record<string, string> = {
      authorization: `Bearer ${token}`,
      accept: spec.accept ?? 'application/json',
      'sforce-call-options': `client=${this.#deps.callOptionsClient}`,
      ...spec.headers,
    };
    if (spec.body !== undefined) headers['content-type'] = spec.contentType ?? 'application/json';
    return headers;
  }
}
