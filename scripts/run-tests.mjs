#!/usr/bin/env node
// `npm test` is every check the project has, run in order, each to completion, so one failing
// stage does not hide the result of the others. The exit code is non-zero if any stage failed.
import { spawnSync } from 'node:child_process';

const stages = [
  ['LWC jest', ['run', 'test:lwc']],
  ['force-app checker tests', ['run', 'test:checks']],
  ['force-app offline checks', ['run', 'check:force-app']],
  ['bridge typecheck', ['run', 'typecheck']],
  ['bridge tests', ['run', 'test:bridge']],
];

const only = process.argv.slice(2);
const results = [];
for (const [name, args] of stages) {
  if (only.length > 0 && !only.some((o) => name.includes(o))) continue;
  process.stdout.write(`\n=== ${name}: npm ${args.join(' ')}\n`);
  const started = Date.now();
  const run = spawnSync('npm', args, { stdio: 'inherit', env: process.env });
  results.push({ name, ok: run.status === 0, seconds: ((Date.now() - started) / 1000).toFixed(1) });
}

process.stdout.write('\n=== summary\n');
for (const r of results) process.stdout.write(`${r.ok ? 'ok  ' : 'FAIL'} ${r.name} (${r.seconds}s)\n`);
const failed = results.filter((r) => !r.ok).length;
process.stdout.write(`stages: ${results.length - failed} passed, ${failed} failed\n`);
process.exit(failed === 0 ? 0 : 1);
