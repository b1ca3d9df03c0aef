import pino, { type Logger, type LoggerOptions } from 'pino';

/**
 * Every path that can carry a credential, in one place. pino censors these before serialisation,
 * so a token never reaches a log line even when a whole request, config or error is logged.
 */
export const REDACT_PATHS: readonly string[] = Object.freeze([
  'authorization',
  'Authorization',
  '*.authorization',
  '*.Authorization',
  'headers.authorization',
  'req.headers.authorization',
  'request.headers.authorization',
  '*.headers.authorization',
  'accesstoken',
  '*.accesstoken',
  'access_token',
  '*.access_token',
  'accessToken',
  '*.accessToken',
  'refresh_token',
  '*.refresh_token',
  'refreshToken',
  '*.refreshToken',
  'token',
  '*.token',
  'password',
  '*.password',
  '*.*.password',
  'clientSecret',
  '*.clientSecret',
  '*.*.clientSecret',
  'client_secret',
  '*.client_secret',
  'secret',
  '*.secret',
  'masterKey',
  '*.masterKey',
  'apiToken',
  '*.apiToken',
  'credentials',
  '*.credentials',
  'signature',
  '*.signature',
]);

export const REDACTED = '[REDACTED]';

/**
 * Query parameters of the admin API whose values are never secret (the audit search filters).
 * Every other parameter's value is replaced in logged URLs: a caller may put a token in a query
 * string however the API is meant to be called, and a name cannot be trusted to say what it holds.
 */
const LOGGABLE_QUERY_PARAMETERS = new Set(['connectionId', 'object', 'status', 'correlationId', 'from', 'to', 'limit', 'offset']);

/** A request URL fit for a log line: the path as sent, query values other than the filters above redacted. */
export function loggableUrl(url: string): string {
  const mark = url.indexOf('?');
  if (mark < 0) return url;
  const path = url.slice(0, mark);
  const query = url.slice(mark + 1).split('#')[0] ?? '';
  if (query === '') return path;
  const parts = query.split('&').map((pair) => {
    const equals = pair.indexOf('=');
    const rawName = equals < 0 ? pair : pair.slice(0, equals);
    let name = rawName;
    try {
      name = decodeURIComponent(rawName.replace(/\+/g, ' '));
    } catch {
      // an undecodable name is not one of ours: its value is redacted below
    }
    if (equals < 0) return rawName;
    return LOGGABLE_QUERY_PARAMETERS.has(name) ? pair : `${rawName}=${REDACTED}`;
  });
  return `${path}?${parts.join('&')}`;
}

/** What a request contributes to a log line (Fastify's own serializer, minus the raw URL). */
function requestSerializer(request: { method?: string; url?: string; host?: string; ip?: string; socket?: { remotePort?: number } }): Record<string, unknown> {
  return {
    method: request.method,
    url: typeof request.url === 'string' ? loggableUrl(request.url) : request.url,
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket?.remotePort,
  };
}

export type { Logger };

export function createLogger(options: LoggerOptions = {}, destination?: pino.DestinationStream): Logger {
  const base: LoggerOptions = {
    level: process.env.LOG_LEVEL ?? 'info',
    base: { service: 'ml-connector' },
    redact: { paths: [...REDACT_PATHS], censor: REDACTED },
    ...options,
    // Fastify logs every request through the `req` serializer; this one keeps query tokens out
    serializers: { req: requestSerializer, ...options.serializers },
  };
  return destination ? pino(base, destination) : pino(base);
}

/** A logger that drops everything; for library code used without a service around it. */
export const silentLogger: Logger = pino({ level: 'silent' });
