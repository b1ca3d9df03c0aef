import type { Database, Statement } from 'better-sqlite3';
import type { SqliteDatabase, SqliteStatement } from 'kysely';

/**
 * Kysely's SQLite driver prepares every query anew. A better-sqlite3 statement holds its compiled
 * program in native memory until the garbage collector finalizes the JavaScript object, and the
 * collector, seeing a small heap, rarely does: a backfill preparing the same few dozen statements
 * hundreds of thousands of times grew the process by megabytes a second outside the V8 heap. This
 * keeps the most recently used statements by their SQL text and hands the same one back, the way
 * a driver's statement cache does; no published package does this for Kysely, hence these lines.
 *
 * Reusing a statement is safe here because the driver runs one query at a time on its connection
 * and an iterator is always run to its end before the next query starts.
 */
export const STATEMENTS_KEPT = 256;

export function cachingDatabase(database: Database, capacity = STATEMENTS_KEPT): SqliteDatabase {
  const statements = new Map<string, Statement>();
  return {
    close: () => {
      statements.clear();
      database.close();
    },
    prepare(sql: string): SqliteStatement {
      let statement = statements.get(sql);
      if (statement) {
        // most recently used last: Map iteration order is insertion order
        statements.delete(sql);
      } else {
        statement = database.prepare(sql);
        if (statements.size >= capacity) statements.delete(statements.keys().next().value!);
      }
      statements.set(sql, statement);
      return statement as unknown as SqliteStatement;
    },
  };
}
