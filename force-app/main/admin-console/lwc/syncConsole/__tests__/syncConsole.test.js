import { createElement } from 'lwc';
import SyncConsole from 'c/syncConsole';
import getSummary from '@salesforce/apex/SyncConsoleController.getSummary';
import searchAudits from '@salesforce/apex/SyncConsoleController.searchAudits';
import getBridgeStatus from '@salesforce/apex/SyncConsoleController.getBridgeStatus';
import canReplay from '@salesforce/apex/SyncConsoleController.canReplay';
import getAuditDetail from '@salesforce/apex/SyncConsoleController.getAuditDetail';
import requestReplay from '@salesforce/apex/SyncConsoleController.requestReplay';
import getSetupStatus from '@salesforce/apex/SyncConsoleController.getSetupStatus';
import { refreshApex } from '@salesforce/apex';

const SUMMARY = require('./data/getSummary.json');
const PAGE = require('./data/searchAudits.json');
const DETAIL = require('./data/getAuditDetail.json');
const BRIDGES = require('./data/getBridgeStatus.json');
const REPLAY_RESULT = require('./data/requestReplay.json');
const SETUP = require('./data/getSetupStatus.json');

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
jest.mock(
    '@salesforce/apex/SyncConsoleController.getAuditDetail',
    () => ({ default: require('@salesforce/sfdx-lwc-jest').createApexTestWireAdapter(jest.fn()) }),
    { virtual: true }
);
jest.mock('@salesforce/apex/SyncConsoleController.requestReplay', () => ({ default: jest.fn() }), { virtual: true });
// The embedded Getting started view asks for its checks on its own; syncGettingStarted's suite tests it.
jest.mock('@salesforce/apex/SyncConsoleController.getSetupStatus', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/SyncConsoleController.scheduleRetention', () => ({ default: jest.fn() }), { virtual: true });
// Real wording for the labels whose placeholders a test reads back.
jest.mock('@salesforce/label/c.QAD_Sync_Stale_Banner', () => ({ default: 'No heartbeat for more than {0} minutes from: {1}.' }), {
    virtual: true
});
jest.mock('@salesforce/label/c.QAD_Sync_Replay_Refused_Summary', () => ({ default: '{0} row(s) not replayed' }), { virtual: true });
jest.mock('@salesforce/label/c.QAD_Sync_Replay_Refused_More', () => ({ default: 'And {0} more.' }), { virtual: true });
jest.mock('@salesforce/label/c.QAD_Sync_Blank_Key', () => ({ default: '(none)' }), { virtual: true });

const HEARTBEAT_AT = new Date(BRIDGES[0].lastHeartbeat).getTime();
const MINUTE = 60 * 1000;

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

async function renderLoaded({ mayReplay = true, page = PAGE, bridges = BRIDGES } = {}) {
    const rendered = render();
    getSummary.emit(SUMMARY);
    searchAudits.emit(page);
    getBridgeStatus.emit(bridges);
    canReplay.emit(mayReplay);
    await flush();
    return rendered;
}

function change(target, value) {
    target.dispatchEvent(new CustomEvent('change', { detail: { value } }));
}

function select(element, rows) {
    $(element, 'lightning-datatable').dispatchEvent(new CustomEvent('rowselection', { detail: { selectedRows: rows } }));
}

function rowAction(element, name, row) {
    $(element, 'lightning-datatable').dispatchEvent(new CustomEvent('rowaction', { detail: { action: { name }, row } }));
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
    let clock;

    beforeEach(() => {
        // Heartbeats in the fixtures are fresh unless a test moves the clock.
        clock = jest.spyOn(Date, 'now').mockReturnValue(HEARTBEAT_AT + 2 * MINUTE);
        getSetupStatus.mockResolvedValue(SETUP);
    });

    afterEach(() => {
        while (document.body.firstChild) {
            document.body.removeChild(document.body.firstChild);
        }
        clock.mockRestore();
        jest.clearAllMocks();
    });

    describe('happy path', () => {
        it('asks for the newest first page with no filters, ordered by the indexed CreatedDate', async () => {
            render();
            await flush();

            expect(searchAudits.getLastConfig()).toEqual({
                objectName: '',
                status: '',
                fromDate: null,
                toDate: null,
                sortBy: 'CreatedDate',
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

        it('fills the datatable with labelled rows, links to the audit row and the record, and paging', async () => {
            const { element } = await renderLoaded();

            const table = $(element, 'lightning-datatable');
            expect(table.data.map((row) => row.name)).toEqual(['SA-00000042', 'SA-00000041']);
            expect(table.data[0].statusLabel).toBe('c.QAD_Sync_Status_Failed');
            expect(table.data[0].objectLabel).toBe('c.QAD_Sync_Object_Order');
            expect(table.data[0].auditUrl).toBe('/lightning/r/Sync_Audit__c/a01000000000001AAA/view');
            expect(table.data[0].recordUrl).toBe('/lightning/r/Order/80100000000000AAAA/view');
            expect(table.data[1].recordUrl).toBe('/lightning/r/Account/00100000000000AAAA/view');
            const nameColumn = table.columns.find((column) => column.fieldName === 'auditUrl');
            expect(nameColumn).toMatchObject({ type: 'url', typeAttributes: { label: { fieldName: 'name' } } });
            expect(table.sortedBy).toBe('occurredAt');
            expect(table.sortedDirection).toBe('desc');
            // Only indexed fields sort on the server: the audit number and the recorded time.
            expect(table.columns.filter((column) => column.sortable).map((column) => column.fieldName)).toEqual(['auditUrl', 'occurredAt']);
            expect($(element, '.page-text').textContent).toBe('c.QAD_Sync_Page_Of');
            expect($(element, 'lightning-button-icon.page-previous').disabled).toBe(true);
            expect($(element, 'lightning-button-icon.page-next').disabled).toBe(false);
            expect($(element, '.audits-empty')).toBeNull();
        });

        it('shows a blank key as (none) instead of an empty cell', async () => {
            const { element } = await renderLoaded();

            const [failed, succeeded] = $(element, 'lightning-datatable').data;
            expect(failed.targetIdText).toBe('(none)');
            expect(failed.sourceIdText).toBe('80100000000000AAAA');
            expect(succeeded.errorCodeText).toBe('');

            const withoutRecord = { ...PAGE, rows: [{ ...PAGE.rows[0], salesforceRecordId: null }] };
            searchAudits.emit(withoutRecord);
            await flush();
            const row = $(element, 'lightning-datatable').data[0];
            expect(row.recordUrl).toBeUndefined();
            expect(row.recordLabel).toBe('(none)');
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
            $(element, 'lightning-datatable').dispatchEvent(new CustomEvent('sort', { detail: { fieldName: 'auditUrl', sortDirection: 'asc' } }));
            await flush();

            expect(searchAudits.getLastConfig()).toEqual({
                objectName: 'Order',
                status: 'Failed',
                fromDate: '2026-11-01',
                toDate: '2026-11-27',
                sortBy: 'Name',
                sortDirection: 'asc',
                pageSize: 50,
                pageNumber: 1
            });
            expect($(element, 'lightning-datatable').sortedBy).toBe('auditUrl');

            $(element, 'lightning-button.clear-filters').click();
            await flush();
            expect(searchAudits.getLastConfig()).toMatchObject({ objectName: '', status: '', fromDate: null, toDate: null });
        });

        it('falls back to the default sort for a column the server cannot sort by', async () => {
            const { element } = await renderLoaded();
            $(element, 'lightning-datatable').dispatchEvent(
                new CustomEvent('sort', { detail: { fieldName: 'statusLabel', sortDirection: 'sideways' } })
            );
            await flush();

            expect(searchAudits.getLastConfig()).toMatchObject({ sortBy: 'CreatedDate', sortDirection: 'desc' });
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

        it('opens the detail panel with error, payload and links to the record and the replayed row, and closes it', async () => {
            const { element } = await renderLoaded();

            rowAction(element, 'view_details', PAGE.rows[0]);
            await flush();
            expect(getAuditDetail.getLastConfig()).toEqual({ auditId: PAGE.rows[0].id });
            getAuditDetail.emit(DETAIL);
            await flush();

            expect($(element, '.detail h2').textContent).toBe('c.QAD_Sync_Detail_Title');
            expect($(element, '.detail-error-message').textContent).toBe(DETAIL.errorMessage);
            expect($(element, '.detail-payload').textContent).toBe(DETAIL.payload);
            expect($(element, '.detail-payload-hash').textContent).toBe(DETAIL.payloadHash);
            expect($(element, '.detail-error-code').textContent).toBe('QAD_ITEM_NOT_FOUND');
            const replayOf = $(element, '.detail-replay-of lightning-formatted-url');
            expect(replayOf.value).toBe('/lightning/r/Sync_Audit__c/a01000000000000AAA/view');
            expect(replayOf.label).toBe('SA-00000017');
            const record = $(element, '.detail-record lightning-formatted-url');
            expect(record.value).toBe('/lightning/r/Order/80100000000000AAAA/view');
            expect($(element, '.detail-requested-by').textContent).toBe('Ada Admin');
            expect($(element, '.detail-status').textContent).toBe('c.QAD_Sync_Status_Failed');

            $(element, 'lightning-button-icon.detail-close').click();
            await flush();
            expect($(element, '.detail')).toBeNull();
            expect(getAuditDetail.getLastConfig()).toEqual({ auditId: undefined });
        });

        it('shows blank keys of the detail as (none) and no link where there is no record', async () => {
            const { element } = await renderLoaded();
            rowAction(element, 'view_details', PAGE.rows[0]);
            getAuditDetail.emit({
                ...DETAIL,
                row: { ...DETAIL.row, errorCode: null, correlationId: '', salesforceRecordId: null },
                payloadHash: null,
                replayOfId: null,
                replayOfName: null
            });
            await flush();

            expect($(element, '.detail-error-code').textContent).toBe('(none)');
            expect($(element, '.detail-correlation-id').textContent).toBe('(none)');
            expect($(element, '.detail-payload-hash').textContent).toBe('(none)');
            expect($(element, '.detail-record').textContent).toBe('(none)');
            expect($(element, '.detail-replay-of lightning-formatted-url')).toBeNull();
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

        it('replays one row from its action, toasts the count and the refusals once, and refreshes', async () => {
            requestReplay.mockResolvedValue(REPLAY_RESULT);
            const { element, toasts } = await renderLoaded();

            rowAction(element, 'replay', PAGE.rows[0]);
            await flush();

            expect(requestReplay).toHaveBeenCalledWith({ auditIds: [PAGE.rows[0].id] });
            expect(toasts).toEqual([
                { title: 'c.QAD_Sync_Replay_Requested_Title', message: 'c.QAD_Sync_Replay_Requested_Message', variant: 'success' },
                { title: '1 row(s) not replayed', message: REPLAY_RESULT.refusals[0].message, variant: 'warning' }
            ]);
            // summary, audits and bridge status are all reloaded (no detail is open)
            expect(refreshApex).toHaveBeenCalledTimes(3);
        });

        it('sums up many refused rows in one toast, naming the first three', async () => {
            const refusals = [1, 2, 3, 4, 5].map((n) => ({ auditId: `a0100000000000${n}AAA`, name: `SA-${n}`, message: `SA-${n} is Succeeded.` }));
            requestReplay.mockResolvedValue({ requestedCount: 0, refusals });
            const { element, toasts } = await renderLoaded();

            select(element, PAGE.rows);
            await flush();
            $(element, 'lightning-button.replay-selected').click();
            await flush();

            expect(toasts).toEqual([{ title: '5 row(s) not replayed', message: 'SA-1 is Succeeded. SA-2 is Succeeded. SA-3 is Succeeded. And 2 more.', variant: 'warning' }]);
        });

        it('reloads an open detail after a replay so it shows the new status', async () => {
            requestReplay.mockResolvedValue({ requestedCount: 1, refusals: [] });
            const { element } = await renderLoaded();
            rowAction(element, 'view_details', PAGE.rows[0]);
            getAuditDetail.emit(DETAIL);
            await flush();

            rowAction(element, 'replay', PAGE.rows[0]);
            await flush();

            expect(refreshApex).toHaveBeenCalledTimes(4);
            const refreshed = refreshApex.mock.calls.map(([wired]) => wired);
            expect(refreshed).toContainEqual(expect.objectContaining({ data: DETAIL }));
            getAuditDetail.emit({ ...DETAIL, row: { ...DETAIL.row, status: 'Replay Requested', replayable: false } });
            await flush();
            expect($(element, '.detail-status').textContent).toBe('c.QAD_Sync_Status_Replay_Requested');
        });

        it('shows bridge status: heartbeat, poll, change-event state, CDC position, API budget and last error', async () => {
            const { element } = await renderLoaded();

            const bridges = $$(element, '.bridge-row');
            expect(bridges).toHaveLength(2);
            expect(bridges[0].querySelector('.bridge-connection').textContent).toBe('acme-prod');
            expect(bridges[0].querySelector('.bridge-status').textContent).toBe('Degraded');
            expect(bridges[0].querySelector('.bridge-cdc-state').textContent).toBe('Catching Up');
            expect(bridges[1].querySelector('.bridge-cdc-state').textContent).toBe('(none)');
            expect(bridges[0].querySelector('.bridge-cdc-position').textContent).toBe('AAAAAAAAAfQ=');
            expect(bridges[0].querySelector('.bridge-api-budget').textContent).toBe('c.QAD_Sync_Bridge_API_Budget_Value');
            expect(bridges[0].querySelector('.bridge-last-error').textContent).toBe(BRIDGES[0].lastError);
            const times = [...bridges[0].querySelectorAll('lightning-formatted-date-time')].map((t) => t.value);
            expect(times).toEqual([BRIDGES[0].lastHeartbeat, BRIDGES[0].lastQadPoll, BRIDGES[0].cdcLastEventAt]);
            expect(bridges[1].querySelector('.bridge-last-error')).toBeNull();
        });

        it('holds the Getting started view', async () => {
            const { element } = await renderLoaded();

            expect($(element, 'c-sync-getting-started')).not.toBeNull();
            expect(getSetupStatus).toHaveBeenCalledTimes(1);
        });

        it('refreshes summary, audits and bridge status from the Refresh button', async () => {
            const { element } = await renderLoaded();
            $(element, 'lightning-button.refresh').click();
            await flush();

            expect(refreshApex).toHaveBeenCalledTimes(3);
            expect($(element, 'c-error-panel')).toBeNull();
        });
    });

    describe('selection', () => {
        it('binds the selection to the table and replays exactly the selected rows', async () => {
            requestReplay.mockResolvedValue({ requestedCount: 1, refusals: [] });
            const { element } = await renderLoaded({ mayReplay: true });
            const bulk = $(element, 'lightning-button.replay-selected');
            expect(bulk.disabled).toBe(true);
            expect($(element, 'lightning-datatable').selectedRows).toEqual([]);

            select(element, [PAGE.rows[0]]);
            await flush();
            expect($(element, 'lightning-datatable').selectedRows).toEqual(['a01000000000001AAA']);
            expect(bulk.disabled).toBe(false);

            bulk.click();
            await flush();
            expect(requestReplay).toHaveBeenCalledWith({ auditIds: ['a01000000000001AAA'] });
        });

        it('clears the selection after a replay, even when the same rows come back', async () => {
            requestReplay.mockResolvedValue({ requestedCount: 2, refusals: [] });
            const { element, toasts } = await renderLoaded({ mayReplay: true });
            select(element, PAGE.rows);
            await flush();

            $(element, 'lightning-button.replay-selected').click();
            await flush();
            searchAudits.emit(PAGE);
            await flush();

            expect(toasts).toHaveLength(1);
            expect($(element, 'lightning-datatable').selectedRows).toEqual([]);
            expect($(element, 'lightning-button.replay-selected').disabled).toBe(true);
        });

        it.each([
            ['the next page', (element) => $(element, 'lightning-button-icon.page-next').click()],
            [
                'the previous page',
                (element) => {
                    $(element, 'lightning-button-icon.page-previous').click();
                }
            ],
            [
                'a new sort',
                (element) => $(element, 'lightning-datatable').dispatchEvent(new CustomEvent('sort', { detail: { fieldName: 'auditUrl', sortDirection: 'asc' } }))
            ],
            ['an object filter', (element) => change($(element, 'lightning-combobox.filter-object'), 'Account')],
            ['a status filter', (element) => change($(element, 'lightning-combobox.filter-status'), 'Failed')],
            ['a date filter', (element) => change($(element, 'lightning-input.filter-from'), '2026-11-01')],
            ['clearing the filters', (element) => $(element, 'lightning-button.clear-filters').click()]
        ])('clears the selection on %s', async (what, act) => {
            const { element } = await renderLoaded({ mayReplay: true });
            if (what === 'the previous page') {
                $(element, 'lightning-button-icon.page-next').click();
                await flush();
            }
            select(element, PAGE.rows);
            await flush();
            expect($(element, 'lightning-datatable').selectedRows).toHaveLength(2);

            act(element);
            await flush();

            expect($(element, 'lightning-datatable').selectedRows).toEqual([]);
            expect($(element, 'lightning-button.replay-selected').disabled).toBe(true);
        });

        it('drops selected rows that a reload no longer shows', async () => {
            const { element } = await renderLoaded({ mayReplay: true });
            select(element, PAGE.rows);
            await flush();

            searchAudits.emit({ ...PAGE, rows: [PAGE.rows[1]], totalCount: 1 });
            await flush();

            expect($(element, 'lightning-datatable').selectedRows).toEqual(['a01000000000002AAA']);
        });

        it('keeps bulk Replay disabled without the custom permission', async () => {
            const { element } = await renderLoaded({ mayReplay: false });
            select(element, PAGE.rows);
            await flush();

            expect($(element, 'lightning-button.replay-selected').disabled).toBe(true);
        });
    });

    describe('stale heartbeat', () => {
        it('shows no banner while every connection reported within its limit', async () => {
            const { element } = await renderLoaded();

            expect($(element, '.stale-banner')).toBeNull();
        });

        it('names the connections whose heartbeat is older than the limit', async () => {
            clock.mockReturnValue(HEARTBEAT_AT + 16 * MINUTE);
            const bridges = [BRIDGES[0], { ...BRIDGES[1], lastHeartbeat: new Date(HEARTBEAT_AT + 10 * MINUTE).toISOString() }];
            const { element } = await renderLoaded({ bridges });

            const banner = $(element, '.stale-banner');
            expect(banner.getAttribute('role')).toBe('alert');
            expect($(element, '.stale-banner-text').textContent).toBe('No heartbeat for more than 15 minutes from: acme-prod.');
        });

        it('counts a connection that never sent a heartbeat as stale and falls back to 15 minutes', async () => {
            const bridges = [{ ...BRIDGES[1], lastHeartbeat: null, staleAfterMinutes: undefined }];
            const { element } = await renderLoaded({ bridges });

            expect($(element, '.stale-banner-text').textContent).toBe('No heartbeat for more than 15 minutes from: acme-test.');
        });

        it('raises the banner as time passes, without asking the server again', async () => {
            // Timers only: the test moves the clock itself, through the Date.now spy.
            jest.useFakeTimers({ doNotFake: ['Date'] });
            try {
                const { element } = render();
                getBridgeStatus.emit(BRIDGES);
                await Promise.resolve();
                expect($(element, '.stale-banner')).toBeNull();

                clock.mockReturnValue(HEARTBEAT_AT + 20 * MINUTE);
                jest.advanceTimersByTime(MINUTE);
                await Promise.resolve();

                expect($(element, '.stale-banner-text').textContent).toBe('No heartbeat for more than 15 minutes from: acme-prod, acme-test.');
                expect(refreshApex).not.toHaveBeenCalled();
            } finally {
                jest.useRealTimers();
            }
        });

        it('stops its clock when removed from the page', async () => {
            const clear = jest.spyOn(window, 'clearInterval');
            const { element } = await renderLoaded();

            document.body.removeChild(element);

            expect(clear).toHaveBeenCalledTimes(1);
            clear.mockRestore();
        });
    });

    describe('empty state', () => {
        it('says when nothing matches, has no summary and no bridge, each with the next step', async () => {
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
            expect($(element, '.stale-banner')).toBeNull();
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
            requestReplay.mockRejectedValue({ body: { message: 'You cannot request replays: ask for QAD_Sync_Replay.' } });
            const { element, toasts } = await renderLoaded();

            rowAction(element, 'replay', PAGE.rows[0]);
            await flush();

            expect($(element, 'c-error-panel').errors[0].body.message).toBe('You cannot request replays: ask for QAD_Sync_Replay.');
            expect(toasts).toEqual([]);
        });

        it('shows a failed detail load in the error panel and no detail, and forgets it on close', async () => {
            const { element } = await renderLoaded();

            rowAction(element, 'view_details', PAGE.rows[0]);
            getAuditDetail.error({ message: 'Audit row a01 was not found or you cannot see it; refresh the list.' });
            await flush();

            expect($(element, '.detail')).toBeNull();
            expect($(element, 'c-error-panel').errors[0].body.message).toBe('Audit row a01 was not found or you cannot see it; refresh the list.');
            getAuditDetail.emit(DETAIL);
            await flush();
            expect($(element, 'c-error-panel')).toBeNull();
            $(element, 'lightning-button-icon.detail-close').click();
            await flush();
            expect($(element, '.detail')).toBeNull();
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
        it('is accessible when loaded, with the detail panel open and a stale-heartbeat banner', async () => {
            clock.mockReturnValue(HEARTBEAT_AT + 30 * MINUTE);
            const { element } = await renderLoaded();
            rowAction(element, 'view_details', PAGE.rows[0]);
            getAuditDetail.emit(DETAIL);
            await flush();

            expect($(element, '.stale-banner')).not.toBeNull();
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
