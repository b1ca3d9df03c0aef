// The checks in the order the CLI prints them. Each is independent, so one failure never hides
// the others' results.
import { createContext } from './context.mjs';
import { checkXmlWellFormed } from './checks/xmlWellFormed.mjs';
import { checkMetadataConverts } from './checks/metadataConvert.mjs';
import { checkElementSchema } from './checks/elementSchema.mjs';
import { checkApexParses } from './checks/apexParse.mjs';
import { checkApexTypes } from './checks/apexTypes.mjs';
import { checkPmd } from './checks/pmd.mjs';
import { checkSuppressions } from './checks/suppressions.mjs';
import { checkReferences } from './checks/references.mjs';
import { checkPermissions } from './checks/permissions.mjs';
import { checkUiWiring } from './checks/uiWiring.mjs';
import { problem, result } from './report.mjs';

export const CHECKS = [
    { id: 'xml', run: (context) => checkXmlWellFormed(context.project) },
    { id: 'convert', run: (context) => checkMetadataConverts(context.project) },
    { id: 'element-schema', run: (context) => checkElementSchema(context.project) },
    { id: 'apex-parse', run: checkApexParses },
    { id: 'apex-types', run: checkApexTypes },
    { id: 'pmd', run: checkPmd },
    { id: 'pmd-suppressions', run: checkSuppressions },
    { id: 'references', run: checkReferences },
    { id: 'permissions', run: checkPermissions },
    { id: 'ui-wiring', run: checkUiWiring }
];

/**
 * @param {string} root project root (holds sfdx-project.json)
 * @param {{only?: string[]}} [options] ids of the checks to run; all when omitted
 * @return {Promise<ReturnType<typeof result>[]>}
 */
export async function runChecks(root, { only } = {}) {
    const unknown = (only ?? []).filter((id) => !CHECKS.some((check) => check.id === id));
    if (unknown.length > 0) {
        throw new Error(`unknown check id(s) ${unknown.join(', ')}; known: ${CHECKS.map((check) => check.id).join(', ')}`);
    }
    const context = await createContext(root);
    const results = [];
    for (const [position, check] of CHECKS.entries()) {
        if (only && !only.includes(check.id)) continue;
        let outcome;
        try {
            outcome = await check.run(context);
        } catch (error) {
            outcome = result(check.id, check.id, 'the check itself failed', [problem('force-app', undefined, undefined, error.stack ?? String(error))]);
        }
        results.push({ ...outcome, number: position + 1 });
    }
    return results;
}
