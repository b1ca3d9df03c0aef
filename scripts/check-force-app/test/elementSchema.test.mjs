import assert from 'node:assert/strict';
import { test } from 'node:test';
import { APP, edit } from './fixtureProject.mjs';
import { problemsAfter } from './helpers.mjs';

const OBJECT = `${APP}/objects/Thing__c/Thing__c.object-meta.xml`;
const FIELD = `${APP}/objects/Thing__c/fields/Status__c.field-meta.xml`;
const BUNDLE = `${APP}/lwc/thingList/thingList.js-meta.xml`;
const check = (changes) => problemsAfter(changes, ['element-schema']).then((problems) => problems['element-schema']);

test('an element in the wrong place fails and names where it belongs', async () => {
    // The blocker of issue 12: startingNumber belongs to a field (the auto-number name field), not the object.
    const problems = await check({
        [OBJECT]: edit(OBJECT, '    <sharingModel>ReadWrite</sharingModel>\n', '    <sharingModel>ReadWrite</sharingModel>\n    <startingNumber>1</startingNumber>\n')
    });

    assert.deepEqual(problems, [
        'force-app/main/default/objects/Thing__c/Thing__c.object-meta.xml:11:5 <startingNumber> is not allowed in CustomObject; it belongs in CustomObject.fields or in CustomObject.nameField'
    ]);
});

test('the same element where the Metadata API declares it passes', async () => {
    const autoNumber = edit(OBJECT, '        <type>Text</type>\n    </nameField>', '        <type>AutoNumber</type>\n    </nameField>').replace(
        '        <label>Thing Name</label>\n',
        '        <displayFormat>T-{0000}</displayFormat>\n        <label>Thing Name</label>\n        <startingNumber>1</startingNumber>\n'
    );
    // startingNumber sorts after label and before type in CustomField's sequence.
    assert.deepEqual(await check({ [OBJECT]: autoNumber }), []);
});

test('an unknown element fails, naming the type it was checked against', async () => {
    const problems = await check({ [FIELD]: edit(FIELD, '    <length>40</length>\n', '    <length>40</length>\n    <colour>red</colour>\n') });

    assert.deepEqual(problems, [
        'force-app/main/default/objects/Thing__c/fields/Status__c.field-meta.xml:6:5 <colour> is not an element of CustomField or of any type below CustomField in Metadata API 66.0'
    ]);
});

test('a value of the wrong type fails: int, boolean and enumeration', async () => {
    const problems = await check({
        [FIELD]: edit(FIELD, '<length>40</length>', '<length>forty</length>').replace('<type>Text</type>', '<type>Texxt</type>'),
        [OBJECT]: edit(OBJECT, '<deploymentStatus>Deployed</deploymentStatus>', '<deploymentStatus>deployed</deploymentStatus>\n    <enableHistory>yes</enableHistory>')
    });

    assert.deepEqual(problems.slice(0, 3), [
        'force-app/main/default/objects/Thing__c/Thing__c.object-meta.xml:3:5 <deploymentStatus> in CustomObject is "deployed", which is not a DeploymentStatus value; did you mean Deployed?',
        'force-app/main/default/objects/Thing__c/Thing__c.object-meta.xml:4:5 <enableHistory> in CustomObject is "yes", which is not a valid xsd:boolean',
        'force-app/main/default/objects/Thing__c/fields/Status__c.field-meta.xml:5:5 <length> in CustomField is "forty", which is not a valid xsd:int'
    ]);
    assert.equal(problems.length, 4);
    assert.match(
        problems[3],
        /^force-app\/main\/default\/objects\/Thing__c\/fields\/Status__c\.field-meta\.xml:6:5 <type> in CustomField is "Texxt", which is not a FieldType value; allowed: AutoNumber, Lookup, MasterDetail, .*\(\d+ values\)$/
    );
});

test('text where child elements belong, and children where a value belongs, fail', async () => {
    const problems = await check({
        [OBJECT]: edit(OBJECT, '<nameField>\n        <label>Thing Name</label>\n        <type>Text</type>\n    </nameField>', '<nameField>Thing Name</nameField>').replace(
            '<label>Thing</label>',
            '<label><text>Thing</text></label>'
        )
    });

    assert.deepEqual(problems, [
        'force-app/main/default/objects/Thing__c/Thing__c.object-meta.xml:4:5 <label> in CustomObject holds child elements, but its value is xsd:string',
        'force-app/main/default/objects/Thing__c/Thing__c.object-meta.xml:5:5 <nameField> in CustomObject holds text, but its type CustomField takes child elements'
    ]);
});

