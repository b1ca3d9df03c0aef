// Permission sets are only validated by a deploy; a grant on a field that does not exist fails the
// package install. Also checks that the admin permission set can read every custom field, so the
// console never shows blanks for lack of field-level security.
import { createFieldLookup } from '../model/fieldLookup.mjs';
import { problem, result } from '../report.mjs';

export const ADMIN_PERMISSION_SET = 'QAD_Sync_Admin';

// Field-level security does not apply to these, so they never appear in fieldPermissions.
function fieldLevelSecured(objectName, field) {
    return !/__(e|mdt)$/i.test(objectName) && !field.required && field.type !== 'MasterDetail';
}

export async function checkPermissions(context) {
    const index = await context.metadata();
    const lookup = createFieldLookup(index);
    const problems = [];
    let grants = 0;

    for (const [name, { file, body }] of index.permissionSets) {
        const where = context.project.relative(file);
        for (const grant of body.fieldPermissions ?? []) {
            grants++;
            const [objectName, field] = String(grant.field).split('.');
            if (!field || !lookup.fieldExists(objectName, field)) {
                problems.push(problem(where, undefined, undefined, `permission set ${name} grants field ${grant.field}, which does not exist in force-app (or in model/standardFields.mjs)`));
            }
        }
        for (const grant of body.objectPermissions ?? []) {
            grants++;
            if (!lookup.objectExists(grant.object)) {
                problems.push(problem(where, undefined, undefined, `permission set ${name} grants object ${grant.object}, which is not defined in force-app`));
            }
        }
        for (const grant of body.classAccesses ?? []) {
            grants++;
            if (!index.apexClasses.has(grant.apexClass)) {
                problems.push(problem(where, undefined, undefined, `permission set ${name} grants Apex class ${grant.apexClass}, which is not in force-app`));
            }
        }
        for (const grant of body.customPermissions ?? []) {
            grants++;
            if (!index.customPermissions.has(grant.name)) {
                problems.push(problem(where, undefined, undefined, `permission set ${name} grants custom permission ${grant.name}, which is not in force-app`));
            }
        }
    }

    const secured = [];
    for (const [objectName, object] of index.objects) {
        for (const [fieldName, field] of object.fields) {
            if (fieldLevelSecured(objectName, field)) secured.push({ objectName, fieldName, field });
        }
    }
    const admin = index.permissionSets.get(ADMIN_PERMISSION_SET);
    if (!admin && secured.length > 0) {
        problems.push(problem('force-app', undefined, undefined, `permission set ${ADMIN_PERMISSION_SET} is missing; it must grant read on every custom field`));
    } else if (admin) {
        const readable = new Set(
            (admin.body.fieldPermissions ?? []).filter((grant) => String(grant.readable) === 'true').map((grant) => String(grant.field).toLowerCase())
        );
        for (const { objectName, fieldName, field } of secured) {
            if (!readable.has(`${objectName}.${fieldName}`.toLowerCase())) {
                problems.push(
                    problem(context.project.relative(field.file), undefined, undefined, `${objectName}.${fieldName} is not readable in ${ADMIN_PERMISSION_SET}: add a fieldPermissions entry with <readable>true</readable>`)
                );
            }
        }
    }

    const found = `${index.permissionSets.size} permission sets, ${grants} grants checked; ${secured.length} custom fields must be readable in ${ADMIN_PERMISSION_SET}`;
    return result('permissions', 'permission set grants exist and QAD_Sync_Admin reads every custom field', found, problems);
}
