// Names that code uses and no tool above resolves: LWC imports of Apex methods, schema and labels,
// and custom objects/fields named in Apex (SOQL, field access, string allow-lists) and in LWC.
import { readFile } from 'node:fs/promises';
import { customReferences } from '../model/apexSource.mjs';
import { apexCallSites } from '../model/apexCallSites.mjs';
import { createFieldLookup } from '../model/fieldLookup.mjs';
import { problem, result } from '../report.mjs';

const APEX_IMPORT = /from\s+['"]@salesforce\/apex\/([\w]+)\.([\w]+)['"]/g;
const SCHEMA_IMPORT = /from\s+['"]@salesforce\/schema\/([\w]+)(?:\.([\w.]+))?['"]/g;
const LABEL_IMPORT = /from\s+['"]@salesforce\/label\/c\.([\w]+)['"]/g;
const CUSTOM_NAME = /\b(?:(\w+)\.)?(\w+__(?:c|r|e|mdt))\b/g;

function positionOf(text, offset) {
    const before = text.slice(0, offset);
    const line = before.split('\n').length;
    return { line, col: offset - before.lastIndexOf('\n') };
}

export async function checkReferences(context) {
    const index = await context.metadata();
    const parsed = await context.apex();
    const lookup = createFieldLookup(index);
    const auraEnabledByClass = new Map();
    for (const [, apex] of parsed) {
        if (apex.className) auraEnabledByClass.set(apex.className.toLowerCase(), apex.auraEnabled);
    }
    const problems = [];
    const counts = { apexImports: 0, apexCalls: 0, schemaImports: 0, labelImports: 0, customNames: 0 };

    /** One custom name, optionally tied to an object. */
    const checkCustomName = (where, name, qualifier) => {
        counts.customNames++;
        if (lookup.objectExists(name)) return;
        if (/__(e|mdt)$/i.test(name)) {
            problems.push(problem(...where, `object ${name} is not defined in force-app`));
            return;
        }
        const field = name.replace(/__r$/i, '__c');
        const relationship = field !== name ? ` (relationship ${name})` : '';
        if (qualifier && lookup.objectExists(qualifier)) {
            if (!lookup.fieldExists(qualifier, field)) {
                problems.push(problem(...where, `field ${qualifier}.${field}${relationship} does not exist in force-app`));
            }
        } else if (lookup.ownersOf(field).length === 0) {
            problems.push(problem(...where, `field ${field}${relationship} does not exist on any object in force-app`));
        }
    };

    for (const [file, apex] of parsed) {
        if (apex.errors.length > 0) continue; // reported by the parse check
        for (const reference of customReferences(apex.tokens)) {
            checkCustomName([context.project.relative(file), reference.line, reference.col], reference.name, reference.object);
        }
    }

    for (const file of index.lwcScripts) {
        const text = await readFile(file, 'utf8');
        const relative = context.project.relative(file);
        // Positions point at the module specifier (or the name), not at the `from` keyword.
        const at = (offset, match) => {
            const { line, col } = positionOf(text, offset + (match ? match[0].indexOf('@') : 0));
            return [relative, line, col];
        };
        for (const match of text.matchAll(APEX_IMPORT)) {
            counts.apexImports++;
            const [, className, method] = match;
            const methods = auraEnabledByClass.get(className.toLowerCase());
            if (!index.apexClasses.has(className)) {
                problems.push(problem(...at(match.index, match), `imports @salesforce/apex/${className}.${method} but class ${className} is not in force-app`));
            } else if (!methods?.has(method)) {
                problems.push(problem(...at(match.index, match), `imports @salesforce/apex/${className}.${method} but ${className} has no @AuraEnabled method ${method}`));
            }
        }
        for (const site of apexCallSites(text)) {
            const parameters = auraEnabledByClass.get(site.className.toLowerCase())?.get(site.method);
            if (!parameters) continue; // the import itself is reported above
            counts.apexCalls++;
            const known = new Set(parameters.map((name) => name.toLowerCase()));
            for (const key of site.keys.filter((name) => !known.has(name.toLowerCase()))) {
                problems.push(
                    problem(...at(site.offset), `passes ${key} to ${site.className}.${site.method}, whose parameters are (${parameters.join(', ')}); Apex would ignore it`)
                );
            }
        }
        for (const match of text.matchAll(SCHEMA_IMPORT)) {
            counts.schemaImports++;
            const [, objectName, fieldPath] = match;
            if (!lookup.objectExists(objectName)) {
                problems.push(problem(...at(match.index, match), `imports @salesforce/schema/${objectName} but the object is neither in force-app nor in the standard list (model/standardFields.mjs)`));
            } else if (fieldPath) {
                const first = fieldPath.split('.')[0];
                const field = first.replace(/__r$/i, '__c');
                if (!lookup.fieldExists(objectName, field)) {
                    problems.push(problem(...at(match.index, match), `imports @salesforce/schema/${objectName}.${fieldPath} but ${objectName}.${field} does not exist (custom fields: force-app; standard: model/standardFields.mjs)`));
                }
            }
        }
        for (const match of text.matchAll(LABEL_IMPORT)) {
            counts.labelImports++;
            if (!index.labels.has(match[1])) {
                problems.push(problem(...at(match.index, match), `imports label c.${match[1]} but no custom label of that name exists (labels/CustomLabels.labels-meta.xml)`));
            }
        }
        // Custom names outside import lines (sort allow-lists, field maps) must exist as well.
        const withoutImports = text.replace(/^\s*import\s.*$/gm, (line) => ' '.repeat(line.length));
        for (const match of withoutImports.matchAll(CUSTOM_NAME)) {
            checkCustomName(at(match.index), match[2], match[1]);
        }
    }

    const found =
        `${counts.apexImports} Apex method imports (${counts.apexCalls} call sites), ${counts.schemaImports} schema imports, ${counts.labelImports} label imports, ` +
        `${counts.customNames} custom object/field names (${parsed.size} Apex files, ${index.lwcScripts.length} LWC scripts)`;
    return result('references', 'Apex methods, schema, labels and custom fields named in code exist', found, problems);
}
