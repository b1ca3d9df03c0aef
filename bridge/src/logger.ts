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

export type { Logger };

export function createLogger(options: LoggerOptions = {}, destination?: pino.DestinationStream): Logger {
  const base: LoggerOptions = {
    level: process.env.LOG_LEVEL ?? 'info',
    base: { service: 'ml-connector' },
    redact: { paths: [...REDACT_PATHS], censor: REDACTED },
    ...options,
  };
  return destination ? pino(base, destination) : pino(base);
}

/** A logger that drops everything; for library code used without a service around it. */
export const silentLogger: Logger = pino({ level: 'silent' });
