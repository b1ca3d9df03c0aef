// Builds small sfdx projects in temp dirs for the checker's tests: a valid base that passes every
// check, which each test then breaks in one place.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

const META = 'http://soap.sforce.com/2006/04/metadata';
const APP = 'force-app/main/default';

export const VALID_FILES = {
    'sfdx-project.json': JSON.stringify({
        packageDirectories: [{ path: 'force-app', default: true }],
        name: 'fixture',
        namespace: '',
        sourceApiVersion: '66.0'
    }),
    [`${APP}/objects/Thing__c/Thing__c.object-meta.xml`]: `<?xml version="1.0" encoding="UTF-8"?>
<CustomObject xmlns="${META}">
    <deploymentStatus>Deployed</deploymentStatus>
    <label>Thing</label>
    <nameField>
        <label>Thing Name</label>
        <type>Text</type>
    </nameField>
    <pluralLabel>Things</pluralLabel>
    <sharingModel>ReadWrite</sharingModel>
</CustomObject>
`,
    [`${APP}/objects/Thing__c/fields/Status__c.field-meta.xml`]: `<?xml version="1.0" encoding="UTF-8"?>
<CustomField xmlns="${META}">
    <fullName>Status__c</fullName>
    <label>Status</label>
    <length>40</length>
    <type>Text</type>
</CustomField>
`,
    [`${APP}/classes/ThingController.cls`]: `/**
 * @description Reads things for the fixture component.
 */
public with sharing class ThingController {
    /**
     * @description Things with the given status.
     * @param status status to match
     * @return matching things
     */
    @AuraEnabled(cacheable=true)
    public static List<Thing__c> getThings(String status) {
        return [SELECT Id, Name, Status__c FROM Thing__c WHERE Status__c = :status WITH USER_MODE LIMIT 50];
    }

    /**
     * @description Not callable from an LWC.
     * @return a constant
     */
    public static String internalOnly() {
        return 'Status__c';
    }
}
`,
    [`${APP}/classes/ThingController.cls-meta.xml`]: `<?xml version="1.0" encoding="UTF-8"?>
<ApexClass xmlns="${META}">
    <apiVersion>66.0</apiVersion>
    <status>Active</status>
</ApexClass>
`,
    [`${APP}/lwc/thingList/thingList.js`]: `import { LightningElement, wire } from 'lwc';
import getThings from '@salesforce/apex/ThingController.getThings';
import TITLE from '@salesforce/label/c.Thing_Title';
import STATUS_FIELD from '@salesforce/schema/Thing__c.Status__c';
import NAME_FIELD from '@salesforce/schema/Account.Name';

export default class ThingList extends LightningElement {
    title = TITLE;
    fields = [STATUS_FIELD, NAME_FIELD];
    sortField = 'Status__c';
    @wire(getThings, { status: 'Open' }) things;
}
`,
    [`${APP}/lwc/thingList/thingList.html`]: `<template><p>{title}</p></template>
`,
    [`${APP}/lwc/thingList/thingList.js-meta.xml`]: `<?xml version="1.0" encoding="UTF-8"?>
<LightningComponentBundle xmlns="${META}">
    <apiVersion>66.0</apiVersion>
    <isExposed>false</isExposed>
</LightningComponentBundle>
`,
    [`${APP}/labels/CustomLabels.labels-meta.xml`]: `<?xml version="1.0" encoding="UTF-8"?>
<CustomLabels xmlns="${META}">
    <labels>
        <fullName>Thing_Title</fullName>
        <language>en_US</language>
        <protected>false</protected>
        <shortDescription>Thing title</shortDescription>
        <value>Things</value>
    </labels>
</CustomLabels>
`,
    [`${APP}/permissionsets/QAD_Sync_Admin.permissionset-meta.xml`]: `<?xml version="1.0" encoding="UTF-8"?>
<PermissionSet xmlns="${META}">
    <classAccesses>
        <apexClass>ThingController</apexClass>
        <enabled>true</enabled>
    </classAccesses>
    <fieldPermissions>
        <editable>false</editable>
        <field>Thing__c.Status__c</field>
        <readable>true</readable>
    </fieldPermissions>
    <hasActivationRequired>false</hasActivationRequired>
    <label>QAD Sync Admin</label>
    <objectPermissions>
        <allowCreate>false</allowCreate>
        <allowDelete>false</allowDelete>
        <allowEdit>false</allowEdit>
        <allowRead>true</allowRead>
        <modifyAllRecords>false</modifyAllRecords>
        <object>Thing__c</object>
        <viewAllRecords>false</viewAllRecords>
    </objectPermissions>
</PermissionSet>
`
};

export { APP };

/**
 * @param {Record<string, string|null>} changes path -> new content (null removes the file)
 * @return {Promise<{root: string, cleanup: () => Promise<void>}>}
 */
export async function createProject(changes = {}) {
    const root = await mkdtemp(path.join(os.tmpdir(), 'check-force-app-test-'));
    const files = { ...VALID_FILES, ...changes };
    for (const [relative, content] of Object.entries(files)) {
        if (content === null) continue;
        const target = path.join(root, relative);
        await mkdir(path.dirname(target), { recursive: true });
        await writeFile(target, content);
    }
    return { root, cleanup: () => rm(root, { recursive: true, force: true }) };
}

/** @return {string} the valid file with one substring replaced; fails loudly if it is not there */
export function edit(relative, search, replacement) {
    const original = VALID_FILES[relative];
    if (!original.includes(search)) throw new Error(`fixture ${relative} has no "${search}"`);
    return original.replace(search, replacement);
}
