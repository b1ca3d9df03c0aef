import path from 'node:path';
import { ConnectionSecrets, CredentialVault, ENV_MASTER_KEY, ENV_RETIRED_KEYS, loadKeyring } from '../../credentials/index.js';
import { openStore } from '../../store/index.js';
import { CliUsageError, type CliCommand } from '../command.js';
import { CONFIG_OPTION, readConfig } from '../loadBridge.js';

/**
 * `ml-connector keys rotate` (design §7): after a new master key is set, with the old one listed
 * in ML_CONNECTOR_RETIRED_KEYS, re-seals every stored credential (from the config file and from
 * the admin API alike) under the new key, so the old key can then be dropped. Contacts no system.
 */
export const keysCommand: CliCommand = {
  usage: 'rotate --config FILE [--json]',
  description:
    `Re-seals every stored credential under the active master key (${ENV_MASTER_KEY}); keys listed in ${ENV_RETIRED_KEYS} (or after the first line of the key file) are only used to open the old ones. ` +
    'Run it after setting a new key and before dropping the old one; running it again changes nothing. Exit 1 if a credential could not be opened.',
  positionals: ['action'],
  options: {
    ...CONFIG_OPTION,
    json: { type: 'boolean', description: 'print one JSON object' },
  },
  async run(args, io) {
    const action = args.positionals[0];
    if (action !== 'rotate') throw new CliUsageError(`keys needs an action. Fix: \`ml-connector keys rotate --config FILE\`${action ? ` ("${action}" is not one)` : ''}`);
    const { config, baseDir } = readConfig(args);
    const keyring = loadKeyring({ env: io.env, sandboxMode: config.sandboxMode });
    const url = io.env.DATABASE_URL?.trim() || config.store.url;
    const store = await openStore(url ? { url } : { file: path.resolve(baseDir, config.store.file) });
    try {
      await store.migrateToLatest();
      const report = await new ConnectionSecrets(store, new CredentialVault(keyring)).rotate();
      if (args.values.json) io.stdout(`${JSON.stringify(report)}\n`);
      else {
        io.stdout(`re-sealed ${report.rotated} credential(s) under key ${report.activeKeyId}\n`);
        for (const u of report.unreadable) {
          io.stdout(`  could not open ${u.connectionId} / ${u.kind} (sealed with ${u.keyId}, ${u.code}). Fix: add that key to ${ENV_RETIRED_KEYS} and run again, or save the credential again\n`);
        }
        if (report.unreadable.length === 0) io.stdout(`every credential is sealed with ${report.activeKeyId}; the retired keys may now be dropped\n`);
      }
      return report.unreadable.length === 0 ? 0 : 1;
    } finally {
      await store.destroy();
    }
  },
};
