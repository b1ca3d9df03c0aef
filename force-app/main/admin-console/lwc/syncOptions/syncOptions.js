/**
 * Picklist values of Sync_Audit__c shown by the console and the record panel, with their labels.
 * The values are the API names of Sync_Audit__c.Object__c and Status__c (CONTRACTS §1); the labels
 * are custom labels so the UI can be translated without touching code.
 */
import ANY from '@salesforce/label/c.QAD_Sync_Filter_Any';
import OBJECT_ACCOUNT from '@salesforce/label/c.QAD_Sync_Object_Account';
import OBJECT_CONTACT from '@salesforce/label/c.QAD_Sync_Object_Contact';
import OBJECT_PRODUCT from '@salesforce/label/c.QAD_Sync_Object_Product2';
import OBJECT_ORDER from '@salesforce/label/c.QAD_Sync_Object_Order';
import STATUS_SUCCEEDED from '@salesforce/label/c.QAD_Sync_Status_Succeeded';
import STATUS_FAILED from '@salesforce/label/c.QAD_Sync_Status_Failed';
import STATUS_RETRYING from '@salesforce/label/c.QAD_Sync_Status_Retrying';
import STATUS_WAITING from '@salesforce/label/c.QAD_Sync_Status_Waiting';
import STATUS_SKIPPED from '@salesforce/label/c.QAD_Sync_Status_Skipped';
import STATUS_REPLAY_REQUESTED from '@salesforce/label/c.QAD_Sync_Status_Replay_Requested';
import STATUS_REPLAYED from '@salesforce/label/c.QAD_Sync_Status_Replayed';

const OBJECT_LABELS = {
    Account: OBJECT_ACCOUNT,
    Contact: OBJECT_CONTACT,
    Product2: OBJECT_PRODUCT,
    Order: OBJECT_ORDER
};

const STATUS_LABELS = {
    Succeeded: STATUS_SUCCEEDED,
    Failed: STATUS_FAILED,
    Retrying: STATUS_RETRYING,
    Waiting: STATUS_WAITING,
    Skipped: STATUS_SKIPPED,
    'Replay Requested': STATUS_REPLAY_REQUESTED,
    Replayed: STATUS_REPLAYED
};

// SLDS theme per outcome: failures stand out, work in flight is neutral-warning, done is green.
const STATUS_THEMES = {
    Succeeded: 'slds-theme_success',
    Replayed: 'slds-theme_success',
    Failed: 'slds-theme_error',
    Retrying: 'slds-theme_warning',
    Waiting: 'slds-theme_warning',
    'Replay Requested': 'slds-theme_info',
    Skipped: 'slds-theme_shade'
};

/** The value a filter combobox holds for "any". Apex treats a blank argument as "any". */
export const ANY_VALUE = '';

function withAny(labels) {
    return [{ label: ANY, value: ANY_VALUE }, ...Object.entries(labels).map(([value, label]) => ({ label, value }))];
}

/** @return {{label: string, value: string}[]} Object__c filter options, "any" first */
export function objectOptions() {
    return withAny(OBJECT_LABELS);
}

/** @return {{label: string, value: string}[]} Status__c filter options, "any" first */
export function statusOptions() {
    return withAny(STATUS_LABELS);
}

/** @return {string} the label of a Status__c value, or the value itself when it is new to this UI */
export function statusLabel(status) {
    return STATUS_LABELS[status] ?? status;
}

/** @return {string} the label of an Object__c value, or the value itself when it is new to this UI */
export function objectLabel(objectName) {
    return OBJECT_LABELS[objectName] ?? objectName;
}

/** @return {string} lightning-badge classes for a Status__c value */
export function statusBadgeClass(status) {
    return STATUS_THEMES[status] ?? 'slds-theme_default';
}

/**
 * Fills `{0}`, `{1}`... in a custom label, the placeholder form Salesforce labels use.
 * @return {string}
 */
export function formatLabel(label, ...values) {
    return label.replace(/\{(\d+)\}/g, (placeholder, index) =>
        index < values.length ? String(values[index]) : placeholder
    );
}

/**
 * Lightning Experience address of a record page; a relative link keeps the user in the app they are in.
 * @return {string}
 */
export function recordUrl(objectApiName, recordId) {
    return `/lightning/r/${objectApiName}/${recordId}/view`;
}
