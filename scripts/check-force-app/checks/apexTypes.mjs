// apex-ls (bundled with the PMD engine) type-checks Apex against the platform's standard types and
// the project's own objects and fields, which is the closest thing to a compile without an org.
// It starts one JVM for the whole project.
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { promisify } from 'node:util';
import { problem, result } from '../report.mjs';

const run = promisify(execFile);
const require = createRequire(import.meta.url);
const JAVA_LIB = path.join(path.dirname(require.resolve('@salesforce/code-analyzer-pmd-engine')), 'java-lib', '*');
const NOT_ERRORS = new Set(['Warning', 'Unused']);
const TITLE = 'Apex type-checks with apex-ls CheckForIssues (zero errors)';

export async function checkApexTypes(context) {
    const { apexFiles } = await context.metadata();
    if (apexFiles.length === 0) {
        return result('apex-types', TITLE, 'no Apex to type-check', []);
    }
    let stdout;
    try {
        ({ stdout } = await run(
            'java',
            ['-cp', JAVA_LIB, 'io.github.apexdevtools.apexls.CheckForIssues', '-n', '-w', context.project.root, '-f', 'json'],
            { maxBuffer: 64 * 1024 * 1024 }
        ));
    } catch (error) {
        // Exit code 4 means "issues found" and still prints the JSON report.
        if (typeof error.stdout === 'string' && error.stdout.trim().startsWith('{')) {
            stdout = error.stdout;
        } else {
            const reason = error.code === 'ENOENT' ? 'java is not on PATH (install a JDK 11 or later)' : `${error.message}\n${error.stderr ?? ''}`;
            return result('apex-types', TITLE, 'apex-ls did not run', [problem('force-app', undefined, undefined, reason.trim())]);
        }
    }
    const report = JSON.parse(stdout);
    const problems = [];
    for (const file of report.files ?? []) {
        for (const message of file.messages ?? []) {
            if (NOT_ERRORS.has(message.category)) continue;
            problems.push(
                problem(context.project.relative(file.path), message.start?.line, (message.start?.offset ?? 0) + 1, `apex-ls ${message.category}: ${message.message}`)
            );
        }
    }
    return result('apex-types', TITLE, `${apexFiles.length} Apex files type-checked, ${problems.length} errors`, problems);
}
