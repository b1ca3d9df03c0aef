/**
 * What the HTTP layer and the CLI may ask of the sync engine. The engine implements it; routes
 * depend only on this surface so they can be built and tested before every stream exists.
 */
export type StreamName =
  | 'qad-customers'
  | 'qad-suppliers'
  | 'qad-items'
  | 'qad-contacts'
  | 'sf-accounts'
  | 'sf-orders'
  | 'audit-mirror'
  | 'replay-requests';

export interface StreamState {
  stream: StreamName;
  paused: boolean;
  lastRunAt: string | null;
  lastError: string | null;
  pendingJobs: number;
}

export interface ConnectionRuntimeStatus {
  connectionId: string;
  running: boolean;
  streams: StreamState[];
  lastQadPollAt: string | null;
  cdcPosition: string | null;
  apiBudget: { used: number; max: number; remaining: number } | null;
  /** why the runtime reports itself stalled (due work, no progress), or null */
  stalled?: string | null;
}

export interface ReplayOutcome {
  /** the audit event the replay was asked for */
  replayOf: string;
  /** the new attempt's audit event id */
  auditEventId: string;
  status: 'Succeeded' | 'Failed' | 'Waiting' | 'Skipped' | 'Retrying';
}

export interface EngineApi {
  /** true once every connection has loaded its config, checkpoints and credentials */
  isReady(): boolean;
  status(): Promise<ConnectionRuntimeStatus[]>;
  pauseStream(connectionId: string, stream: StreamName): Promise<void>;
  resumeStream(connectionId: string, stream: StreamName): Promise<void>;
  /** runs a QAD poll for the connection now instead of waiting for its schedule */
  runNow(connectionId: string): Promise<void>;
  /** replays one audited attempt (by its Bridge_Event_Id__c) on behalf of `requestedBy` */
  replay(auditEventId: string, requestedBy: string): Promise<ReplayOutcome>;
  /** finishes or releases in-flight jobs; resolves when nothing is running */
  stop(): Promise<void>;
}
