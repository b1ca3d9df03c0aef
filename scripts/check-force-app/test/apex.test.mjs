import assert from 'node:assert/strict';
import { test } from 'node:test';
import { APP, edit } from './fixtureProject.mjs';
import { problemsAfter } from './helpers.mjs';

const CLASS = `${APP}/classes/ThingController.cls`;

test('an Apex syntax error fails with file, line and column', async () => {
    const problems = await problemsAfter({ [CLASS]: edit(CLASS, 'WITH USER_MODE LIMIT 50];', 'WITH USER_MODE LIMIT 50]') }, [
        'apex-parse',
        'references'
    ]);

    assert.equal(problems['apex-parse'].length, 1);
    assert.match(problems['apex-parse'][0], /^force-app\/main\/default\/classes\/ThingController\.cls:13:\d+ Apex syntax error: missing ';'/);
});

test('an Apex reference to a field that does not exist fails the cross-references and apex-ls', async () => {
    const broken = edit(CLASS, 'SELECT Id, Name, Status__c FROM', 'SELECT Id, Name, Priority__c FROM').replace(
        "return 'Status__c';",
        'Thing__c thing = new Thing__c(); return thing.Priority__c;'
    );
    const problems = await problemsAfter({ [CLASS]: broken }, ['apex-parse', 'apex-types', 'references']);

    assert.deepEqual(problems['apex-parse'], []);
    assert.deepEqual(problems.references, [
        'force-app/main/default/classes/ThingController.cls:12:34 field Thing__c.Priority__c does not exist in force-app',
        'force-app/main/default/classes/ThingController.cls:20:55 field Priority__c does not exist on any object in force-app'
    ]);
    // apex-ls resolves field access on a typed variable but not the field list of inline SOQL,
    // which is why the cross-reference check reads SOQL itself.
    assert.deepEqual(problems['apex-types'], [
        "force-app/main/default/classes/ThingController.cls:20:49 apex-ls Missing: Unknown field 'Priority__c' on SObject 'Schema.Thing__c'"
    ]);
});

test('a field named in an Apex string (dynamic field name) must exist too', async () => {
    const problems = await problemsAfter({ [CLASS]: edit(CLASS, "return 'Status__c';", "return 'Stauts__c';") }, ['references']);

    assert.deepEqual(problems.references, [
        'force-app/main/default/classes/ThingController.cls:20:16 field Stauts__c does not exist on any object in force-app'
    ]);
});

test('a PMD suppression without a reason fails; one with a reason passes', async () => {
    const unexplained = await problemsAfter(
        { [CLASS]: edit(CLASS, '    public static String internalOnly() {', "    @SuppressWarnings('PMD.ExcessiveParameterList')\n    public static String internalOnly() {") },
        ['pmd-suppressions']
    );
    assert.equal(unexplained['pmd-suppressions'].length, 1);
    assert.match(unexplained['pmd-suppressions'][0], /ThingController\.cls:19:5 @SuppressWarnings\('PMD\.ExcessiveParameterList'\) without a reason/);

    const explained = await problemsAfter(
        {
            [CLASS]: edit(
                CLASS,
                '    public static String internalOnly() {',
                "    // The platform fixes this signature, so the list cannot shrink.\n    @SuppressWarnings('PMD.ExcessiveParameterList')\n    public static String internalOnly() { // NOPMD kept public for the fixture\n"
            ).replace('{ // NOPMD kept public for the fixture\n\n', '{ // NOPMD kept public for the fixture\n')
        },
        ['pmd-suppressions', 'apex-parse']
    );
    assert.deepEqual(explained, { 'apex-parse': [], 'pmd-suppressions': [] });
});

test('PMD reports a severity 1-2 violation with file and line', async () => {
    const problems = await problemsAfter(
        { [CLASS]: edit(CLASS, ' WITH USER_MODE LIMIT 50', ' LIMIT 50') },
        ['pmd']
    );

    assert.ok(problems.pmd.length >= 1, 'expected a PMD finding');
    assert.ok(problems.pmd.some((line) => /ThingController\.cls:12:\d+ PMD ApexCRUDViolation \(severity 2\)/.test(line)), problems.pmd.join('\n'));
});
