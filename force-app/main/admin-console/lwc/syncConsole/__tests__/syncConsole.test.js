import { createElement } from 'lwc';
import SyncConsole from 'c/syncConsole';
import getSummary from '@salesforce/apex/SyncConsoleController.getSummary';
import searchAudits from '@salesforce/apex/SyncConsoleController.searchAudits';
import getBridgeStatus from '@salesforce/apex/SyncConsoleController.getBridgeStatus';
import canReplay from '@salesforce/apex/SyncConsoleController.canReplay';
import getAuditDetail from '@salesforce/apex/SyncConsoleController.getAuditDetail';
import requestReplay from '@salesforce/apex/SyncConsoleController.requestReplay';
import { refreshApex } from '@salesforce/apex';

const SUMMARY = require('./data/getSummary.json');
const PAGE = require('./data/searchAudits.json');
const DETAIL = require('./data/getAuditDetail.json');
const BRIDGES = require('./data/getBridgeStatus.json');
const REPLAY_RESULT = require('./data/requestReplay.json');

// Wired methods get test wire adapters (emit/error); imperative ones a plain jest.fn.
jest.mock(
    '@salesforce/apex/SyncConsoleController.getSummary',
    () => ({ default: require('@salesforce/sfdx-lwc-jest').createApexTestWireAdapter(jest.fn()) }),
    { virtual: true }
);
jest.mock(
    '@salesforce/apex/SyncConsoleController.searchAudits',
    () => ({ default: require('@salesforce/sfdx-lwc-jest').createApexTestWireAdapter(jest.fn()) }),
    { virtual: true }
);
jest.mock(
    '@salesforce/apex/SyncConsoleController.getBridgeStatus',
    () => ({ default: require('@salesforce/sfdx-lwc-jest').createApexTestWireAdapter(jest.fn()) }),
    { virtual: true }
);
jest.mock(
    '@salesforce/apex/SyncConsoleController.canReplay',
    () => ({ default: require('@salesforce/sfdx-lwc-jest').createApexTestWireAdapter(jest.fn()) }),
    { virtual: true }
);
jest.mock('@salesforce/apex/SyncConsoleController.getAuditDetail', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/SyncConsoleController.requestReplay', () => ({ default: jest.fn() }), { virtual: true });

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));
const $ = (element, selector) => element.shadowRoot.querySelector(selector);
const $$ = (element, selector) => [...element.shadowRoot.querySelectorAll(selector)];

function render() {
    const element = createElement('c-sync-console', { is: SyncConsole });
    document.body.appendChild(element);
    const toasts = [];
    element.addEventListener('lightning__showtoast', (event) => toasts.push(event.detail));
    return { element, toasts };
}

async function renderLoaded({ mayReplay = true, page = PAGE } = {}) {
    const rendered = render();
    getSummary.emit(SUMMARY);
    searchAudits.emit(page);
    getBridgeStatus.emit(BRIDGES);
    canReplay.emit(mayReplay);
    await flush();
    return rendered;
}

function change(target, value) {
    target.dispatchEvent(new CustomEvent('change', { detail: { value } }));
}

function rowActionsOf(element, row) {
    const table = $(element, 'lightning-datatable');
    const actionColumn = table.columns.find((column) => column.type === 'action');
    let actions;
    actionColumn.typeAttributes.rowActions(row, (provided) => {
        actions = provided;
    });
    return actions;
}

