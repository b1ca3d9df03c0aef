// What force-app defines, read from source format: objects and their fields, labels, custom
// permissions, permission sets, Apex classes. The cross-reference check compares code against it.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { isTestOnly } from '../project.mjs';

const xml = new XMLParser({
    ignoreAttributes: true,
    parseTagValue: false,
    isArray: (name) =>
        [
            'labels',
            'fieldPermissions',
            'objectPermissions',
            'classAccesses',
            'customPermissions',
            'tabSettings',
            'applicationVisibilities',
            'tabs',
            'actionOverrides',
            'flexiPageRegions',
            'itemInstances',
            'target'
        ].includes(name)
});

const baseName = (file, suffix) => path.basename(file).slice(0, -suffix.length);

/**
 * @return {Promise<{
 *   objects: Map<string, {fields: Map<string, {type?: string, required: boolean, file: string}>}>,
 *   labels: Set<string>, customPermissions: Set<string>, apexClasses: Map<string, string>,
 *   permissionSets: Map<string, {file: string, body: object}>, lwcScripts: string[], apexFiles: string[]
 * }>}
 */
export async function indexMetadata(project) {
    const objects = new Map();
    const objectOf = (name) => {
        if (!objects.has(name)) objects.set(name, { fields: new Map() });
        return objects.get(name);
    };
    const labels = new Set();
    const customPermissions = new Set();
    const apexClasses = new Map();
    const permissionSets = new Map();
    const lwcScripts = [];
    const apexFiles = [];
    // Lightning UI wiring: tab -> page -> component, app -> tabs and record page overrides.
    const tabs = new Map();
    const applications = new Map();
    const flexiPages = new Map();
    const lwcBundles = new Map();

    for (const file of project.files) {
        const parts = file.split(path.sep);
        const objectsAt = parts.lastIndexOf('objects');
        if (file.endsWith('.object-meta.xml') && objectsAt >= 0) {
            objectOf(parts[objectsAt + 1]);
        } else if (file.endsWith('.field-meta.xml') && objectsAt >= 0) {
            const body = xml.parse(await readFile(file, 'utf8')).CustomField ?? {};
            objectOf(parts[objectsAt + 1]).fields.set(baseName(file, '.field-meta.xml'), {
                type: body.type,
                required: body.required === 'true',
                file
            });
        } else if (file.endsWith('.labels-meta.xml')) {
            const body = xml.parse(await readFile(file, 'utf8')).CustomLabels ?? {};
            for (const label of body.labels ?? []) labels.add(label.fullName);
        } else if (file.endsWith('.customPermission-meta.xml')) {
            customPermissions.add(baseName(file, '.customPermission-meta.xml'));
        } else if (file.endsWith('.permissionset-meta.xml')) {
            const body = xml.parse(await readFile(file, 'utf8')).PermissionSet ?? {};
            permissionSets.set(baseName(file, '.permissionset-meta.xml'), { file, body });
        } else if (file.endsWith('.cls')) {
            apexClasses.set(baseName(file, '.cls'), file);
            apexFiles.push(file);
        } else if (file.endsWith('.trigger')) {
            apexFiles.push(file);
        } else if (file.endsWith('.js') && parts.includes('lwc') && !isTestOnly(file)) {
            lwcScripts.push(file);
        } else if (file.endsWith('.js-meta.xml') && parts.includes('lwc')) {
            const body = xml.parse(await readFile(file, 'utf8')).LightningComponentBundle ?? {};
            lwcBundles.set(baseName(file, '.js-meta.xml'), { file, exposed: body.isExposed === 'true', targets: body.targets?.target ?? [] });
        } else if (file.endsWith('.tab-meta.xml')) {
            tabs.set(baseName(file, '.tab-meta.xml'), { file, body: xml.parse(await readFile(file, 'utf8')).CustomTab ?? {} });
        } else if (file.endsWith('.app-meta.xml')) {
            applications.set(baseName(file, '.app-meta.xml'), { file, body: xml.parse(await readFile(file, 'utf8')).CustomApplication ?? {} });
        } else if (file.endsWith('.flexipage-meta.xml')) {
            flexiPages.set(baseName(file, '.flexipage-meta.xml'), { file, body: xml.parse(await readFile(file, 'utf8')).FlexiPage ?? {} });
        }
    }
    return { objects, labels, customPermissions, apexClasses, permissionSets, lwcScripts, apexFiles, tabs, applications, flexiPages, lwcBundles };
}
