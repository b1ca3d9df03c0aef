import assert from 'node:assert/strict';
import { test } from 'node:test';
import { APP, edit } from './fixtureProject.mjs';
import { problemsAfter } from './helpers.mjs';

const LWC = `${APP}/lwc/thingList/thingList.js`;
const CLASS = `${APP}/classes/ThingController.cls`;

test('an LWC import of an Apex method that does not exist fails, naming class and method', async () => {
    const problems = await problemsAfter({ [LWC]: edit(LWC, 'ThingController.getThings', 'ThingController.getNothing') }, ['references']);

    assert.deepEqual(problems.references, [
        'force-app/main/default/lwc/thingList/thingList.js:2:24 imports @salesforce/apex/ThingController.getNothing but ThingController has no @AuraEnabled method getNothing'
    ]);
});

test('an LWC import of a method without @AuraEnabled, or of a missing class, fails', async () => {
    const notAura = await problemsAfter({ [LWC]: edit(LWC, 'ThingController.getThings', 'ThingController.internalOnly') }, ['references']);
    assert.match(notAura.references[0], /ThingController has no @AuraEnabled method internalOnly/);

    const noClass = await problemsAfter({ [LWC]: edit(LWC, 'ThingController.getThings', 'GhostController.getThings') }, ['references']);
    assert.match(noClass.references[0], /class GhostController is not in force-app/);
});

test('an @AuraEnabled method of an inner class cannot be imported', async () => {
    const withInner = edit(
        CLASS,
        '    public static String internalOnly() {',
        '    public class Inner {\n        @AuraEnabled\n        public String hidden() { return null; }\n    }\n\n    public static String internalOnly() {'
    );
    const problems = await problemsAfter({ [CLASS]: withInner, [LWC]: edit(LWC, 'ThingController.getThings', 'ThingController.hidden') }, ['references']);
    assert.match(problems.references[0], /ThingController has no @AuraEnabled method hidden/);
});

test('schema imports, labels and custom field names in LWC must exist', async () => {
    const broken = edit(LWC, "'@salesforce/schema/Thing__c.Status__c'", "'@salesforce/schema/Thing__c.State__c'")
        .replace("'@salesforce/label/c.Thing_Title'", "'@salesforce/label/c.Thing_Heading'")
        .replace("'@salesforce/schema/Account.Name'", "'@salesforce/schema/Account.Nickname'")
        .replace("sortField = 'Status__c'", "sortField = 'Stat__c'");
    const problems = await problemsAfter({ [LWC]: broken }, ['references']);

    assert.deepEqual(problems.references, [
        'force-app/main/default/lwc/thingList/thingList.js:4:27 imports @salesforce/schema/Thing__c.State__c but Thing__c.State__c does not exist (custom fields: force-app; standard: model/standardFields.mjs)',
        'force-app/main/default/lwc/thingList/thingList.js:5:25 imports @salesforce/schema/Account.Nickname but Account.Nickname does not exist (custom fields: force-app; standard: model/standardFields.mjs)',
        'force-app/main/default/lwc/thingList/thingList.js:3:20 imports label c.Thing_Heading but no custom label of that name exists (labels/CustomLabels.labels-meta.xml)',
        'force-app/main/default/lwc/thingList/thingList.js:10:18 field Stat__c does not exist on any object in force-app'
    ]);
});

test('an argument name the Apex method does not declare fails, for wired and imperative calls', async () => {
    const broken = edit(LWC, "@wire(getThings, { status: 'Open' })", "@wire(getThings, { state: 'Open' })").replace(
        '    @wire(',
        "    load() { return getThings({ status: 'Open', limit: 5 }); }\n    @wire("
    );
    const problems = await problemsAfter({ [LWC]: broken }, ['references']);

    assert.deepEqual(problems.references, [
        'force-app/main/default/lwc/thingList/thingList.js:11:21 passes limit to ThingController.getThings, whose parameters are (status); Apex would ignore it',
        'force-app/main/default/lwc/thingList/thingList.js:12:5 passes state to ThingController.getThings, whose parameters are (status); Apex would ignore it'
    ]);
});

test('the valid fixture has no reference problems', async () => {
    const problems = await problemsAfter({}, ['references', 'permissions']);
    assert.deepEqual(problems, { references: [], permissions: [] });
});
