// Shared, lazily built views of the project, so that the Apex sources are parsed once even though
// the parse check and the cross-reference check both need them.
import { readFile } from 'node:fs/promises';
import { loadProject } from './project.mjs';
import { indexMetadata } from './model/metadataIndex.mjs';
import { parseApex } from './model/apexSource.mjs';

export async function createContext(root) {
    const project = await loadProject(root);
    let index;
    let parsed;
    return {
        project,
        async metadata() {
            index ??= await indexMetadata(project);
            return index;
        },
        /** @return {Promise<Map<string, ReturnType<typeof parseApex> & {source: string}>>} by absolute file */
        async apex() {
            if (!parsed) {
                parsed = new Map();
                for (const file of (await this.metadata()).apexFiles) {
                    const source = await readFile(file, 'utf8');
                    parsed.set(file, { ...parseApex(source, file.endsWith('.trigger') ? 'trigger' : 'class'), source });
                }
            }
            return parsed;
        }
    };
}
