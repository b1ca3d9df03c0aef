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
import SALESFORCE_RECORD from '@salesforce/label/c.QAD_Sync_Col_Salesforce_Record';
import { recordUrl } from 'c/syncOptions';

/**
 * Datatable column -> the Sync_Audit__c field SyncConsoleController.searchAudits sorts by. Only indexed
 * fields are sortable (the audit table grows by every attempt): the audit number, and the time column,
 * which the server orders by CreatedDate (when the row was recorded, seconds after it occurred).
 */
export const SORT_FIELDS = {
    auditUrl: 'Name',
    occurredAt: 'CreatedDate'
};

/** @return {string|undefined} the datatable column whose sort field is `sortField` */
export function columnForSortField(sortField) {
    return Object.keys(SORT_FIELDS).find((column) => SORT_FIELDS[column] === sortField);
}

/**
 * Adds what the table shows but the server does not send: links to the audit row and to the synced record,
 * and a visible marker in place of a key the row does not have yet (a blank cell reads as a rendering gap).
 * @param {object} row AuditRow from SyncConsoleController
 * @param {string} blank text shown for a missing key
 * @return {object} the row with auditUrl, recordUrl, recordLabel and filled key columns
 */
export function withLinks(row, blank) {
    const hasRecord = Boolean(row.salesforceRecordId);
    return {
        ...row,
        auditUrl: recordUrl('Sync_Audit__c', row.id),
        recordUrl: hasRecord ? recordUrl(row.objectName, row.salesforceRecordId) : undefined,
        recordLabel: hasRecord ? row.salesforceRecordId : blank,
        sourceIdText: row.sourceId || blank,
        targetIdText: row.targetId || blank,
        errorCodeText: row.errorCode || ''
    };
}

/**
 * @param {Function} rowActions (row, doneCallback) provider of the per-row action menu
 * @return {object[]} lightning-datatable columns of the audit table
 */
export function auditColumns(rowActions) {
    return [
        {
            label: NAME,
            fieldName: 'auditUrl',
            type: 'url',
            sortable: true,
            typeAttributes: { label: { fieldName: 'name' }, target: '_self', tooltip: { fieldName: 'name' } }
        },
        {
            label: OCCURRED_AT,
            fieldName: 'occurredAt',
            type: 'date',
            sortable: true,
            typeAttributes: { year: 'numeric', month: 'short', day: '2-digit', hour: '2-digit', minute: '2-digit' }
        },
        { label: OBJECT, fieldName: 'objectLabel' },
        { label: DIRECTION, fieldName: 'direction' },
        { label: OPERATION, fieldName: 'operation' },
        { label: STATUS, fieldName: 'statusLabel' },
        { label: ATTEMPT, fieldName: 'attempt', type: 'number' },
        { label: ERROR_CODE, fieldName: 'errorCodeText' },
        { label: SOURCE_ID, fieldName: 'sourceIdText' },
        { label: TARGET_ID, fieldName: 'targetIdText' },
        {
            label: SALESFORCE_RECORD,
            fieldName: 'recordUrl',
            type: 'url',
            typeAttributes: { label: { fieldName: 'recordLabel' }, target: '_self' }
        },
        { type: 'action', typeAttributes: { rowActions } }
    ];
}
