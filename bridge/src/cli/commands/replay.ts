import { userInfo } from 'node:os';
import { CliUsageError, type CliCommand } from '../command.js';
import { CONFIG_OPTION, loadBridge } from '../loadBridge.js';

export const replayCommand: CliCommand = {
  usage: '<eventId> --config FILE',
  description:
    'Replays one audited attempt by its Bridge_Event_Id__c: re-reads the current source record, runs the current mapping, records a new attempt linked to the replayed one (which becomes Replayed) and mirrors both to Sync_Audit__c.',
  positionals: ['eventId'],
  options: {
    ...CONFIG_OPTION,
    'requested-by': { type: 'string', valueName: 'WHO', description: 'who asked for the replay (a Salesforce user id is linked on the audit row)' },
  },
  async run(args, io) {
    const eventId = args.positionals[0];
    if (!eventId) throw new CliUsageError('replay needs the audit event id. Fix: `ml-connector replay <Bridge_Event_Id__c> --config FILE`');
    const requestedBy = typeof args.values['requested-by'] === 'string' ? args.values['requested-by'] : `cli:${userInfo().username}`;
    const { bridge } = await loadBridge(args, io);
    try {
      const outcome = await bridge.engine.replay(eventId, requestedBy);
      for (const runtime of bridge.engine.runtimes) await runtime.mirrorNow();
      io.stdout(`${JSON.stringify(outcome)}\n`);
      return outcome.status === 'Succeeded' || outcome.status === 'Skipped' ? 0 : 1;
    } finally {
      await bridge.close();
    }
  },
};
