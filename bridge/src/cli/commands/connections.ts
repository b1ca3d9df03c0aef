import path from 'node:path';
import { openStore } from '../../store/index.js';
import type { CliCommand } from '../command.js';
import { CONFIG_OPTION, readConfig } from '../loadBridge.js';

export const connectionsCommand: CliCommand = {
  usage: '--config FILE [--json]',
  description: 'Lists the configured connections with their jobs by status, last QAD poll and which credentials are stored (never their values). Reads the store only; contacts no system.',
  options: {
    ...CONFIG_OPTION,
    json: { type: 'boolean', description: 'print one JSON object' },
  },
  async run(args, io) {
    const { config, baseDir } = readConfig(args);
    const url = io.env.DATABASE_URL?.trim() || config.store.url;
    const store = await openStore(url ? { url } : { file: path.resolve(baseDir, config.store.file) });
    try {
      await store.migrateToLatest();
      const kinds = await store.credentials.kinds(config.connections.map((c) => c.id));
      const rows = [];
      for (const connection of config.connections) {
        rows.push({
          id: connection.id,
          name: connection.name,
          salesforce: connection.salesforce.loginUrl,
          qad: `${connection.qad.baseUrl} (${connection.qad.profile})`,
          jobs: await store.jobs.counts(connection.id),
          lastQadPoll: await store.checkpoints.get(connection.id, 'qad-last-poll'),
          credentials: kinds.get(connection.id) ?? [],
        });
      }
      if (args.values.json) io.stdout(`${JSON.stringify(rows)}\n`);
      else {
        for (const r of rows) {
          io.stdout(`${r.id}  ${r.name}\n  Salesforce ${r.salesforce}\n  QAD        ${r.qad}\n  last poll  ${r.lastQadPoll ?? 'never'}\n  jobs       ${Object.entries(r.jobs).map(([k, v]) => `${k} ${v}`).join(', ')}\n  stored credentials: ${r.credentials.join(', ') || 'none (run start once)'}\n\n`);
        }
      }
      return 0;
    } finally {
      await store.destroy();
    }
  },
};
