import path from 'node:path';
import { contentHash, loadQadProfile, QadClient, type HashStore } from '../clients/qad/index.js';
import type { ConnectionConfig } from '../config/index.js';
import type { Logger } from '../logger.js';
import type { QadSalesOrderInput, QadPort, QadListObject } from './ports.js';
import type { SyncRepositories } from '../store/index.js';
import type { QadPortFactory } from './compose.js';

/** the QAD client's change-detection hashes, kept in the store so they survive a restart */
export function storeHashStore(store: Pick<SyncRepositories, 'hashes'>, connectionId: string): HashStore {
  return {
    get: (object, keys) => store.hashes.getMany(connectionId, object, keys),
    put: (object, entries) => store.hashes.putMany(connectionId, object, entries),
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
 * The connection config has no key for the QAD shared set yet; until it does, it comes from
 * ML_CONNECTOR_QAD_SHARED_SET_<CONNECTION ID> (upper case, - as _) or ML_CONNECTOR_QAD_SHARED_SET.
 */
export function sharedSetFromEnv(connectionId: string, env: NodeJS.ProcessEnv): string {
  const specific = `ML_CONNECTOR_QAD_SHARED_SET_${connectionId.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
  return env[specific]?.trim() || env.ML_CONNECTOR_QAD_SHARED_SET?.trim() || '';
}

/**
 * `sharedSets` supplies the QAD shared set per connection id: the connection config has no key for
 * it yet, and record keys of tenants whose browse rows omit the set are built with it.
 */
export function qadPortFactory(store: Pick<SyncRepositories, 'hashes'>, options: { profileDir?: string; clock?: () => number; sharedSets?: Record<string, string>; env?: NodeJS.ProcessEnv } = {}): QadPortFactory {
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
        workspace: { domain: connection.qad.domain ?? '', entity: connection.qad.entity ?? connection.qad.domain ?? '', sharedSet: options.sharedSets?.[connection.id] ?? sharedSetFromEnv(connection.id, options.env ?? process.env) },
        sandboxMode,
      },
      { logger, hashStore: storeHashStore(store, connection.id), ...(options.clock ? { clock: options.clock } : {}) },
    );
    await client.connect();
    return qadClientPort(client);
  };
}
