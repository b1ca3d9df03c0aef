import path from 'node:path';
import { contentHash, loadQadProfile, QadClient, type HashStore } from '../clients/qad/index.js';
import type { ConnectionConfig } from '../config/index.js';
import type { Logger } from '../logger.js';
import type { QadSalesOrderInput, QadPort, QadListObject } from './ports.js';
import type { SyncStore } from './storePort.js';
import type { QadPortFactory } from './compose.js';

/** the QAD client's change-detection hashes, kept in the store so they survive a restart */
export function storeHashStore(store: SyncStore, connectionId: string): HashStore {
  return {
    async get(object, keys) {
      const out = new Map<string, string>();
      for (const key of keys) {
        const hash = await store.getRecordHash(connectionId, object, key);
        if (hash !== null) out.set(key, hash);
      }
      return out;
    },
    async put(object, entries) {
      for (const entry of entries) await store.saveRecordHash(connectionId, object, entry.key, entry.hash);
    },
  };
}

/** F's QadClient seen through the engine's QadPort */
export function qadClientPort(client: QadClient): QadPort & { close(): Promise<void>; client: QadClient } {
  return {
    client,
    poll: (object: QadListObject, cursor: string | null) => client.pollChanges(object, { cursor }),
    readAll: (object: QadListObject) => client.read(object),
    get: (object: QadListObject, key: string) => client.getRecord(object, key),
    updateBusinessRelation: (object, key, fields) => (object === 'customer' ? client.updateCustomer(key, fields) : client.updateSupplier(key, fields)),
    createSalesOrder: async (order: QadSalesOrderInput) => ({ orderNumber: (await client.createSalesOrder(order)).orderNumber }),
    recordHash: (record) => contentHash(record),
    close: () => client.close(),
  };
}

export const DEFAULT_PROFILE_DIR = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../../config/qad-profiles');

/** the composition root's QAD factory: profile + config + opened secrets → a connected QadClient */
/**
 * `sharedSets` supplies the QAD shared set per connection id: the connection config has no key for
 * it yet, and record keys of tenants whose browse rows omit the set are built with it.
 */
export function qadPortFactory(store: SyncStore, options: { profileDir?: string; clock?: () => number; sharedSets?: Record<string, string> } = {}): QadPortFactory {
  return async (connection: ConnectionConfig, secrets, { sandboxMode, logger }) => {
    const profile = await loadQadProfile(connection.qad.profile, options.profileDir ?? DEFAULT_PROFILE_DIR);
    const isSoap = profile.flavour === 'qxtend-soap';
    const client = new QadClient(
      {
        ...(isSoap ? { qxtendUrl: connection.qad.baseUrl } : { baseUrl: connection.qad.baseUrl }),
        profile,
        credentials: {
          ...(connection.qad.username ? { username: connection.qad.username } : {}),
          ...(secrets['qad.password'] ? { password: secrets['qad.password'] } : {}),
          ...(connection.qad.clientId ? { clientId: connection.qad.clientId } : {}),
          ...(secrets['qad.token'] ? { bearerToken: secrets['qad.token'] } : {}),
        },
        workspace: { domain: connection.qad.domain ?? '', entity: connection.qad.entity ?? connection.qad.domain ?? '', sharedSet: options.sharedSets?.[connection.id] ?? '' },
        sandboxMode,
      },
      { logger, hashStore: storeHashStore(store, connection.id), ...(options.clock ? { clock: options.clock } : {}) },
    );
    await client.connect();
    return qadClientPort(client);
  };
}
