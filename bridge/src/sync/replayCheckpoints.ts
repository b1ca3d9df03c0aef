import type { ReplayCheckpoint, ReplayCheckpointStore } from './ports.js';
import type { SyncRepositories } from '../store/index.js';

/**
 * Pub/Sub replay positions in the store's checkpoints table, one row per topic, the opaque replay
 * id kept byte for byte (base64). The consumer saves only after the handler durably queued the
 * event's work; this is the one place that writes those checkpoints.
 */
export function storeReplayCheckpoints(store: SyncRepositories, connectionId: string, onSaved: (replayIdBase64: string, lastEventAt: string) => void): ReplayCheckpointStore {
  return {
    async load(topic) {
      const value = await store.checkpoints.get(connectionId, `cdc:${topic}`);
      if (!value) return null;
      const parsed = JSON.parse(value) as { replayId: string; lastEventAt: string };
      return { replayId: Buffer.from(parsed.replayId, 'base64'), lastEventAt: new Date(parsed.lastEventAt) } satisfies ReplayCheckpoint;
    },
    async save(topic, checkpoint) {
      const replayId = checkpoint.replayId.toString('base64');
      const lastEventAt = checkpoint.lastEventAt.toISOString();
      await store.checkpoints.set(connectionId, `cdc:${topic}`, JSON.stringify({ replayId, lastEventAt }));
      onSaved(replayId, lastEventAt);
    },
  };
}
