import { Counter, Gauge, Registry } from 'prom-client';
import type { SyncEngine } from './engine.js';

export interface SyncMetrics {
  registry: Registry;
  /** one count per audited attempt */
  recordAttempt(connectionId: string, stream: string, status: string): void;
  /** lets the pending-jobs gauge read the engine at scrape time */
  observe(engine: SyncEngine): void;
}

/**
 * The engine's Prometheus metrics, on the registry the HTTP app serves at /metrics. Attempts are
 * counted as they settle; queue depth and API budget are read from the engine when scraped, so
 * they are never stale and cost nothing between scrapes.
 */
export function createSyncMetrics(registry: Registry = new Registry()): SyncMetrics {
  let engine: SyncEngine | null = null;
  const attempts = new Counter({
    name: 'bridge_sync_attempts_total',
    help: 'Sync attempts by connection, stream and audit status',
    labelNames: ['connection', 'stream', 'status'] as const,
    registers: [registry],
  });
  new Gauge({
    name: 'bridge_sync_pending_jobs',
    help: 'Jobs queued or running, by connection and stream',
    labelNames: ['connection', 'stream'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      if (!engine) return;
      for (const status of await engine.status()) {
        for (const stream of status.streams) this.set({ connection: status.connectionId, stream: stream.stream }, stream.pendingJobs);
      }
    },
  });
  new Gauge({
    name: 'bridge_salesforce_api_remaining',
    help: 'Salesforce daily API requests left, as last reported by the org',
    labelNames: ['connection'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      if (!engine) return;
      for (const status of await engine.status()) {
        if (status.apiBudget) this.set({ connection: status.connectionId }, status.apiBudget.remaining);
      }
    },
  });
  new Gauge({
    name: 'bridge_audit_mirror_failed_rows',
    help: 'Audit rows Sync_Audit__c refused too often: kept in the local trail, no longer mirrored',
    labelNames: ['connection'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      if (!engine) return;
      for (const runtime of engine.runtimes) this.set({ connection: runtime.connectionId }, await runtime.mirrorFailedRows());
    },
  });
  return {
    registry,
    recordAttempt: (connection, stream, status) => attempts.inc({ connection, stream, status }),
    observe: (e) => {
      engine = e;
    },
  };
}
