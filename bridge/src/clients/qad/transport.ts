import type { LookupFunction } from 'node:net';
import { Agent, request } from 'undici';
import type { Logger } from '../../logger.js';
import { DEFAULT_RETRY_POLICY, parseRetryAfter, sleep as defaultSleep, type RetryPolicyOptions } from '../../lib/retryPolicy.js';
import { Semaphore } from '../../lib/semaphore.js';
import { QadError, QadTransportError } from './errors.js';
import { qadRetryVerdict } from './retryVerdict.js';
import { checkResolvedHost, type HostResolver, type UrlPolicyOptions } from './urlPolicy.js';

export interface TransportRequest {
  method: 'GET' | 'POST';
  url: URL;
  headers?: Record<string, string>;
  body?: string;
  /** repeatable without side effects; only these are retried on 5xx and connection errors */
  idempotent?: boolean;
  /** SOAP: an HTTP 500 carries the fault the caller reads (see retryVerdict.ts) */
  serverErrorIsAnswer?: boolean;
}

export interface TransportResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

export type Send = (req: TransportRequest) => Promise<TransportResponse>;

export interface TransportOptions {
  policy: UrlPolicyOptions;
  resolver: HostResolver;
  timeoutMs: number;
  retry: RetryPolicyOptions;
  semaphore: Semaphore;
  logger: Logger;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

/**
 * Resolves through the injectable resolver and refuses private and metadata addresses at connect
 * time, so a tenant name that passed validation cannot be re-pointed inside by DNS afterwards.
 */
function pinnedLookup(resolver: HostResolver, policy: UrlPolicyOptions): LookupFunction {
  return ((hostname: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    checkResolvedHost(hostname, resolver, policy).then(
      (addresses) => {
        if (options?.all) callback(null, addresses);
        else callback(null, addresses[0]!.address, addresses[0]!.family);
      },
      (error: unknown) => callback(error),
    );
  }) as unknown as LookupFunction;
}

function refusalIn(error: unknown): QadError | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current; depth += 1) {
    if (current instanceof QadError) return current;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Only method and path reach messages: OAuth query transport puts the password in the query. */
export function describeRequest(req: TransportRequest): string {
  return `${req.method} ${req.url.pathname}`;
}

export class QadTransport {
  readonly #agent: Agent;
  readonly #options: TransportOptions;
  readonly #sleep: (ms: number) => Promise<void>;

  constructor(options: TransportOptions) {
    this.#options = options;
    this.#sleep = options.sleep ?? ((ms) => defaultSleep(ms));
    this.#agent = new Agent({
      connect: { lookup: pinnedLookup(options.resolver, options.policy), timeout: options.timeoutMs },
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
      keepAliveTimeout: 1_000,
    });
  }

  /** One request under the tenant's concurrency limit. */
  send: Send = (req) => this.#options.semaphore.run(() => this.#sendWithRetries(req));

  /**
   * One request that takes no slot of the tenant's limit: for the token renewal only. Order writes
   * hold their slot across every step and renew the token from inside it, so a renewal that waited
   * for a slot would wait on the very writes waiting for it (issue 10). A renewal is single-flight
   * (QadAuth), so this puts at most one request over the limit, and only for the renewal itself.
   */
  sendOutsideLimit: Send = (req) => this.#sendWithRetries(req);

  /**
   * Runs `task` holding one permit for all its requests, e.g. a multi-step order write, so other
   * work cannot interleave enough requests to starve it and it cannot deadlock on its own permits.
   */
  exclusive<T>(task: (send: Send) => Promise<T>): Promise<T> {
    return this.#options.semaphore.run(() => task((req) => this.#sendWithRetries(req)));
  }

  /** Sends, and repeats what qadRetryVerdict says to; every status and failure is judged there. */
  async #sendWithRetries(req: TransportRequest): Promise<TransportResponse> {
    const idempotent = req.idempotent ?? req.method === 'GET';
    const request = describeRequest(req);
    for (let retries = 0; ; retries += 1) {
      let response: TransportResponse | undefined;
      let failure: QadError | undefined;
      try {
        response = await this.#once(req);
      } catch (error) {
        failure = error as QadError;
      }
      const verdict = qadRetryVerdict(
        {
          request,
          idempotent,
          retriesSoFar: retries,
          ...(failure ? { failure } : { status: response!.status, retryAfterMs: parseRetryAfter(response!.headers['retry-after']) }),
          // a SOAP fault comes as XML; a proxy's or Tomcat's HTML 500 is a failure like any other
          ...(req.serverErrorIsAnswer && /xml/i.test(String(response?.headers['content-type'] ?? '')) ? { serverErrorIsAnswer: true } : {}),
        },
        this.#options.retry,
        this.#options.random,
      );
      if (verdict.kind === 'answer') return response!;
      if (verdict.kind === 'fail') throw verdict.error;
      this.#options.logger.debug({ request, status: response?.status, code: failure?.code, delay: verdict.delayMs }, 'retrying QAD call');
      await this.#sleep(verdict.delayMs);
    }
  }

  async #once(req: TransportRequest): Promise<TransportResponse> {
    try {
      const res = await request(req.url, {
        method: req.method,
        headers: req.headers ?? {},
        ...(req.body === undefined ? {} : { body: req.body }),
        dispatcher: this.#agent,
      });
      const text = await res.body.text();
      return { status: res.statusCode, headers: res.headers, text };
    } catch (error) {
      const refusal = refusalIn(error);
      if (refusal) throw refusal;
      const code = (error as { code?: string }).code ?? '';
      const timeout = /TIMEOUT/i.test(code);
      throw new QadTransportError(timeout ? 'QAD_ERR_TIMEOUT' : 'QAD_ERR_TRANSPORT', `QAD tenant did not answer ${describeRequest(req)} (${code || (error as Error).name})`, { cause: error });
    }
  }

  async close(): Promise<void> {
    await this.#agent.close();
  }
}

/** Per-tenant limits shared by every client of the same tenant and user in this process. */
const semaphores = new Map<string, Semaphore>();
export function tenantSemaphore(key: string, permits: number): Semaphore {
  let semaphore = semaphores.get(key);
  if (!semaphore || semaphore.permits !== permits) {
    semaphore = new Semaphore(permits);
    semaphores.set(key, semaphore);
  }
  return semaphore;
}

export function retryOptions(maxRetries: number, baseDelayMs: number): RetryPolicyOptions {
  return { ...DEFAULT_RETRY_POLICY, maxRetries, baseDelayMs, maxDelayMs: Math.max(baseDelayMs, 10_000) };
}
