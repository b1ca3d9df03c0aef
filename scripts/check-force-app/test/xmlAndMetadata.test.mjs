import assert from 'node:assert/strict';
import { test } from 'node:test';
import { APP, edit } from './fixtureProject.mjs';
import { problemsAfter } from './helpers.mjs';

const FIELD = `${APP}/objects/Thing__c/fields/Status__c.field-meta.xml`;

test('malformed XML fails with file, line and column', async () => {
    const problems = await problemsAfter({ [FIELD]: edit(FIELD, '<length>40</length>', '<length>40</lenght>') }, ['xml', 'convert']);

    assert.equal(problems.xml.length, 1);
    assert.match(problems.xml[0], /^force-app\/main\/default\/objects\/Thing__c\/fields\/Status__c\.field-meta\.xml:5:\d+ malformed XML \(InvalidTag\)/);
    // SDR alone would have converted the broken file without complaint (facts/tooling.md).
    assert.deepEqual(problems.convert, []);
});

test('an unknown metadata type fails the conversion, naming the file', async () => {
    const problems = await problemsAfter(
        { [`${APP}/widgets/Spinner.widget-meta.xml`]: '<?xml version="1.0" encoding="UTF-8"?>\n<Widget><size>3</size></Widget>\n' },
        ['xml', 'convert']
    );

    assert.deepEqual(problems.xml, []);
    assert.equal(problems.convert.length, 1);
    assert.match(problems.convert[0], /TypeInferenceError/);
    assert.match(problems.convert[0], /Spinner\.widget-meta\.xml/);
});

test('the valid fixture passes the XML and conversion checks', async () => {
    const problems = await problemsAfter({}, ['xml', 'convert']);
    assert.deepEqual(problems, { xml: [], convert: [] });
});
