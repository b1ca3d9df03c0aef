// Runs chosen checks in-process on a fixture project and hands back the failing ones' problems.
import { formatProblem } from '../report.mjs';
import { runChecks } from '../runChecks.mjs';
import { createProject } from './fixtureProject.mjs';

/**
 * @param {Record<string, string|null>} changes files to replace, add (or remove, with null)
 * @param {string[]} only check ids
 * @return {Promise<Record<string, string[]>>} check id -> formatted problems (empty when it passed)
 */
export async function problemsAfter(changes, only) {
    const { root, cleanup } = await createProject(changes);
    try {
        const results = await runChecks(root, { only });
        return Object.fromEntries(results.map((check) => [check.id, check.problems.map(formatProblem)]));
    } finally {
        await cleanup();
    }
}
