import assert from 'node:assert/strict';
import { test } from 'node:test';
import { APP, edit } from './fixtureProject.mjs';
import { problemsAfter } from './helpers.mjs';

const ADMIN = `${APP}/permissionsets/QAD_Sync_Admin.permissionset-meta.xml`;
const GRANT_STATUS = `    <fieldPermissions>
        <editable>false</editable>
        <field>Thing__c.Status__c</field>
        <readable>true</readable>
    </fieldPermissions>`;

test('a permission set granting a missing field fails, naming set and field', async () => {
    const viewer = edit(ADMIN, '<label>QAD Sync Admin</label>', '<label>Viewer</label>').replace('Thing__c.Status__c', 'Thing__c.Ghost__c');
    const problems = await problemsAfter({ [`${APP}/permissionsets/QAD_Sync_Viewer.permissionset-meta.xml`]: viewer }, ['permissions']);

    assert.deepEqual(problems.permissions, [
        'force-app/main/default/permissionsets/QAD_Sync_Viewer.permissionset-meta.xml permission set QAD_Sync_Viewer grants field Thing__c.Ghost__c, which does not exist in force-app (or in model/standardFields.mjs)'
    ]);
});

test('grants of missing objects, classes, custom permissions and unknown standard fields fail', async () => {
    const extra = `    <classAccesses>
        <apexClass>GhostController</apexClass>
        <enabled>true</enabled>
    </classAccesses>
    <customPermissions>
        <enabled>true</enabled>
        <name>QAD_Sync_Replay</name>
    </customPermissions>
    <fieldPermissions>
        <editable>false</editable>
        <field>Account.Nickname</field>
        <readable>true</readable>
    </fieldPermissions>
    <fieldPermissions>
        <editable>false</editable>
        <field>Account.Phone</field>
        <readable>true</readable>
    </fieldPermissions>
    <objectPermissions>
        <allowRead>true</allowRead>
        <object>Gadget__c</object>
    </objectPermissions>
`;
    const problems = await problemsAfter({ [ADMIN]: edit(ADMIN, '    <classAccesses>', `${extra}    <classAccesses>`) }, ['permissions']);

    assert.equal(problems.permissions.length, 4, problems.permissions.join('\n'));
    assert.match(problems.permissions.join('\n'), /grants field Account\.Nickname/);
    assert.match(problems.permissions.join('\n'), /grants object Gadget__c/);
    assert.match(problems.permissions.join('\n'), /grants Apex class GhostController/);
    assert.match(problems.permissions.join('\n'), /grants custom permission QAD_Sync_Replay/);
});

test('a custom field QAD_Sync_Admin cannot read fails, naming the field file', async () => {
    const problems = await problemsAfter({ [ADMIN]: edit(ADMIN, GRANT_STATUS, '') }, ['permissions']);

    assert.deepEqual(problems.permissions, [
        'force-app/main/default/objects/Thing__c/fields/Status__c.field-meta.xml Thing__c.Status__c is not readable in QAD_Sync_Admin: add a fieldPermissions entry with <readable>true</readable>'
    ]);
});

test('a missing QAD_Sync_Admin permission set fails', async () => {
    const problems = await problemsAfter({ [ADMIN]: null }, ['permissions']);
    assert.match(problems.permissions[0], /permission set QAD_Sync_Admin is missing/);
});