test('order, repetition and required elements follow the type sequence', async () => {
    const problems = await check({
        [FIELD]: edit(FIELD, '    <fullName>Status__c</fullName>\n    <label>Status</label>\n', '    <label>Status</label>\n    <fullName>Status__c</fullName>\n    <label>State</label>\n'),
        [`${APP}/permissionsets/Empty.permissionset-meta.xml`]:
            '<?xml version="1.0" encoding="UTF-8"?>\n<PermissionSet xmlns="http://soap.sforce.com/2006/04/metadata">\n    <description>no label</description>\n</PermissionSet>\n'
    });

    assert.deepEqual(problems, [
        'force-app/main/default/objects/Thing__c/fields/Status__c.field-meta.xml:4:5 <fullName> is out of order in CustomField: the Metadata API sequence puts it before <label>',
        'force-app/main/default/objects/Thing__c/fields/Status__c.field-meta.xml:5:5 <label> appears more than once in CustomField',
        'force-app/main/default/permissionsets/Empty.permissionset-meta.xml:2:1 PermissionSet requires <label> (xsd:string), which is missing'
    ]);
});

test('a root that is not a metadata type, a missing namespace and an unknown attribute fail', async () => {
    const problems = await check({
        [`${APP}/objects/Thing__c/fields/Size__c.field-meta.xml`]: '<?xml version="1.0" encoding="UTF-8"?>\n<CustomFeld xmlns="http://soap.sforce.com/2006/04/metadata">\n    <label>Size</label>\n</CustomFeld>\n',
        [FIELD]: edit(FIELD, '<CustomField xmlns="http://soap.sforce.com/2006/04/metadata">', '<CustomField>').replace('<label>Status</label>', '<label lang="en">Status</label>')
    });

    assert.deepEqual(problems, [
        'force-app/main/default/objects/Thing__c/fields/Size__c.field-meta.xml:2:1 <CustomFeld> is not a Metadata API type (Metadata API 66.0); the root element names the file\'s metadata type, such as <CustomObject>',
        'force-app/main/default/objects/Thing__c/fields/Status__c.field-meta.xml:2:1 <CustomField> must declare xmlns="http://soap.sforce.com/2006/04/metadata"',
        'force-app/main/default/objects/Thing__c/fields/Status__c.field-meta.xml:4:5 attribute lang is not allowed on <label> in CustomField'
    ]);
});

test('custom metadata values are checked against their xsi:type', async () => {
    const record = (value) => `<?xml version="1.0" encoding="UTF-8"?>
<CustomMetadata xmlns="http://soap.sforce.com/2006/04/metadata" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema">
    <label>Default</label>
    <protected>false</protected>
    <values>
        <field>Days__c</field>
        ${value}
    </values>
</CustomMetadata>
`;
    const file = `${APP}/customMetadata/Setting.Default.md-meta.xml`;
    assert.deepEqual(await check({ [file]: record('<value xsi:type="xsd:double">90</value>') }), []);
    assert.deepEqual(await check({ [file]: record('<value xsi:nil="true"/>') }), []);
    assert.deepEqual(await check({ [file]: record('<value xsi:type="xsd:double">ninety</value>') }), [
        'force-app/main/default/customMetadata/Setting.Default.md-meta.xml:7:9 <value> in CustomMetadata.values is "ninety", which is not a valid xsd:double'
    ]);
});

test('an LWC targetConfigs block is checked against the documented configuration tags', async () => {
    const exposed = (config) =>
        edit(
            BUNDLE,
            '<isExposed>false</isExposed>',
            `<isExposed>true</isExposed>\n    <targetConfigs>\n${config}\n    </targetConfigs>\n    <targets>\n        <target>lightning__RecordPage</target>\n    </targets>`
        );
    const valid = `        <targetConfig targets="lightning__RecordPage">
            <objects>
                <object>Thing__c</object>
            </objects>
            <supportedFormFactors>
                <supportedFormFactor type="Large"/>
                <supportedFormFactor type="Small"/>
            </supportedFormFactors>
        </targetConfig>`;
    assert.deepEqual(await check({ [BUNDLE]: exposed(valid) }), []);

    const problems = await check({ [BUNDLE]: exposed(valid.replace('<objects>', '<object>').replace('</objects>', '</object>').replace(' targets="lightning__RecordPage"', '')) });
    assert.deepEqual(problems, [
        'force-app/main/default/lwc/thingList/thingList.js-meta.xml:6:9 <targetConfig> in LightningComponentBundle.targetConfigs requires the attribute targets',
        'force-app/main/default/lwc/thingList/thingList.js-meta.xml:7:13 <object> is not allowed in LightningComponentBundle.targetConfigs.targetConfig; allowed: property, objects, supportedFormFactors, actionType, propertyType, event, sourceType, dataSource'
    ]);
});

test('the valid fixture passes the element-schema check', async () => {
    assert.deepEqual(await check({}), []);
});
