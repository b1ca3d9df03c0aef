import path from 'node:path';
import { contentHash, loadQadProfile, QadClient, type HashStore, type QadClientConfig, type QadProfile } from '../clients/qad/index.js';
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
    readAll: (object: QadListObject, options) => client.readPages(object, options),
    get: (object: QadListObject, key: string) => client.getRecord(object, key),
    updateBusinessRelation: (object, key, fields) => (object === 'customer' ? client.updateCustomer(key, fields) : client.updateSupplier(key, fields)),
    createSalesOrder: async (order: QadSalesOrderInput) => ({ orderNumber: (await client.createSalesOrder(order)).orderNumber }),
    recordHash: (record) => contentHash(record),
    close: () => client.close(),
  };
}

export const DEFAULT_PROFILE_DIR = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../../config/qad-profiles');

/** the QAD workspace of a connection: its config's domain, entity and shared set */
export function qadWorkspace(connection: ConnectionConfig): { domain: string; entity: string; sharedSet: string } {
  return { domain: connection.qad.domain ?? '', entity: connection.qad.entity ?? connection.qad.domain ?? '', sharedSet: connection.qad.sharedSet ?? '' };
}

/** a connection's QadClient settings: its profile, URL, workspace and the secrets the vault opened */
export function qadClientConfig(connection: ConnectionConfig, profile: QadProfile, secrets: Readonly<Record<string, string>>, sandboxMode: boolean): QadClientConfig {
  return {
    ...(profile.flavour === 'qxtend-soap' ? { qxtendUrl: connection.qad.baseUrl } : { baseUrl: connection.qad.baseUrl }),
    profile,
    credentials: {
      ...(connection.qad.username ? { username: connection.qad.username } : {}),
      ...(secrets['qad.password'] ? { password: secrets['qad.password'] } : {}),
      ...(connection.qad.clientId ? { clientId: connection.qad.clientId } : {}),
      ...(secrets['qad.token'] ? { bearerToken: secrets['qad.token'] } : {}),
    },
    workspace: qadWorkspace(connection),
    sandboxMode,
  };
}

/** the composition root's QAD factory: profile + config + opened secrets → a connected QadClient */
export function qadPortFactory(store: Pick<SyncRepositories, 'hashes'>, options: { profileDir?: string; clock?: () => number } = {}): QadPortFactory {
  return async (connection: ConnectionConfig, secrets, { sandboxMode, logger }) => {
    const profile = await loadQadProfile(connection.qad.profile, options.profileDir ?? DEFAULT_PROFILE_DIR);
    const client = new QadClient(
      qadClientConfig(connection, profile, secrets, sandboxMode),
      { logger, hashStore: storeHashStore(store, connection.id), ...(options.clock ? { clock: options.clock } : {}) },
    );
    await client.connect();
    return qadClientPort(client);
  };
}
