import { Writable } from 'node:stream';
import type { IncomingHttpHeaders } from 'node:http';
import { Agent, type Dispatcher } from 'undici';
import { createLogger, type Logger } from '../../../src/logger.js';

/**
 * Everything secret the client was ever handed over the wire: each access token and signature in a
 * token answer. Recorded below the client, on the socket side, so the leak scan knows the exact
 * strings without trusting the client to report them.
 */
export interface WireSecrets {
  tokens: Set<string>;
  signatures: Set<string>;
}

/** Passes everything through to the wrapped (new-style) handler and keeps a copy of the body. */
class TokenAnswerRecorder implements Dispatcher.DispatchHandler {
  readonly #chunks: Buffer[] = [];
  readonly #inner: Dispatcher.DispatchHandler;
  readonly #secrets: WireSecrets;

  constructor(inner: Dispatcher.DispatchHandler, secrets: WireSecrets) {
    this.#inner = inner;
    this.#secrets = secrets;
  }

  onRequestStart(controller: Dispatcher.DispatchController, context: unknown): void {
    this.#inner.onRequestStart?.(controller, context);
  }

  onResponseStart(controller: Dispatcher.DispatchController, statusCode: number, headers: IncomingHttpHeaders, statusMessage?: string): void {
    this.#inner.onResponseStart?.(controller, statusCode, headers, statusMessage);
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.#chunks.push(Buffer.from(chunk));
    this.#inner.onResponseData?.(controller, chunk);
  }

  onResponseEnd(controller: Dispatcher.DispatchController, trailers: IncomingHttpHeaders): void {
    try {
      const answer = JSON.parse(Buffer.concat(this.#chunks).toString('utf8')) as Record<string, unknown>;
      if (typeof answer.access_token === 'string') this.#secrets.tokens.add(answer.access_token);
      if (typeof answer.signature === 'string') this.#secrets.signatures.add(answer.signature);
    } catch {
      // an error answer carries no token
    }
    this.#inner.onResponseEnd?.(controller, trailers);
  }

  onResponseError(controller: Dispatcher.DispatchController, error: Error): void {
    this.#inner.onResponseError?.(controller, error);
  }
}

export function recordingDispatcher(secrets: WireSecrets): Dispatcher {
  return new Agent({ connections: 64 }).compose((dispatch) => (options, handler) => {
    if (String(options.path).startsWith('/services/oauth2/token')) {
      return dispatch(options, new TokenAnswerRecorder(handler, secrets));
    }
    return dispatch(options, handler);
  });
}

/** pino at trace into memory: every line the client logged, as written. */
export function memoryLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(chunk.toString('utf8'));
      callback();
    },
  });
  return { logger: createLogger({ level: 'trace' }, stream), lines };
}

/** Every own and inherited-chain property of an error, its cause chain and stack, as one string. */
export function describeErrorFully(error: unknown, depth = 0): string {
  if (depth > 5 || error === null || error === undefined) return '';
  if (typeof error !== 'object') return String(error);
  const parts: string[] = [];
  if (error instanceof Error) parts.push(error.name, error.message, error.stack ?? '');
  for (const key of Object.getOwnPropertyNames(error)) {
    const value = (error as Record<string, unknown>)[key];
    if (key === 'cause') continue;
    try {
      parts.push(`${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`);
    } catch {
      parts.push(`${key}=${String(value)}`);
    }
  }
  try {
    parts.push(JSON.stringify(error));
  } catch {
    // circular: the own properties above already cover it
  }
  parts.push(describeErrorFully((error as { cause?: unknown }).cause, depth + 1));
  return parts.join('\n');
}

/** A sleep that records the delays asked for and returns at once, so backoff tests do not wait. */
export function recordingSleep(): { sleep: (ms: number) => Promise<void>; delays: number[] } {
  const delays: number[] = [];
  return {
    delays,
    sleep: async (ms: number) => {
      delays.push(ms);
    },
  };
}
