import NAME from '@salesforce/label/c.QAD_Sync_Col_Name';
import OCCURRED_AT from '@salesforce/label/c.QAD_Sync_Col_Occurred_At';
import OBJECT from '@salesforce/label/c.QAD_Sync_Col_Object';
import DIRECTION from '@salesforce/label/c.QAD_Sync_Col_Direction';
import OPERATION from '@salesforce/label/c.QAD_Sync_Col_Operation';
import STATUS from '@salesforce/label/c.QAD_Sync_Col_Status';
import ATTEMPT from '@salesforce/label/c.QAD_Sync_Col_Attempt';
import ERROR_CODE from '@salesforce/label/c.QAD_Sync_Col_Error_Code';
import SOURCE_ID from '@salesforce/label/c.QAD_Sync_Col_Source_Id';
import TARGET_ID from '@salesforce/label/c.QAD_Sync_Col_Target_Id';

/**
 * Datatable column -> the Sync_Audit__c field SyncConsoleController.searchAudits may sort by.
 * Only these columns are sortable: the controller refuses any other sortBy (fixed allow-list).
 */
export const SORT_FIELDS = {
    name: 'Name',
    occurredAt: 'Occurred_At__c',
    objectLabel: 'Object__c',
    statusLabel: 'Status__c',
    attempt: 'Attempt__c'
};

/** @return {string|undefined} the datatable column whose sort field is `sortField` */
export function columnForSortField(sortField) {
    return Object.keys(SORT_FIELDS).find((column) => SORT_FIELDS[column] === sortField);
}

/**
 * @param {Function} rowActions (row, doneCallback) provider of the per-row action menu
 * @return {object[]} lightning-datatable columns of the audit table
 */
export function auditColumns(rowActions) {
    return [
        { label: NAME, fieldName: 'name', sortable: true },
        {
            label: OCCURRED_AT,
            fieldName: 'occurredAt',
            type: 'date',
            sortable: true,
            typeAttributes: { year: 'numeric', month: 'short', day: '2-digit', hour: '2-digit', minute: '2-digit' }
        },
        { label: OBJECT, fieldName: 'objectLabel', sortable: true },
        { label: DIRECTION, fieldName: 'direction' },
        { label: OPERATION, fieldName: 'operation' },
        { label: STATUS, fieldName: 'statusLabel', sortable: true },
        { label: ATTEMPT, fieldName: 'attempt', type: 'number', sortable: true },
        { label: ERROR_CODE, fieldName: 'errorCode' },
        { label: SOURCE_ID, fieldName: 'sourceId' },
        { label: TARGET_ID, fieldName: 'targetId' },
        { type: 'action', typeAttributes: { rowActions } }
    ];
}
