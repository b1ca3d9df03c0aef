import { existsSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import pg from 'pg';
import { expect } from 'vitest';
import { dropTestSchemas } from '../store/storeTargets.js';
import { captured, removeWorldDirs } from './harness.js';

/**
 * The leak check of issue 6: every secret any e2e world used (client secrets, QAD passwords,
 * access tokens) must appear neither in the captured logs nor in a store file written by a run.
 */
export async function scanForSecrets(extraText: string[] = []): Promise<void> {
  const secrets = [...captured.secrets].filter((s) => s.length >= 8);
  expect(secrets.length).toBeGreaterThan(0);
  const texts: Array<{ where: string; text: string }> = [
    { where: 'captured logs', text: captured.logs.join('\n') },
    ...extraText.map((text, i) => ({ where: `child output ${i}`, text })),
  ];
  const dirs = new Set<string>();
  for (const file of captured.files) {
    dirs.add(dirname(file));
    for (const candidate of [file, `${file}-wal`]) {
      if (existsSync(candidate)) texts.push({ where: candidate, text: readFileSync(candidate).toString('latin1') });
    }
  }
  // something was written by a run: logs, child output and at least one store file
  const url = process.env.TEST_DATABASE_URL;
  if (url && captured.pgSchemas.size > 0) {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      for (const schema of captured.pgSchemas) {
        const tables = await client.query<{ table_name: string }>('select table_name from information_schema.tables where table_schema = $1', [schema]);
        let dump = '';
        for (const { table_name } of tables.rows) {
          const rows = await client.query(`select * from "${schema}"."${table_name}"`);
          dump += JSON.stringify(rows.rows);
        }
        texts.push({ where: `PostgreSQL schema ${schema}`, text: dump });
      }
    } finally {
      await client.end();
    }
    await dropTestSchemas(url, captured.pgSchemas);
    captured.pgSchemas.clear();
  }
  expect(texts.filter((t) => t.text.length > 0).length).toBeGreaterThan(1);
  for (const { where, text } of texts) {
    for (const secret of secrets) {
      expect(text.includes(secret), `a secret (${secret.slice(0, 3)}…) appears in ${where}`).toBe(false);
    }
  }
  await removeWorldDirs(dirs);
}
