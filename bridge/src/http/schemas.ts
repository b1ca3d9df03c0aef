import { z } from 'zod';
import { connectionSchema, STREAM_NAMES } from '../config/bridgeConfig.js';
import { AUDIT_STATUSES } from '../store/index.js';

/**
 * Wire schemas of the admin API. Every route validates its input and serialises its output
 * through these, so the OpenAPI document at /docs is exactly what the service does.
 */
export const errorBodySchema = z
  .object({
    code: z.string().describe('stable BRIDGE_ERR_* code; branch on this, never on the message'),
    message: z.string(),
    statusCode: z.int(),
    retryable: z.boolean(),
    details: z.record(z.string(), z.unknown()).optional(),
  })
  .describe('Error answer');

export const streamNameSchema = z.enum(STREAM_NAMES);

export const connectionParamsSchema = z.object({ id: z.string().min(1).max(80) });
export const streamParamsSchema = connectionParamsSchema.extend({ stream: streamNameSchema });

/** a secret field in an answer: only whether it is set */
const secretMarker = z.literal('set').optional();

/**
 * Create-connection body: the config file's connection shape, except that secrets are given as
 * values (they are sealed before storage). References ({"env": ...}) are for files, not the API.
 */
export const createConnectionBodySchema = connectionSchema.extend({
  salesforce: connectionSchema.shape.salesforce.extend({ clientSecret: z.string().min(1) }),
  qad: connectionSchema.shape.qad.extend({
    password: z.string().min(1).optional(),
    clientSecret: z.string().min(1).optional(),
    token: z.string().min(1).optional(),
  }),
});
export type CreateConnectionBody = z.infer<typeof createConnectionBodySchema>;

const streamStateSchema = z.object({
  stream: z.string(),
  paused: z.boolean(),
  lastRunAt: z.string().nullable(),
  lastError: z.string().nullable(),
  pendingJobs: z.number(),
});

/** whether a connection runs or is failing to start (and retried with backoff) */
export const startStateSchema = z.object({
  state: z.enum(['starting', 'running', 'failing']),
  error: z.string().nullable().describe('the last start failure, naming the connection and the underlying code'),
  attempts: z.number(),
  nextAttemptAt: z.string().nullable(),
});

const runtimeSchema = z.object({
  running: z.boolean(),
  start: startStateSchema.optional(),
  streams: z.array(streamStateSchema),
  lastQadPollAt: z.string().nullable(),
  cdcPosition: z.string().nullable(),
  apiBudget: z.object({ used: z.number(), max: z.number(), remaining: z.number() }).nullable(),
});

export const connectionViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  salesforce: z.looseObject({ loginUrl: z.string(), clientId: z.string(), clientSecret: secretMarker }),
  qad: z.looseObject({ baseUrl: z.string(), profile: z.string(), password: secretMarker, clientSecret: secretMarker, token: secretMarker }),
  settings: z.record(z.string(), z.unknown()).describe('schedule, mappings, streams, concurrency and retry as stored'),
  createdAt: z.string(),
  updatedAt: z.string(),
  runtime: runtimeSchema.nullable().describe('live state from the engine; null when this connection is not running'),
});
export type ConnectionView = z.infer<typeof connectionViewSchema>;

export const auditStatusSchema = z.enum(AUDIT_STATUSES as unknown as [string, ...string[]]);

const isoDateTime = z.iso.datetime({ offset: true, error: 'must be an ISO-8601 date-time, e.g. 2026-01-05T10:00:00Z' });

export const auditQuerySchema = z.object({
  connectionId: z.string().min(1).optional(),
  object: z.enum(['Account', 'Contact', 'Product2', 'Order']).optional(),
  status: auditStatusSchema.optional(),
  correlationId: z.string().min(1).optional(),
  from: isoDateTime.optional().describe('inclusive lower bound on occurredAt'),
  to: isoDateTime.optional().describe('exclusive upper bound on occurredAt'),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

export const auditEventSchema = z.object({
  eventId: z.string(),
  connectionId: z.string(),
  direction: z.string(),
  object: z.string(),
  operation: z.string(),
  status: z.string(),
  sourceId: z.string().nullable(),
  targetId: z.string().nullable(),
  salesforceRecordId: z.string().nullable(),
  correlationId: z.string(),
  attempt: z.number(),
  errorCode: z.string().nullable(),
  errorMessage: z.string().nullable(),
  payload: z.string().nullable(),
  payloadHash: z.string().nullable(),
  occurredAt: z.string(),
  replayOf: z.string().nullable(),
  requestedBy: z.string().nullable(),
  requestedAt: z.string().nullable(),
  mirroredAt: z.string().nullable(),
  mirrorAttempts: z.number().describe('Sync_Audit__c upserts that refused this row since it was last mirrored'),
  mirrorError: z.string().nullable().describe('the last refusal'),
  mirrorFailedAt: z.string().nullable().describe('set once the refusals reached the bound; the row is no longer mirrored'),
});

export const auditPageSchema = z.object({
  rows: z.array(auditEventSchema),
  total: z.number(),
  limit: z.number(),
  offset: z.number(),
});

export const auditParamsSchema = z.object({ eventId: z.string().min(1).max(80) });

export const replayBodySchema = z
  .object({ requestedBy: z.string().min(1).max(80).optional().describe('who asks; defaults to "admin-api"') })
  .default({});

export const replayOutcomeSchema = z.object({
  replayOf: z.string(),
  auditEventId: z.string(),
  status: z.enum(['Succeeded', 'Failed', 'Waiting', 'Skipped', 'Retrying']),
});

/** The error answers every protected route can give, by status code. */
export const protectedErrors = {
  400: errorBodySchema,
  401: errorBodySchema,
  500: errorBodySchema,
  503: errorBodySchema,
} as const;
