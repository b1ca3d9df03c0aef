import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { performance } from 'node:perf_hooks';

/**
 * Per-request latency of every undici call the process makes, measured from request creation to
 * the end of the response, through undici's diagnostics channels. Listening there instead of
 * wrapping the clients means the benchmarks time the clients exactly as the bridge ships them.
 */
export interface TimedRequest {
  method: string;
  origin: string;
  path: string;
  ms: number;
  failed: boolean;
}

interface UndiciRequestLike {
  method?: string;
  origin?: string | URL;
  path?: string;
}

export class HttpTimings {
  readonly #started = new WeakMap<object, number>();
  #done: TimedRequest[] = [];
  #active = false;

  readonly #onCreate = (message: unknown): void => {
    const { request } = message as { request: object };
    this.#started.set(request, performance.now());
  };

  readonly #onFinish = (failed: boolean) => (message: unknown): void => {
    const { request } = message as { request: UndiciRequestLike & object };
    const startedAt = this.#started.get(request);
    if (startedAt === undefined) return;
    this.#started.delete(request);
    this.#done.push({
      method: request.method ?? 'GET',
      origin: String(request.origin ?? ''),
      path: request.path ?? '',
      ms: performance.now() - startedAt,
      failed,
    });
  };

  readonly #onTrailers = this.#onFinish(false);
  readonly #onError = this.#onFinish(true);

  start(): this {
    if (this.#active) return this;
    subscribe('undici:request:create', this.#onCreate);
    subscribe('undici:request:trailers', this.#onTrailers);
    subscribe('undici:request:error', this.#onError);
    this.#active = true;
    return this;
  }

  /** Hands over what was measured since the last take() and starts a fresh list. */
  take(filter: (request: TimedRequest) => boolean = () => true): TimedRequest[] {
    const taken = this.#done.filter(filter);
    this.#done = [];
    return taken;
  }

  stop(): void {
    if (!this.#active) return;
    unsubscribe('undici:request:create', this.#onCreate);
    unsubscribe('undici:request:trailers', this.#onTrailers);
    unsubscribe('undici:request:error', this.#onError);
    this.#active = false;
  }
}
