import { LightningElement, api, wire } from 'lwc';
import { refreshApex } from '@salesforce/apex';
import { ShowToastEvent } from 'lightning/platformShowToastEvent';
import getRecordSyncStatus from '@salesforce/apex/SyncConsoleController.getRecordSyncStatus';
import canReplay from '@salesforce/apex/SyncConsoleController.canReplay';
import requestReplay from '@salesforce/apex/SyncConsoleController.requestReplay';
import { formatLabel, objectLabel, recordUrl, statusBadgeClass, statusLabel } from 'c/syncOptions';
import TITLE from '@salesforce/label/c.QAD_Sync_Record_Title';
import NEVER_SYNCED from '@salesforce/label/c.QAD_Sync_Record_Never_Synced';
import LAST_SYNC from '@salesforce/label/c.QAD_Sync_Record_Last_Sync';
import STATUS from '@salesforce/label/c.QAD_Sync_Col_Status';
import OBJECT from '@salesforce/label/c.QAD_Sync_Col_Object';
import DIRECTION from '@salesforce/label/c.QAD_Sync_Col_Direction';
import OPERATION from '@salesforce/label/c.QAD_Sync_Col_Operation';
import ATTEMPT from '@salesforce/label/c.QAD_Sync_Col_Attempt';
import ERROR_CODE from '@salesforce/label/c.QAD_Sync_Col_Error_Code';
import AUDIT from '@salesforce/label/c.QAD_Sync_Col_Name';
import REPLAY from '@salesforce/label/c.QAD_Sync_Action_Replay';
import REFRESH from '@salesforce/label/c.QAD_Sync_Refresh';
import LOADING from '@salesforce/label/c.QAD_Sync_Loading';
import REPLAY_REQUESTED_TITLE from '@salesforce/label/c.QAD_Sync_Replay_Requested_Title';
import REPLAY_REQUESTED_MESSAGE from '@salesforce/label/c.QAD_Sync_Replay_Requested_Message';
import REPLAY_REFUSED_TITLE from '@salesforce/label/c.QAD_Sync_Replay_Refused_Title';

/**
 * Record-page panel (Account, Contact, Order, Product2): the latest Sync_Audit__c row that names this
 * record, with a link to it, and a Replay button for admins holding the QAD_Sync_Replay custom permission.
 * It works on any record page an admin places it on (Lightning App Builder), not only in the QAD Sync app.
 */
export default class SyncRecordStatus extends LightningElement {
    @api recordId;

    label = {
        TITLE,
        NEVER_SYNCED,
        LAST_SYNC,
        STATUS,
        OBJECT,
        DIRECTION,
        OPERATION,
        ATTEMPT,
        ERROR_CODE,
        AUDIT,
        REPLAY,
        REFRESH,
        LOADING
    };

    latest;
    loaded = false;
    mayReplay = false;
    replaying = false;
    errors;

    wiredStatus;

    @wire(getRecordSyncStatus, { recordId: '$recordId' })
    receiveStatus(result) {
        this.wiredStatus = result;
        const { data, error } = result;
        if (error) {
            this.errors = error;
            this.latest = undefined;
            this.loaded = true;
        } else if (data !== undefined) {
            this.errors = undefined;
            this.latest = data;
            this.loaded = true;
        }
    }

    @wire(canReplay)
    receiveCanReplay({ data, error }) {
        // Without the answer the button stays hidden: the server refuses the call anyway.
        this.mayReplay = data === true && !error;
    }

    get hasErrors() {
        return this.errors !== undefined;
    }

    get isLoading() {
        return !this.loaded;
    }

    get neverSynced() {
        return this.loaded && !this.hasErrors && !this.latest;
    }

    get statusText() {
        return statusLabel(this.latest.status);
    }

    get objectText() {
        return objectLabel(this.latest.objectName);
    }

    get badgeClass() {
        return statusBadgeClass(this.latest.status);
    }

    get auditUrl() {
        return recordUrl('Sync_Audit__c', this.latest.id);
    }

    get hasErrorCode() {
        return Boolean(this.latest.errorCode);
    }

    get showReplay() {
        return this.mayReplay && this.latest?.replayable === true;
    }

    async handleReplay() {
        this.replaying = true;
        try {
            const result = await requestReplay({ auditIds: [this.latest.id] });
            this.announceReplay(result);
            this.errors = undefined;
            await refreshApex(this.wiredStatus);
        } catch (error) {
            this.errors = error;
        } finally {
            this.replaying = false;
        }
    }

    async handleRefresh() {
        try {
            await refreshApex(this.wiredStatus);
        } catch (error) {
            this.errors = error;
        }
    }

    announceReplay({ requestedCount, refusals }) {
        if (requestedCount > 0) {
            this.dispatchEvent(
                new ShowToastEvent({
                    title: REPLAY_REQUESTED_TITLE,
                    message: formatLabel(REPLAY_REQUESTED_MESSAGE, requestedCount),
                    variant: 'success'
                })
            );
        }
        for (const refusal of refusals ?? []) {
            this.dispatchEvent(
                new ShowToastEvent({
                    title: formatLabel(REPLAY_REFUSED_TITLE, refusal.name),
                    message: refusal.message,
                    variant: 'warning'
                })
            );
        }
    }
}
