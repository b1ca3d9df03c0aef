// Resolving with SDR is what `sf project deploy` does first; converting to metadata format proves
// every file maps to a known metadata type (an unknown type throws TypeInferenceError).
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sdr from '@salesforce/source-deploy-retrieve';
import { problem, result } from '../report.mjs';

const { ComponentSet, MetadataConverter } = sdr;
const TITLE = 'force-app resolves and converts to metadata format';

export async function checkMetadataConverts(project) {
    const outputDirectory = await mkdtemp(path.join(os.tmpdir(), 'check-force-app-mdapi-'));
    try {
        const components = ComponentSet.fromSource({ fsPaths: project.packageDirs });
        const sourceComponents = components.getSourceComponents().toArray();
        await new MetadataConverter().convert(components, 'metadata', {
            type: 'directory',
            outputDirectory,
            genUniqueDir: false
        });
        const types = new Map();
        for (const component of sourceComponents) {
            types.set(component.type.name, (types.get(component.type.name) ?? 0) + 1);
        }
        const byType = [...types.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([type, count]) => `${type} ${count}`);
        const problems = sourceComponents.length === 0 ? [problem('sfdx-project.json', undefined, undefined, 'the package directories hold no metadata')] : [];
        return result('convert', TITLE, `${sourceComponents.length} components converted (${byType.join(', ')})`, problems);
    } catch (error) {
        return result('convert', TITLE, 'conversion failed', [problem(fileNamedIn(error, project), undefined, undefined, `${error.name}: ${error.message}`)]);
    } finally {
        await rm(outputDirectory, { recursive: true, force: true });
    }
}

function fileNamedIn(error, project) {
    const match = /(\/[^\s:'"]+)/.exec(error.message);
    return match ? project.relative(match[1]) : 'force-app';
}
