// The chain an admin clicks through is only validated at deploy: permission set -> app and tab ->
// Lightning page -> LWC. A renamed page or component breaks it silently in source, so check it here.
import { problem, result } from '../report.mjs';

const PAGE_TARGETS = { AppPage: 'lightning__AppPage', RecordPage: 'lightning__RecordPage', HomePage: 'lightning__HomePage' };

function componentsOn(page) {
    return (page.flexiPageRegions ?? [])
        .flatMap((region) => region.itemInstances ?? [])
        .map((item) => item.componentInstance?.componentName)
        .filter((name) => typeof name === 'string' && name.startsWith('c:'))
        .map((name) => name.slice(2));
}

export async function checkUiWiring(context) {
    const index = await context.metadata();
    const rel = (file) => context.project.relative(file);
    const problems = [];
    const tabExists = (tab) => tab.startsWith('standard-') || index.tabs.has(tab) || index.objects.has(tab);
    let links = 0;

    for (const [name, { file, body }] of index.flexiPages) {
        for (const component of componentsOn(body)) {
            links++;
            const bundle = index.lwcBundles.get(component);
            const target = PAGE_TARGETS[body.type];
            if (!bundle) {
                problems.push(problem(rel(file), undefined, undefined, `Lightning page ${name} places c:${component}, which is not an LWC in force-app`));
            } else if (!bundle.exposed || (target && !bundle.targets.includes(target))) {
                problems.push(problem(rel(bundle.file), undefined, undefined, `c:${component} is on ${body.type} ${name} but is not exposed with target ${target}: set isExposed and add the target`));
            }
        }
    }
    for (const [name, { file, body }] of index.tabs) {
        if (body.flexiPage) {
            links++;
            if (!index.flexiPages.has(body.flexiPage)) {
                problems.push(problem(rel(file), undefined, undefined, `tab ${name} opens Lightning page ${body.flexiPage}, which is not in force-app`));
            }
        }
    }
    for (const [name, { file, body }] of index.applications) {
        for (const tab of body.tabs ?? []) {
            links++;
            if (!tabExists(tab)) problems.push(problem(rel(file), undefined, undefined, `app ${name} lists tab ${tab}, which is not in force-app`));
        }
        for (const override of body.actionOverrides ?? []) {
            links++;
            if (override.type === 'Flexipage' && !index.flexiPages.has(override.content)) {
                problems.push(problem(rel(file), undefined, undefined, `app ${name} overrides ${override.pageOrSobjectType} ${override.actionName} with Lightning page ${override.content}, which is not in force-app`));
            }
        }
    }
    for (const [name, { file, body }] of index.permissionSets) {
        for (const setting of body.tabSettings ?? []) {
            links++;
            if (!tabExists(setting.tab)) problems.push(problem(rel(file), undefined, undefined, `permission set ${name} sets visibility of tab ${setting.tab}, which is not in force-app`));
        }
        for (const visibility of body.applicationVisibilities ?? []) {
            links++;
            if (!index.applications.has(visibility.application)) {
                problems.push(problem(rel(file), undefined, undefined, `permission set ${name} shows app ${visibility.application}, which is not in force-app`));
            }
        }
    }
    const found = `${index.applications.size} apps, ${index.tabs.size} tabs, ${index.flexiPages.size} Lightning pages, ${links} links checked`;
    return result('ui-wiring', 'apps, tabs, Lightning pages and the LWCs on them resolve', found, problems);
}
