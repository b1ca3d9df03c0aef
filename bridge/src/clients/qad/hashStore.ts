import type { QadListObject } from './profile.js';
import type { HashStore } from './types.js';

/** Keeps hashes in memory; the engine's store replaces it so hashes survive a restart. */
export class InMemoryHashStore implements HashStore {
  readonly #byObject = new Map<QadListObject, Map<string, string>>();

  async get(object: QadListObject, keys: readonly string[]): Promise<Map<string, string>> {
    const table = this.#byObject.get(object);
    const out = new Map<string, string>();
    if (!table) return out;
    for (const key of keys) {
      const hash = table.get(key);
      if (hash !== undefined) out.set(key, hash);
    }
    return out;
  }

  async put(object: QadListObject, entries: ReadonlyArray<{ key: string; hash: string }>): Promise<void> {
    let table = this.#byObject.get(object);
    if (!table) {
      table = new Map();
      this.#byObject.set(object, table);
    }
    for (const { key, hash } of entries) table.set(key, hash);
  }

  size(object: QadListObject): number {
    return this.#byObject.get(object)?.size ?? 0;
  }
}
