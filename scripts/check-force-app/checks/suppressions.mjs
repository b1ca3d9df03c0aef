// A PMD suppression hides a finding from every later run, so each one must say why, right where it
// is: `// NOPMD <reason>` on the line, or for @SuppressWarnings('PMD...') a `//` comment with the
// reason on the same line or the line directly above.
import { problem, result } from '../report.mjs';

const REASON = /[A-Za-z]{3,}.*\s.*[A-Za-z]{2,}/; // at least two words
const SUPPRESS_WARNINGS = /@SuppressWarnings\s*\(\s*'([^']*PMD[^']*)'\s*\)/i;

function lineComment(line) {
    const at = line.indexOf('//');
    return at >= 0 ? line.slice(at + 2).trim() : undefined;
}

export async function checkSuppressions(context) {
    const parsed = await context.apex();
    const problems = [];
    let suppressions = 0;
    for (const [file, { source }] of parsed) {
        const lines = source.split(/\r?\n/);
        lines.forEach((line, index) => {
            const relative = context.project.relative(file);
            const noPmd = /\/\/\s*NOPMD\b(.*)$/i.exec(line);
            if (noPmd) {
                suppressions++;
                if (!REASON.test(noPmd[1])) {
                    problems.push(problem(relative, index + 1, line.indexOf('NOPMD') + 1, 'NOPMD without a reason: write `// NOPMD <why this finding does not apply>`'));
                }
            }
            const annotation = SUPPRESS_WARNINGS.exec(line);
            if (annotation) {
                suppressions++;
                const sameLine = lineComment(line.slice(annotation.index));
                const previous = lines[index - 1]?.trim() ?? '';
                const above = previous.startsWith('//') ? previous.slice(2).trim() : undefined;
                if (!REASON.test(sameLine ?? '') && !REASON.test(above ?? '')) {
                    problems.push(
                        problem(relative, index + 1, annotation.index + 1, `@SuppressWarnings('${annotation[1]}') without a reason: add a \`// <why>\` comment on the line above or at the end of the line`)
                    );
                }
            }
        });
    }
    return result('pmd-suppressions', 'every PMD suppression in Apex carries a one-line reason', `${suppressions} suppressions found`, problems);
}
