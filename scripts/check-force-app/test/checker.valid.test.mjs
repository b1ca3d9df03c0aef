import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createProject } from './fixtureProject.mjs';

const CLI = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'index.mjs');

test('a small valid project passes every check and the CLI exits 0', async () => {
    const { root, cleanup } = await createProject();
    try {
        const run = spawnSync(process.execPath, [CLI, root], { encoding: 'utf8' });
        assert.equal(run.status, 0, run.stdout + run.stderr);
        assert.match(run.stdout, /10\/10 checks passed, 0 problems/);
        assert.match(run.stdout, /ok   3\. every metadata element is valid for Metadata API 66\.0 \(names, nesting, order, value types\): 6 metadata files, 44 elements checked against \d+ complex and \d+ simple types/);
        assert.match(run.stdout, /1 classes, 0 triggers parsed/);
        assert.match(run.stdout, /1 Apex method imports \(1 call sites\), 2 schema imports, 1 label imports/);
        assert.doesNotMatch(run.stdout, /FAIL/);
    } finally {
        await cleanup();
    }
});

test('the CLI exits 1 and prints file:line:col when a check fails', async () => {
    const { root, cleanup } = await createProject({
        'force-app/main/default/labels/CustomLabels.labels-meta.xml': '<?xml version="1.0"?>\n<CustomLabels>\n  <labels>\n</CustomLabels>\n'
    });
    try {
        const run = spawnSync(process.execPath, [CLI, root, '--only', 'xml'], { encoding: 'utf8' });
        assert.equal(run.status, 1, run.stdout + run.stderr);
        assert.match(run.stdout, /FAIL 1\. every XML file is well-formed/);
        assert.match(run.stdout, /force-app\/main\/default\/labels\/CustomLabels\.labels-meta\.xml:4:\d+ malformed XML/);
        assert.match(run.stdout, /0\/1 checks passed, 1 problems/);
    } finally {
        await cleanup();
    }
});

test('the CLI names the missing sfdx-project.json and exits 2', () => {
    const run = spawnSync(process.execPath, [CLI, path.dirname(CLI)], { encoding: 'utf8' });
    assert.equal(run.status, 2);
    assert.match(run.stderr, /sfdx-project\.json is missing/);
});
