// PMD through Salesforce Code Analyzer's own core and PMD engine, the same rules `sf code-analyzer`
// would run (the sf plugin itself cannot be installed from this registry, facts/tooling.md).
// One JVM for the whole project.
import os from 'node:os';
import path from 'node:path';
import { CodeAnalyzer, CodeAnalyzerConfig, SeverityLevel } from '@salesforce/code-analyzer-core';
import { createEnginePlugin } from '@salesforce/code-analyzer-pmd-engine';
import { problem, result } from '../report.mjs';

/** Rule selection: PMD's Recommended set for Apex (and whatever else it covers in the package). */
export const PMD_RULE_SELECTOR = 'pmd:Recommended';
const BLOCKING = [SeverityLevel.Critical, SeverityLevel.High];
const TITLE = `PMD (${PMD_RULE_SELECTOR}) has no severity 1 or 2 violations`;

export async function checkPmd(context) {
    const { project } = context;
    try {
        const config = CodeAnalyzerConfig.fromObject({ config_root: project.root, log_folder: os.tmpdir() });
        const analyzer = new CodeAnalyzer(config);
        await analyzer.addEnginePlugin(createEnginePlugin());
        const workspace = await analyzer.createWorkspace(project.packageDirs);
        const selection = await analyzer.selectRules([PMD_RULE_SELECTOR], { workspace });
        const results = await analyzer.run(selection, { workspace });
        const violations = results.getViolations();
        const problems = violations
            .filter((violation) => BLOCKING.includes(violation.getRule().getSeverityLevel()))
            .map((violation) => {
                const location = violation.getPrimaryLocation();
                const file = location.getFile() ? project.relative(path.resolve(location.getFile())) : 'force-app';
                const rule = violation.getRule();
                return problem(file, location.getStartLine(), location.getStartColumn(), `PMD ${rule.getName()} (severity ${rule.getSeverityLevel()}): ${violation.getMessage().trim()}`);
            });
        const bySeverity = [1, 2, 3, 4, 5].map((level) => `sev${level} ${results.getViolationCountOfSeverity(level)}`).join(', ');
        return result('pmd', TITLE, `${selection.getCount()} rules run, ${violations.length} violations (${bySeverity})`, problems);
    } catch (error) {
        return result('pmd', TITLE, 'PMD did not run', [problem('force-app', undefined, undefined, `${error.name}: ${error.message}`)]);
    }
}
