import { CliUsageError, type CliCommand } from '../command.js';
import { CONFIG_OPTION, loadBridge } from '../loadBridge.js';

export const syncCommand: CliCommand = {
  usage: '--once --config FILE [--connection ID]',
  description:
    'Runs one pass for each connection: polls QAD, queues orders activated meanwhile and pending replay requests, runs every due job, mirrors the audit trail, then exits. Jobs waiting for a link or for their next retry stay queued for the next run.',
  options: {
    ...CONFIG_OPTION,
    once: { type: 'boolean', description: 'required: run one pass and exit (use `start` to run continuously)' },
    connection: { type: 'string', valueName: 'ID', description: 'only this connection' },
  },
  async run(args, io) {
    if (args.values.once !== true) throw new CliUsageError('sync needs --once. Fix: run `ml-connector sync --once --config FILE`, or `ml-connector start` to keep syncing');
    const { bridge } = await loadBridge(args, io);
    try {
      const results: Record<string, unknown> = {};
      for (const runtime of bridge.engine.runtimes) {
        const { poll, processed, pending } = await runtime.runOnce();
        results[runtime.connectionId] = { qadRead: poll.read, queued: poll.queued, processed, pending };
      }
      io.stdout(`${JSON.stringify(results)}\n`);
      return 0;
    } finally {
      await bridge.close();
    }
  },
};
