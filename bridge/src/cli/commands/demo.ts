import { createLogger } from '../../logger.js';
import { runDemo, type DemoOutcome } from '../../demo/runDemo.js';
import type { CliCommand } from '../command.js';

function readable(outcome: DemoOutcome): string {
  const s = outcome.summary;
  const lines = [
    '',
    'ml-connector demo',
    '',
    ...outcome.phases.map((p) => `  ${p.phase.padEnd(20)} ${String(p.ms).padStart(6)} ms`),
    '',
    `  QAD          ${s.qad.customers} customers, ${s.qad.suppliers} suppliers, ${s.qad.items} items, ${s.qad.salesOrders} sales orders`,
    `  Salesforce   ${s.salesforce.accounts} accounts, ${s.salesforce.products} products, ${s.salesforce.contacts} contacts`,
    `               ${s.salesforce.ordersActivated} orders activated, ${s.salesforce.ordersWithQadNumber} with their QAD number, ${s.salesforce.auditRecords} audit records`,
    `  duplicates   ${s.duplicates}`,
    `  failed       ${s.failed}`,
    `  API calls    Salesforce ${s.apiCalls.salesforce}, QAD ${s.apiCalls.qad}`,
    `  elapsed      ${(s.elapsedMs / 1000).toFixed(1)} s`,
    '',
    outcome.converged ? 'Converged: every QAD record is in Salesforce once and every activated order is in QAD once.' : `NOT converged: ${outcome.problems.join('; ') || 'duplicates or failed attempts (see above)'}`,
    '',
  ];
  return lines.join('\n');
}

export const demoCommand: CliCommand = {
  usage: '[--json]',
  description:
    'Starts the sandbox with seeded data, runs the bridge on SQLite in a temporary folder, lets the initial sync finish, activates orders and edits Accounts in Salesforce, waits until both sides agree, and prints a summary. Exit code 0 only if everything converged.',
  options: {
    json: { type: 'boolean', description: 'print one JSON object instead of the readable summary' },
  },
  async run(args, io) {
    const json = args.values.json === true;
    const logger = createLogger({ level: io.env.LOG_LEVEL ?? 'warn' }, { write: (line: string) => io.stderr(line) } as never);
    const outcome = await runDemo({
      logger,
      onPhase: json ? undefined : (phase, detail) => io.stderr(`[demo] ${phase}: ${detail}\n`),
    } as Parameters<typeof runDemo>[0]);
    io.stdout(json ? `${JSON.stringify(outcome.summary)}\n` : readable(outcome));
    return outcome.converged ? 0 : 1;
  },
};
