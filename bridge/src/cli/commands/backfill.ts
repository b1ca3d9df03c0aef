import cliProgress from 'cli-progress';
import type { CliCommand } from '../command.js';
import { CONFIG_OPTION, loadBridge } from '../loadBridge.js';

export const backfillCommand: CliCommand = {
  usage: '--config FILE [--connection ID]',
  description:
    'Re-reads every QAD customer, supplier, item and contact, changed or not, and runs them through the streams (records whose content is already in Salesforce are skipped without an API call). Shows a progress bar on a terminal.',
  options: {
    ...CONFIG_OPTION,
    connection: { type: 'string', valueName: 'ID', description: 'only this connection' },
  },
  async run(args, io) {
    const { bridge } = await loadBridge(args, io);
    const interactive = process.stderr.isTTY === true;
    const bars = new cliProgress.MultiBar(
      { format: '{connection} {phase} |{bar}| {value} {unit}', hideCursor: true, clearOnComplete: false, noTTYOutput: false, stream: process.stderr },
      cliProgress.Presets.shades_classic,
    );
    try {
      const results: Record<string, unknown> = {};
      for (const runtime of bridge.engine.runtimes) {
        const read = interactive ? bars.create(0, 0, { connection: runtime.connectionId, phase: 'read QAD', unit: 'records' }) : null;
        const run = interactive ? bars.create(0, 0, { connection: runtime.connectionId, phase: 'synced  ', unit: 'jobs' }) : null;
        let total = 0;
        const outcome = await runtime.runOnce({
          full: true,
          onProgress: (_object, n) => {
            total += 1;
            void n;
            read?.setTotal(total);
            read?.update(total);
            run?.setTotal(total);
          },
          onDrained: (processed) => run?.update(processed),
        });
        read?.stop();
        run?.stop();
        results[runtime.connectionId] = { qadRead: outcome.poll.read, queued: outcome.poll.queued, processed: outcome.processed, pending: outcome.pending };
      }
      bars.stop();
      io.stdout(`${JSON.stringify(results)}\n`);
      return 0;
    } finally {
      bars.stop();
      await bridge.close();
    }
  },
};
