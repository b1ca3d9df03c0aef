import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../errors.js';
import { mappingFileSchema, type MappingFile, type QadMappedObject } from './mappingSchema.js';
import { formatZodProblems } from './zodProblems.js';

/**
 * The mapping files of config/mappings/, validated at start-up. Several versions of one mapping
 * may live side by side (`qad-customer-account.v1.json`, `.v2.json`); a connection pins one with
 * `name@version` or gets the latest. Every problem in every file is reported at once, each line
 * starting with the file name.
 */
export class MappingCatalog {
  private readonly byName = new Map<string, Map<number, MappingFile>>();

  constructor(mappings: readonly MappingFile[]) {
    for (const mapping of mappings) {
      const versions = this.byName.get(mapping.name) ?? new Map<number, MappingFile>();
      versions.set(mapping.version, mapping);
      this.byName.set(mapping.name, versions);
    }
  }

  names(): string[] {
    return [...this.byName.keys()].sort();
  }

  /** `name` or `name@version`; without a version, the highest one */
  get(reference: string): MappingFile {
    const [name, versionText] = reference.split('@') as [string, string | undefined];
    const versions = this.byName.get(name);
    if (!versions) {
      throw new ConfigError(`unknown mapping ${reference}`, [`mappings: "${reference}" does not exist. Fix: use one of ${this.names().join(', ')}`]);
    }
    const version = versionText === undefined ? Math.max(...versions.keys()) : Number(versionText);
    const mapping = versions.get(version);
    if (!mapping) {
      throw new ConfigError(`unknown mapping version ${reference}`, [`mappings: "${name}" has no version ${version}. Fix: use one of ${[...versions.keys()].map((v) => `${name}@${v}`).join(', ')}`]);
    }
    return mapping;
  }

  /** the mappings a connection uses: its pinned list, or the latest version of every mapping */
  select(references?: readonly string[]): MappingFile[] {
    const chosen = (references ?? this.names()).map((reference) => this.get(reference));
    const perObject = new Map<string, string>();
    const problems: string[] = [];
    for (const mapping of chosen) {
      const slot = `${mapping.qadObject} → ${mapping.salesforceObject}`;
      const earlier = perObject.get(slot);
      if (earlier !== undefined) problems.push(`mappings: ${earlier} and ${mapping.name}@${mapping.version} both map ${slot}. Fix: keep one of them in the connection's "mappings"`);
      perObject.set(slot, `${mapping.name}@${mapping.version}`);
    }
    if (problems.length > 0) throw new ConfigError('conflicting mappings', problems);
    return chosen;
  }

  forQadObject(mappings: readonly MappingFile[], object: QadMappedObject): MappingFile[] {
    return mappings.filter((mapping) => mapping.qadObject === object);
  }
}

export function parseMappingFile(input: unknown, source: string): MappingFile {
  const result = mappingFileSchema.safeParse(input);
  if (!result.success) {
    const problems = formatZodProblems(result.error, input, mappingFileSchema).map((line) => `${source}: ${line}`);
    throw new ConfigError(`${source} is not a valid mapping`, problems);
  }
  return result.data;
}

export function loadMappings(dir: string): MappingCatalog {
  let files: string[];
  try {
    files = readdirSync(dir).filter((file) => file.endsWith('.json')).sort();
  } catch (error) {
    throw new ConfigError(`cannot read ${dir}`, [`mappingsDir: ${dir} cannot be read. Fix: point "mappingsDir" at the folder holding the mapping files`], { cause: error });
  }
  const problems: string[] = [];
  const mappings: MappingFile[] = [];
  const seen = new Map<string, string>();
  for (const file of files) {
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(path.join(dir, file), 'utf8'));
    } catch (error) {
      problems.push(`${file}: is not valid JSON (${(error as Error).message}). Fix: correct the JSON syntax`);
      continue;
    }
    try {
      const mapping = parseMappingFile(json, file);
      const id = `${mapping.name}@${mapping.version}`;
      const other = seen.get(id);
      if (other) problems.push(`${file}: ${id} is also defined in ${other}. Fix: raise "version" in one of them`);
      seen.set(id, file);
      mappings.push(mapping);
    } catch (error) {
      if (error instanceof ConfigError) problems.push(...error.problems);
      else throw error;
    }
  }
  if (problems.length > 0) throw new ConfigError(`mappings in ${dir} are not valid:\n  - ${problems.join('\n  - ')}`, problems);
  if (mappings.length === 0) throw new ConfigError(`no mappings in ${dir}`, [`mappingsDir: ${dir} holds no *.json mapping. Fix: copy config/mappings from the repository`]);
  return new MappingCatalog(mappings);
}
