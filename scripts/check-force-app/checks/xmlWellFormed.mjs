// SDR and the sf CLI accept malformed XML without a word (facts/tooling.md), so every XML file is
// validated strictly first, with the position of the first error.
import { readFile } from 'node:fs/promises';
import { XMLValidator } from 'fast-xml-parser';
import { problem, result } from '../report.mjs';

export async function checkXmlWellFormed(project) {
    const xmlFiles = project.files.filter((file) => file.endsWith('.xml'));
    const problems = [];
    for (const file of xmlFiles) {
        const verdict = XMLValidator.validate(await readFile(file, 'utf8'));
        if (verdict !== true) {
            const { line, col, msg, code } = verdict.err;
            problems.push(problem(project.relative(file), line, col, `malformed XML (${code}): ${msg}`));
        }
    }
    return result('xml', 'every XML file is well-formed', `${xmlFiles.length} XML files checked`, problems);
}
