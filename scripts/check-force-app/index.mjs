#!/usr/bin/env node
// `npm run check:force-app [-- <project root>] [--only id,id]`: offline checks of the Salesforce
// package. Prints what each check examined and every problem as file:line:col; exits 1 on any.
import { parseArgs } from 'node:util';
import { formatProblem } from './report.mjs';
import { CHECKS, runChecks } from './runChecks.mjs';

const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { only: { type: 'string' }, help: { type: 'boolean', short: 'h' } }
});

if (values.help) {
    process.stdout.write(
        'usage: node scripts/check-force-app/index.mjs [project-root] [--only id,id]\n' +
            `checks: ${CHECKS.map((check) => check.id).join(', ')}\n`
    );
    process.exit(0);
}

const root = positionals[0] ?? process.cwd();
const started = Date.now();
try {
    const results = await runChecks(root, { only: values.only?.split(',').map((id) => id.trim()) });
    for (const check of results) {
        const verdict = check.ok ? 'ok  ' : 'FAIL';
        process.stdout.write(`${verdict} ${check.number}. ${check.title}: ${check.found}${check.ok ? '' : `; ${check.problems.length} problems`}\n`);
        for (const found of check.problems) process.stdout.write(`       ${formatProblem(found)}\n`);
    }
    const failed = results.filter((check) => !check.ok);
    const problems = failed.reduce((sum, check) => sum + check.problems.length, 0);
    process.stdout.write(
        `check:force-app: ${results.length - failed.length}/${results.length} checks passed, ${problems} problems (${((Date.now() - started) / 1000).toFixed(1)} s)\n`
    );
    process.exit(failed.length === 0 ? 0 : 1);
} catch (error) {
    process.stderr.write(`check:force-app could not run: ${error.message}\n`);
    process.exit(2);
}
