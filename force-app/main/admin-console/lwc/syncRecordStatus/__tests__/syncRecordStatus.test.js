import { createElement } from 'lwc';
import SyncRecordStatus from 'c/syncRecordStatus';
import getRecordSyncStatus from '@salesforce/apex/SyncConsoleController.getRecordSyncStatus';
import canReplay from '@salesforce/apex/SyncConsoleController.canReplay';
import requestReplay from '@salesforce/apex/SyncConsoleController.requestReplay';
import { refreshApex } from '@salesforce/apex';

const LATEST = require('./data/getRecordSyncStatus.json');
const REFUSED = require('./data/requestReplayRefused.json');

jest.mock(
    '@salesforce/apex/SyncConsoleController.getRecordSyncStatus',
    () => {
        const { createApexTestWireAdapter } = require('@salesforce/sfdx-lwc-jest');
        return { default: createApexTestWireAdapter(jest.fn()) };
    },
    { virtual: true }
);
jest.mock(
    '@salesforce/apex/SyncConsoleController.canReplay',
    () => {
        const { createApexTestWireAdapter } = require('@salesforce/sfdx-lwc-jest');
        return { default: createApexTestWireAdapter(jest.fn()) };
    },
    { virtual: true }
);
jest.mock('@salesforce/apex/SyncConsoleController.requestReplay', () => ({ default: jest.fn() }), { virtual: true });

const RECORD_ID = '80100000000000AAAA';

function render() {
    const element = createElement('c-sync-record-status', { is: SyncRecordStatus });
    element.recordId = RECORD_ID;
    document.body.appendChild(element);
    const toasts = [];
    element.addEventListener('lightning__showtoast', (event) => toasts.push(event.detail));
    return { element, toasts };
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));
const $ = (element, selector) => element.shadowRoot.querySelector(selector);

describe('c-sync-record-status', () => {
    afterEach(() => {
        while (document.body.firstChild) {
            document.body.removeChild(document.body.firstChild);
        }
        jest.clearAllMocks();
    });

    it('asks for the latest sync of its own record and shows status, time and error code', async () => {
        const { element } = render();
        expect($(element, 'lightning-spinner')).not.toBeNull();

        getRecordSyncStatus.emit(LATEST);
        canReplay.emit(false);
        await flush();

        expect(getRecordSyncStatus.getLastConfig()).toEqual({ recordId: RECORD_ID });
        const badge = $(element, 'lightning-badge');
        expect(badge.label).toBe('c.QAD_Sync_Status_Failed');
        expect(badge.className).toContain('slds-theme_error');
        expect($(element, 'lightning-formatted-date-time').value).toBe(LATEST.occurredAt);
        expect($(element, '.error-code').textContent).toBe('QAD_ITEM_NOT_FOUND');
        const link = $(element, '.audit-link lightning-formatted-url');
        expect(link.value).toBe(`/lightning/r/Sync_Audit__c/${LATEST.id}/view`);
        expect(link.label).toBe(LATEST.name);
        expect($(element, 'lightning-spinner')).toBeNull();
        // Without the custom permission there is no Replay button at all.
        expect($(element, 'lightning-button.replay')).toBeNull();
    });

    it('replays the row for a permitted user, toasts the count and reloads', async () => {
        requestReplay.mockResolvedValue({ requestedCount: 1, refusals: [] });
        const { element, toasts } = render();
        getRecordSyncStatus.emit(LATEST);
        canReplay.emit(true);
        await flush();

        $(element, 'lightning-button.replay').click();
        await flush();

        expect(requestReplay).toHaveBeenCalledWith({ auditIds: [LATEST.id] });
        expect(toasts).toEqual([
            { title: 'c.QAD_Sync_Replay_Requested_Title', message: 'c.QAD_Sync_Replay_Requested_Message', variant: 'success' }
        ]);
        expect(refreshApex).toHaveBeenCalledTimes(1);
    });

    it('shows each refusal as a warning toast', async () => {
        requestReplay.mockResolvedValue(REFUSED);
        const { element, toasts } = render();
        getRecordSyncStatus.emit(LATEST);
        canReplay.emit(true);
        await flush();

        $(element, 'lightning-button.replay').click();
        await flush();

        expect(toasts).toEqual([
            { title: 'c.QAD_Sync_Replay_Refused_Title', message: REFUSED.refusals[0].message, variant: 'warning' }
        ]);
    });

    it('hides Replay for a row that cannot be replayed', async () => {
        const { element } = render();
        getRecordSyncStatus.emit({ ...LATEST, status: 'Succeeded', errorCode: null, replayable: false });
        canReplay.emit(true);
        await flush();

        expect($(element, 'lightning-badge').className).toContain('slds-theme_success');
        expect($(element, '.error-code')).toBeNull();
        expect($(element, 'lightning-button.replay')).toBeNull();
    });

    it('says so when the record was never synced', async () => {
        const { element } = render();
        getRecordSyncStatus.emit(null);
        await flush();

        expect($(element, '.never-synced').textContent).toBe('c.QAD_Sync_Record_Never_Synced');
        expect($(element, 'lightning-badge')).toBeNull();
    });

    it('shows a failed load through the error panel', async () => {
        const { element } = render();
        getRecordSyncStatus.error({ message: 'Sync_Audit__c is not accessible' });
        canReplay.error();
        await flush();

        const panel = $(element, 'c-error-panel');
        expect(panel).not.toBeNull();
        expect(panel.errors.body.message).toBe('Sync_Audit__c is not accessible');
        expect($(element, '.never-synced')).toBeNull();
    });

    it('shows a refused replay call through the error panel and re-enables the button', async () => {
        requestReplay.mockRejectedValue({ body: { message: 'You need the QAD_Sync_Replay permission to replay.' } });
        const { element, toasts } = render();
        getRecordSyncStatus.emit(LATEST);
        canReplay.emit(true);
        await flush();

        const button = $(element, 'lightning-button.replay');
        button.click();
        await flush();

        expect($(element, 'c-error-panel').errors.body.message).toBe('You need the QAD_Sync_Replay permission to replay.');
        expect(toasts).toEqual([]);
        expect(button.disabled).toBe(false);
    });

    it('reports a failed refresh through the error panel', async () => {
        refreshApex.mockRejectedValueOnce({ body: { message: 'Session expired' } });
        const { element } = render();
        getRecordSyncStatus.emit(LATEST);
        await flush();

        $(element, 'lightning-button-icon.refresh').click();
        await flush();

        expect(refreshApex).toHaveBeenCalledTimes(1);
        expect($(element, 'c-error-panel').errors.body.message).toBe('Session expired');
    });

    it('is accessible with data, with Replay and when empty', async () => {
        const { element } = render();
        getRecordSyncStatus.emit(LATEST);
        canReplay.emit(true);
        await flush();

        expect($(element, 'lightning-button-icon.refresh').alternativeText).toBe('c.QAD_Sync_Refresh');
        expect($(element, 'lightning-button.replay').label).toBe('c.QAD_Sync_Action_Replay');
        await expect(element).toBeAccessible();

        getRecordSyncStatus.emit(null);
        await flush();
        await expect(element).toBeAccessible();
    });
});
