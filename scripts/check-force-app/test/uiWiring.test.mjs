import assert from 'node:assert/strict';
import { test } from 'node:test';
import { APP, edit } from './fixtureProject.mjs';
import { problemsAfter } from './helpers.mjs';

const NS = 'http://soap.sforce.com/2006/04/metadata';
const page = (component) => `<?xml version="1.0" encoding="UTF-8"?>
<FlexiPage xmlns="${NS}">
    <flexiPageRegions>
        <itemInstances>
            <componentInstance>
                <componentName>c:${component}</componentName>
                <identifier>c_${component}</identifier>
            </componentInstance>
        </itemInstances>
        <mode>Replace</mode>
        <name>main</name>
        <type>Region</type>
    </flexiPageRegions>
    <masterLabel>Things</masterLabel>
    <template>
        <name>flexipage:defaultAppHomeTemplate</name>
    </template>
    <type>AppPage</type>
</FlexiPage>
`;
const tab = (flexiPage) => `<?xml version="1.0" encoding="UTF-8"?>
<CustomTab xmlns="${NS}">
    <flexiPage>${flexiPage}</flexiPage>
    <label>Things</label>
    <motif>Custom19: Wrench</motif>
</CustomTab>
`;
const BUNDLE = `${APP}/lwc/thingList/thingList.js-meta.xml`;
const EXPOSED = edit(BUNDLE, '<isExposed>false</isExposed>', '<isExposed>true</isExposed>\n    <targets>\n        <target>lightning__AppPage</target>\n    </targets>');

test('a tab, its Lightning page and an exposed LWC that all exist pass', async () => {
    const problems = await problemsAfter(
        { [BUNDLE]: EXPOSED, [`${APP}/flexipages/Things.flexipage-meta.xml`]: page('thingList'), [`${APP}/tabs/Things.tab-meta.xml`]: tab('Things') },
        ['ui-wiring', 'convert']
    );
    assert.deepEqual(problems, { convert: [], 'ui-wiring': [] });
});

test('a page placing a missing or unexposed LWC, and a tab opening a missing page, fail', async () => {
    const problems = await problemsAfter(
        {
            [`${APP}/flexipages/Things.flexipage-meta.xml`]: page('thingList'),
            [`${APP}/flexipages/Ghosts.flexipage-meta.xml`]: page('ghostList'),
            [`${APP}/tabs/Things.tab-meta.xml`]: tab('Thing_Page')
        },
        ['ui-wiring']
    );

    assert.deepEqual(problems['ui-wiring'], [
        'force-app/main/default/flexipages/Ghosts.flexipage-meta.xml Lightning page Ghosts places c:ghostList, which is not an LWC in force-app',
        'force-app/main/default/lwc/thingList/thingList.js-meta.xml c:thingList is on AppPage Things but is not exposed with target lightning__AppPage: set isExposed and add the target',
        'force-app/main/default/tabs/Things.tab-meta.xml tab Things opens Lightning page Thing_Page, which is not in force-app'
    ]);
});
