// Where the package lives and which files it holds. Every check reads the project through here so
// that a test can point the whole checker at a small project in a temp dir.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

const SKIPPED_DIRS = new Set(['node_modules', '.sfdx', '.sf', '.git', '.localdevserver']);

/**
 * @param {string} root project root holding sfdx-project.json
 * @return {Promise<{root: string, packageDirs: string[], files: string[], relative: (file: string) => string}>}
 */
export async function loadProject(root) {
    const absoluteRoot = path.resolve(root);
    let config;
    try {
        config = JSON.parse(await readFile(path.join(absoluteRoot, 'sfdx-project.json'), 'utf8'));
    } catch (error) {
        throw new Error(
            `${path.join(absoluteRoot, 'sfdx-project.json')} is missing or not JSON (${error.message}); ` +
                'run the checker from the project root or pass the root as its argument'
        );
    }
    const dirs = (config.packageDirectories ?? []).map((entry) => path.resolve(absoluteRoot, entry.path));
    if (dirs.length === 0) {
        throw new Error('sfdx-project.json lists no packageDirectories; add one such as {"path": "force-app"}');
    }
    const files = [];
    for (const dir of dirs) {
        files.push(...(await walk(dir)));
    }
    files.sort();
    return {
        root: absoluteRoot,
        packageDirs: dirs,
        files,
        relative: (file) => path.relative(absoluteRoot, file).split(path.sep).join('/')
    };
}

/** @return {boolean} true for LWC jest tests and fixtures, which never deploy (.forceignore) */
export function isTestOnly(file) {
    return file.split(path.sep).includes('__tests__');
}

async function walk(dir) {
    let entries;
    try {
        entries = await readdir(dir, { withFileTypes: true });
    } catch (error) {
        if (error.code === 'ENOENT') return [];
        throw error;
    }
    const found = [];
    for (const entry of entries) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) {
            if (!SKIPPED_DIRS.has(entry.name)) found.push(...(await walk(full)));
        } else if (entry.isFile()) {
            found.push(full);
        }
    }
    return found;
}