describe('c-sync-console', () => {
    afterEach(() => {
        while (document.body.firstChild) {
            document.body.removeChild(document.body.firstChild);
        }
        jest.clearAllMocks();
    });

    describe('happy path', () => {
        it('asks for the newest first page with no filters', async () => {
            render();
            await flush();

            expect(searchAudits.getLastConfig()).toEqual({
                objectName: '',
                status: '',
                fromDate: null,
                toDate: null,
                sortBy: 'Occurred_At__c',
                sortDirection: 'desc',
                pageSize: 50,
                pageNumber: 1
            });
        });

        it('shows summary tiles per object with their status counts', async () => {
            const { element } = await renderLoaded();

            const tiles = $$(element, '.summary-tile');
            expect(tiles.map((tile) => tile.querySelector('h3').textContent)).toEqual([
                'c.QAD_Sync_Object_Account',
                'c.QAD_Sync_Object_Order',
                'c.QAD_Sync_Object_Product2'
            ]);
            expect(tiles[0].querySelector('.tile-total').textContent).toBe('123');
            expect(tiles[0].querySelectorAll('.tile-status')).toHaveLength(2);
            expect(tiles[0].querySelectorAll('.tile-status dd')[1].textContent).toBe('3');
        });

        it('fills the datatable with labelled rows, sortable columns and paging', async () => {
            const { element } = await renderLoaded();

            const table = $(element, 'lightning-datatable');
            expect(table.data.map((row) => row.name)).toEqual(['SA-00000042', 'SA-00000041']);
            expect(table.data[0].statusLabel).toBe('c.QAD_Sync_Status_Failed');
            expect(table.data[0].objectLabel).toBe('c.QAD_Sync_Object_Order');
            expect(table.sortedBy).toBe('occurredAt');
            expect(table.sortedDirection).toBe('desc');
            expect(table.columns.filter((column) => column.sortable).map((column) => column.fieldName)).toEqual([
                'name',
                'occurredAt',
                'objectLabel',
                'statusLabel',
                'attempt'
            ]);
            expect($(element, '.page-text').textContent).toBe('c.QAD_Sync_Page_Of');
            expect($(element, 'lightning-button-icon.page-previous').disabled).toBe(true);
            expect($(element, 'lightning-button-icon.page-next').disabled).toBe(false);
            expect($(element, '.audits-empty')).toBeNull();
        });

        it('passes filters, sort and page to the server and restarts at page 1', async () => {
            const { element } = await renderLoaded();

            $(element, 'lightning-button-icon.page-next').click();
            await flush();
            expect(searchAudits.getLastConfig().pageNumber).toBe(2);
            $(element, 'lightning-button-icon.page-previous').click();
            await flush();
            expect(searchAudits.getLastConfig().pageNumber).toBe(1);
            $(element, 'lightning-button-icon.page-next').click();
            await flush();

            change($(element, 'lightning-combobox.filter-object'), 'Order');
            change($(element, 'lightning-combobox.filter-status'), 'Failed');
            change($(element, 'lightning-input.filter-from'), '2026-11-01');
            change($(element, 'lightning-input.filter-to'), '2026-11-27');
            $(element, 'lightning-datatable').dispatchEvent(
                new CustomEvent('sort', { detail: { fieldName: 'statusLabel', sortDirection: 'asc' } })
            );
            await flush();

            expect(searchAudits.getLastConfig()).toEqual({
                objectName: 'Order',
                status: 'Failed',
                fromDate: '2026-11-01',
                toDate: '2026-11-27',
                sortBy: 'Status__c',
                sortDirection: 'asc',
                pageSize: 50,
                pageNumber: 1
            });
            expect($(element, 'lightning-datatable').sortedBy).toBe('statusLabel');

            $(element, 'lightning-button.clear-filters').click();
            await flush();
            expect(searchAudits.getLastConfig()).toMatchObject({ objectName: '', status: '', fromDate: null, toDate: null });
        });

        it('falls back to the default sort for a column the server cannot sort by', async () => {
            const { element } = await renderLoaded();
            $(element, 'lightning-datatable').dispatchEvent(
                new CustomEvent('sort', { detail: { fieldName: 'direction', sortDirection: 'sideways' } })
            );
            await flush();

            expect(searchAudits.getLastConfig()).toMatchObject({ sortBy: 'Occurred_At__c', sortDirection: 'desc' });
        });

        it('refuses an inverted date range with a message and keeps the page', async () => {
            const { element } = await renderLoaded();
            change($(element, 'lightning-input.filter-to'), '2026-11-01');
            await flush();
            $(element, 'lightning-button-icon.page-next').click();
            await flush();

            change($(element, 'lightning-input.filter-from'), '2026-11-27');
            await flush();

            const message = $(element, '.range-invalid');
            expect(message.textContent).toBe('c.QAD_Sync_Filter_Range_Invalid');
            expect(message.getAttribute('role')).toBe('alert');
            expect($(element, 'lightning-input.filter-from').value).toBe('2026-11-27');
            expect(searchAudits.getLastConfig()).toMatchObject({ fromDate: null, toDate: '2026-11-01', pageNumber: 2 });

            change($(element, 'lightning-input.filter-to'), '');
            await flush();
            expect($(element, '.range-invalid')).toBeNull();
            expect(searchAudits.getLastConfig()).toMatchObject({ fromDate: '2026-11-27', toDate: null, pageNumber: 1 });
        });

        it('opens the detail panel with error message and payload, and closes it', async () => {
            getAuditDetail.mockResolvedValue(DETAIL);
            const { element } = await renderLoaded();

            $(element, 'lightning-datatable').dispatchEvent(
                new CustomEvent('rowaction', { detail: { action: { name: 'view_details' }, row: PAGE.rows[0] } })
            );
            await flush();

            expect(getAuditDetail).toHaveBeenCalledWith({ auditId: PAGE.rows[0].id });
            expect($(element, '.detail h2').textContent).toBe('c.QAD_Sync_Detail_Title');
            expect($(element, '.detail-error-message').textContent).toBe(DETAIL.errorMessage);
            expect($(element, '.detail-payload').textContent).toBe(DETAIL.payload);
            expect($(element, '.detail-payload-hash').textContent).toBe(DETAIL.payloadHash);
            expect($(element, '.detail-replay-of').textContent).toBe('SA-00000017');
            expect($(element, '.detail-requested-by').textContent).toBe('Ada Admin');
            expect($(element, '.detail-status').textContent).toBe('c.QAD_Sync_Status_Failed');

            $(element, 'lightning-button-icon.detail-close').click();
            await flush();
            expect($(element, '.detail')).toBeNull();
        });

        it('offers Replay only on replayable rows for a permitted user', async () => {
            const { element } = await renderLoaded({ mayReplay: true });

            expect(rowActionsOf(element, PAGE.rows[0])).toEqual([
                { label: 'c.QAD_Sync_Action_View_Details', name: 'view_details' },
                { label: 'c.QAD_Sync_Action_Replay', name: 'replay', disabled: false }
            ]);
            expect(rowActionsOf(element, PAGE.rows[1])[1].disabled).toBe(true);

            canReplay.emit(false);
            await flush();
            expect(rowActionsOf(element, PAGE.rows[0])[1].disabled).toBe(true);
        });

        it('replays one row from its action, toasts the count and every refusal, and refreshes', async () => {
            requestReplay.mockResolvedValue(REPLAY_RESULT);
            const { element, toasts } = await renderLoaded();

            $(element, 'lightning-datatable').dispatchEvent(
                new CustomEvent('rowaction', { detail: { action: { name: 'replay' }, row: PAGE.rows[0] } })
            );
            await flush();

            expect(requestReplay).toHaveBeenCalledWith({ auditIds: [PAGE.rows[0].id] });
            expect(toasts).toEqual([
                { title: 'c.QAD_Sync_Replay_Requested_Title', message: 'c.QAD_Sync_Replay_Requested_Message', variant: 'success' },
                { title: 'c.QAD_Sync_Replay_Refused_Title', message: REPLAY_RESULT.refusals[0].message, variant: 'warning' }
            ]);
            // summary, audits and bridge status are all reloaded
            expect(refreshApex).toHaveBeenCalledTimes(3);
        });

        it('enables bulk Replay only with a selection and the permission, then replays the selection', async () => {
            requestReplay.mockResolvedValue({ requestedCount: 2, refusals: [] });
            const { element, toasts } = await renderLoaded({ mayReplay: true });
            const bulk = $(element, 'lightning-button.replay-selected');
            expect(bulk.disabled).toBe(true);

            $(element, 'lightning-datatable').dispatchEvent(
                new CustomEvent('rowselection', { detail: { selectedRows: PAGE.rows } })
            );
            await flush();
            expect(bulk.disabled).toBe(false);

            bulk.click();
            await flush();

            expect(requestReplay).toHaveBeenCalledWith({ auditIds: ['a01000000000001AAA', 'a01000000000002AAA'] });
            expect(toasts).toHaveLength(1);
            expect(toasts[0].variant).toBe('success');
            expect(bulk.disabled).toBe(true);
        });

        it('keeps bulk Replay disabled without the custom permission', async () => {
            const { element } = await renderLoaded({ mayReplay: false });
            $(element, 'lightning-datatable').dispatchEvent(
                new CustomEvent('rowselection', { detail: { selectedRows: PAGE.rows } })
            );
            await flush();

            expect($(element, 'lightning-button.replay-selected').disabled).toBe(true);
        });

        it('shows bridge status: heartbeat, poll, CDC position, API budget and last error', async () => {
            const { element } = await renderLoaded();

            const bridges = $$(element, '.bridge-row');
            expect(bridges).toHaveLength(2);
            expect(bridges[0].querySelector('.bridge-connection').textContent).toBe('acme-prod');
            expect(bridges[0].querySelector('.bridge-status').textContent).toBe('Degraded');
            expect(bridges[0].querySelector('.bridge-cdc-position').textContent).toBe('AAAAAAAAAfQ=');
            expect(bridges[0].querySelector('.bridge-api-budget').textContent).toBe('c.QAD_Sync_Bridge_API_Budget_Value');
            expect(bridges[0].querySelector('.bridge-last-error').textContent).toBe(BRIDGES[0].lastError);
            const times = [...bridges[0].querySelectorAll('lightning-formatted-date-time')].map((t) => t.value);
            expect(times).toEqual([BRIDGES[0].lastHeartbeat, BRIDGES[0].lastQadPoll, BRIDGES[0].cdcLastEventAt]);
            expect(bridges[1].querySelector('.bridge-last-error')).toBeNull();
        });

        it('refreshes summary, audits and bridge status from the Refresh button', async () => {
            const { element } = await renderLoaded();
            $(element, 'lightning-button.refresh').click();
            await flush();

            expect(refreshApex).toHaveBeenCalledTimes(3);
            expect($(element, 'c-error-panel')).toBeNull();
        });
    });

    describe('empty state', () => {
        it('says when nothing matches, has no summary and no bridge', async () => {
            const { element } = render();
            expect($(element, 'lightning-spinner')).not.toBeNull();
            getSummary.emit([]);
            searchAudits.emit({ rows: [], totalCount: 0, pageNumber: 1, pageSize: 50 });
            getBridgeStatus.emit([]);
            await flush();

            expect($(element, '.audits-empty').textContent).toBe('c.QAD_Sync_Audits_Empty');
            expect($(element, 'lightning-datatable')).toBeNull();
            expect($(element, '.summary-empty').textContent).toBe('c.QAD_Sync_Summary_Empty');
            expect($(element, '.bridge-empty').textContent).toBe('c.QAD_Sync_Bridge_Empty');
            expect($(element, 'lightning-spinner')).toBeNull();
        });
    });

    describe('error path', () => {
        it('gathers every failed load into the one error panel', async () => {
            const { element } = render();
            getSummary.error({ message: 'summary failed' });
            searchAudits.error({ message: 'search failed' });
            getBridgeStatus.error({ message: 'bridge failed' });
            await flush();

            const panels = $$(element, 'c-error-panel');
            expect(panels).toHaveLength(1);
            expect(panels[0].errors.map((error) => error.body.message)).toEqual(['summary failed', 'search failed', 'bridge failed']);
            expect($(element, 'lightning-spinner')).toBeNull();
        });

        it('clears a failure once the same source loads again', async () => {
            const { element } = render();
            searchAudits.error({ message: 'search failed' });
            await flush();
            expect($(element, 'c-error-panel')).not.toBeNull();

            searchAudits.emit(PAGE);
            await flush();
            expect($(element, 'c-error-panel')).toBeNull();
        });

        it('shows a refused replay (no custom permission) in the error panel and no toast', async () => {
            requestReplay.mockRejectedValue({ body: { message: 'You need the QAD_Sync_Replay permission to replay.' } });
            const { element, toasts } = await renderLoaded();

            $(element, 'lightning-datatable').dispatchEvent(
                new CustomEvent('rowaction', { detail: { action: { name: 'replay' }, row: PAGE.rows[0] } })
            );
            await flush();

            expect($(element, 'c-error-panel').errors[0].body.message).toBe('You need the QAD_Sync_Replay permission to replay.');
            expect(toasts).toEqual([]);
        });

        it('shows a failed detail load in the error panel and no detail', async () => {
            getAuditDetail.mockRejectedValue({ body: { message: 'insufficient access rights on object id' } });
            const { element } = await renderLoaded();

            $(element, 'lightning-datatable').dispatchEvent(
                new CustomEvent('rowaction', { detail: { action: { name: 'view_details' }, row: PAGE.rows[0] } })
            );
            await flush();

            expect($(element, '.detail')).toBeNull();
            expect($(element, 'c-error-panel').errors[0].body.message).toBe('insufficient access rights on object id');
        });

        it('shows a failed refresh in the error panel', async () => {
            refreshApex.mockRejectedValueOnce({ body: { message: 'Session expired' } });
            const { element } = await renderLoaded();

            $(element, 'lightning-button.refresh').click();
            await flush();

            expect($(element, 'c-error-panel').errors[0].body.message).toBe('Session expired');
        });
    });

    describe('accessibility', () => {
        it('is accessible when loaded, with the detail panel open', async () => {
            getAuditDetail.mockResolvedValue(DETAIL);
            const { element } = await renderLoaded();
            $(element, 'lightning-datatable').dispatchEvent(
                new CustomEvent('rowaction', { detail: { action: { name: 'view_details' }, row: PAGE.rows[0] } })
            );
            await flush();

            const sections = $$(element, 'section[aria-labelledby]');
            expect(sections.length).toBe(5);
            for (const section of sections) {
                expect($(element, `[id="${section.getAttribute('aria-labelledby')}"]`)).not.toBeNull();
            }
            for (const icon of $$(element, 'lightning-button-icon')) {
                expect(icon.alternativeText).toMatch(/^c\.QAD_Sync_/);
            }
            expect($(element, 'lightning-combobox.filter-object').label).toBe('c.QAD_Sync_Filter_Object');
            expect($(element, 'lightning-input.filter-from').label).toBe('c.QAD_Sync_Filter_From');
            expect($(element, '.page-text').getAttribute('aria-live')).toBe('polite');
            await expect(element).toBeAccessible();
        });

        it('is accessible when empty and when failing', async () => {
            const { element } = render();
            getSummary.emit([]);
            searchAudits.emit({ rows: [], totalCount: 0, pageNumber: 1, pageSize: 50 });
            getBridgeStatus.error({ message: 'bridge failed' });
            await flush();

            await expect(element).toBeAccessible();
        });
    });
});
