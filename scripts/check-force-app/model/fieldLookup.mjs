// Answers "does this object / field exist?" against force-app plus the explicit standard list.
import { CUSTOM_OBJECT_SYSTEM_FIELDS, EVENT_AND_METADATA_SYSTEM_FIELDS, STANDARD_FIELDS } from './standardFields.mjs';

const isCustomName = (name) => /__(c|e|mdt|b|x)$/i.test(name);
const lower = (name) => name.toLowerCase();

export function createFieldLookup(index) {
    // Apex and SOQL names are case-insensitive; metadata file names carry the canonical case.
    const objects = new Map([...index.objects.entries()].map(([name, object]) => [lower(name), { name, object }]));
    const standard = new Map(Object.entries(STANDARD_FIELDS).map(([name, fields]) => [lower(name), new Set(fields.map(lower))]));
    const fieldOwners = new Map();
    for (const [objectName, object] of index.objects) {
        for (const field of object.fields.keys()) {
            const key = lower(field);
            if (!fieldOwners.has(key)) fieldOwners.set(key, []);
            fieldOwners.get(key).push(objectName);
        }
    }

    return {
        objectExists(name) {
            return objects.has(lower(name)) || standard.has(lower(name));
        },
        /** @return {boolean} whether `field` exists on `objectName` (custom in force-app, or listed standard) */
        fieldExists(objectName, field) {
            const key = lower(field);
            const custom = objects.get(lower(objectName));
            if (custom?.object.fields.has(field) || [...(custom?.object.fields.keys() ?? [])].some((name) => lower(name) === key)) {
                return true;
            }
            if (isCustomName(field)) return false;
            if (isCustomName(objectName)) {
                const system = /__(e|mdt)$/i.test(objectName) ? EVENT_AND_METADATA_SYSTEM_FIELDS : CUSTOM_OBJECT_SYSTEM_FIELDS;
                return system.some((name) => lower(name) === key);
            }
            return standard.get(lower(objectName))?.has(key) ?? false;
        },
        /** @return {string[]} objects in force-app that define this custom field */
        ownersOf(field) {
            return fieldOwners.get(lower(field)) ?? [];
        }
    };
}
