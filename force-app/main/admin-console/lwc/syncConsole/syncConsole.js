import { LightningElement, wire } from 'lwc';
import { refreshApex } from '@salesforce/apex';
import { ShowToastEvent } from 'lightning/platformShowToastEvent';
import getSummary from '@salesforce/apex/SyncConsoleController.getSummary';
import searchAudits from '@salesforce/apex/SyncConsoleController.searchAudits';
import getAuditDetail from '@salesforce/apex/SyncConsoleController.getAuditDetail';
import requestReplay from '@salesforce/apex/SyncConsoleController.requestReplay';
import getBridgeStatus from '@salesforce/apex/SyncConsoleController.getBridgeStatus';
import canReplay from '@salesforce/apex/SyncConsoleController.canReplay';
import { ANY_VALUE, formatLabel, objectLabel, objectOptions, recordUrl, statusLabel, statusOptions } from 'c/syncOptions';
import { auditColumns, columnForSortField, SORT_FIELDS, withLinks } from './auditColumns';
import { LABELS } from './consoleLabels';

const PAGE_SIZE = 50;
const DEFAULT_SORT_FIELD = 'CreatedDate';
// Used when a status row predates staleAfterMinutes; the same default as QAD_Sync_Setting__mdt.
const DEFAULT_STALE_MINUTES = 15;
// How often the stale-heartbeat banner looks at the clock again, without asking the server.
const CLOCK_TICK_MS = 60 * 1000;
// Refused rows named in the one summary toast; the rest are counted.
const REFUSALS_NAMED = 3;

/**
 * Admin console of the QAD sync: what is left to set up (Getting started), what happened (summary tiles
 * and the audit table), why a row failed (detail panel), whether the bridge is alive (bridge status and
 * the stale-heartbeat banner), and Replay for failed rows.
 * Searching, paging and sorting happen in SyncConsoleController so the table never holds more than one
 * page of Sync_Audit__c. The selection is bound to the table and only ever holds rows of the page shown:
 * it is cleared whenever the page, the order or the filters change and after a replay, so Replay can only
 * act on rows the admin is looking at.
 */
export default class SyncConsole extends LightningElement {
    label = LABELS;
    objectOptions = objectOptions();
    statusOptions = statusOptions();
    columns = auditColumns((row, done) => done(this.rowActionsFor(row)));

    // Filters, sort and page: the reactive parameters of the searchAudits wire.
    objectFilter = ANY_VALUE;
    statusFilter = ANY_VALUE;
    fromDate = null;
    toDate = null;
    // What the date inputs show; copied to fromDate/toDate only while the range is valid.
    fromInput = null;
    toInput = null;
    sortBy = DEFAULT_SORT_FIELD;
    sortDirection = 'desc';
    pageSize = PAGE_SIZE;
    pageNumber = 1;

    summary = [];
    auditPage;
    bridges = [];
    mayReplay = false;
    selectedIds = [];
    detailId;
    detail;
    replaying = false;
    rangeInvalid = false;
    now = Date.now();

    // Failures by source, so a later success of one call clears only its own failure.
    failures = {};

    wiredSummary;
    wiredAudits;
    wiredBridges;
    wiredDetail;
    clock;

    connectedCallback() {
        // The banner compares heartbeats with the clock; a cached status must still turn stale on time.
        // eslint-disable-next-line @lwc/lwc/no-async-operation
        this.clock = setInterval(() => {
            this.now = Date.now();
        }, CLOCK_TICK_MS);
    }

    disconnectedCallback() {
        clearInterval(this.clock);
    }

    @wire(getSummary)
    receiveSummary(result) {
        this.wiredSummary = result;
        this.takeResult('summary', result, (data) => {
            this.summary = data;
        });
    }

    @wire(searchAudits, {
        objectName: '$objectFilter',
        status: '$statusFilter',
        fromDate: '$fromDate',
        toDate: '$toDate',
        sortBy: '$sortBy',
        sortDirection: '$sortDirection',
        pageSize: '$pageSize',
        pageNumber: '$pageNumber'
    })
    receiveAudits(result) {
        this.wiredAudits = result;
        this.takeResult('audits', result, (data) => {
            this.auditPage = data;
            // A refresh can drop rows (a replayed row leaves a Failed filter): never keep one selected.
            const shown = new Set((data.rows ?? []).map((row) => row.id));
            this.selectedIds = this.selectedIds.filter((id) => shown.has(id));
        });
    }

    @wire(getAuditDetail, { auditId: '$detailId' })
    receiveDetail(result) {
        this.wiredDetail = result;
        if (result.error) {
            this.detail = undefined;
            this.setFailure('detail', result.error);
        } else if (result.data) {
            this.detail = result.data;
            this.setFailure('detail', undefined);
        }
    }

    @wire(getBridgeStatus)
    receiveBridges(result) {
        this.wiredBridges = result;
        this.takeResult('bridge', result, (data) => {
            this.bridges = data;
        });
    }

    @wire(canReplay)
    receiveCanReplay({ data, error }) {
        // Unknown means no: the button stays disabled and the server would refuse anyway.
        this.mayReplay = data === true && !error;
    }

    takeResult(source, { data, error }, apply) {
        if (error) {
            this.setFailure(source, error);
        } else if (data !== undefined) {
            this.setFailure(source, undefined);
            apply(data ?? []);
        }
    }

    setFailure(source, error) {
        this.failures = { ...this.failures, [source]: error };
    }

    get errors() {
        return Object.values(this.failures).filter((error) => error !== undefined);
    }

    get hasErrors() {
        return this.errors.length > 0;
    }

    // ---- summary tiles

    get summaryTiles() {
        const byObject = new Map();
        for (const tile of this.summary) {
            if (!byObject.has(tile.objectName)) {
                byObject.set(tile.objectName, { key: tile.objectName, title: objectLabel(tile.objectName), total: 0, statuses: [] });
            }
            const entry = byObject.get(tile.objectName);
            entry.total += tile.recordCount;
            entry.statuses.push({ key: `${tile.objectName}-${tile.status}`, label: statusLabel(tile.status), count: tile.recordCount });
        }
        return [...byObject.values()];
    }

    get hasSummary() {
        return this.summary.length > 0;
    }

    // ---- audit table

    get rows() {
        return (this.auditPage?.rows ?? []).map((row) => ({
            ...withLinks(row, this.label.BLANK_KEY),
            statusLabel: statusLabel(row.status),
            objectLabel: objectLabel(row.objectName)
        }));
    }

    get auditsLoaded() {
        return this.auditPage !== undefined;
    }

    get isAuditsLoading() {
        return !this.auditsLoaded && !this.failures.audits;
    }

    get isEmpty() {
        return this.auditsLoaded && this.rows.length === 0;
    }

    get hasRows() {
        return this.rows.length > 0;
    }

    get sortedByColumn() {
        return columnForSortField(this.sortBy);
    }

    get totalCount() {
        return this.auditPage?.totalCount ?? 0;
    }

    get totalPages() {
        return Math.max(1, Math.ceil(this.totalCount / this.pageSize));
    }

    get pageText() {
        return formatLabel(this.label.PAGE_OF, this.pageNumber, this.totalPages);
    }

    get totalText() {
        return formatLabel(this.label.TOTAL_ROWS, this.totalCount);
    }

    get isFirstPage() {
        return this.pageNumber <= 1;
    }

    get isLastPage() {
        return this.pageNumber >= this.totalPages;
    }

    get replaySelectedDisabled() {
        return !this.mayReplay || this.replaying || this.selectedIds.length === 0;
    }

    rowActionsFor(row) {
        return [
            { label: this.label.VIEW_DETAILS, name: 'view_details' },
            { label: this.label.REPLAY, name: 'replay', disabled: !(this.mayReplay && row.replayable) }
        ];
    }

    // Every change of what the table shows starts from page 1 with nothing selected.
    showFromStart() {
        this.pageNumber = 1;
        this.selectedIds = [];
    }

    handleSort(event) {
        const { fieldName, sortDirection } = event.detail;
        this.sortBy = SORT_FIELDS[fieldName] ?? DEFAULT_SORT_FIELD;
        this.sortDirection = sortDirection === 'asc' ? 'asc' : 'desc';
        this.showFromStart();
    }

    handleRowSelection(event) {
        this.selectedIds = event.detail.selectedRows.map((row) => row.id);
    }

    handleRowAction(event) {
        const { action, row } = event.detail;
        if (action.name === 'view_details') {
            this.showDetail(row.id);
        } else if (action.name === 'replay') {
            this.replay([row.id]);
        }
    }

    handlePrevious() {
        this.pageNumber = Math.max(1, this.pageNumber - 1);
        this.selectedIds = [];
    }

    handleNext() {
        this.pageNumber = Math.min(this.totalPages, this.pageNumber + 1);
        this.selectedIds = [];
    }

    // ---- filters

    handleObjectChange(event) {
        this.objectFilter = event.detail.value;
        this.showFromStart();
    }

    handleStatusChange(event) {
        this.statusFilter = event.detail.value;
        this.showFromStart();
    }

    handleFromChange(event) {
        this.fromInput = event.detail.value || null;
        this.applyRange();
    }

    handleToChange(event) {
        this.toInput = event.detail.value || null;
        this.applyRange();
    }

    applyRange() {
        // ISO dates (yyyy-mm-dd) compare correctly as strings. An inverted range is not sent to the
        // server: the table keeps the last valid search while the message says what to fix.
        this.rangeInvalid = Boolean(this.fromInput && this.toInput && this.fromInput > this.toInput);
        if (!this.rangeInvalid) {
            this.fromDate = this.fromInput;
            this.toDate = this.toInput;
            this.showFromStart();
        }
    }

    handleClearFilters() {
        this.objectFilter = ANY_VALUE;
        this.statusFilter = ANY_VALUE;
        this.fromDate = null;
        this.toDate = null;
        this.fromInput = null;
        this.toInput = null;
        this.rangeInvalid = false;
        this.showFromStart();
    }

    // ---- detail panel

    showDetail(auditId) {
        this.detail = undefined;
        this.detailId = auditId;
    }

    handleCloseDetail() {
        this.detailId = undefined;
        this.detail = undefined;
        this.setFailure('detail', undefined);
    }

    get detailTitle() {
        return formatLabel(this.label.DETAIL_TITLE, this.detail.row.name);
    }

    get detailStatus() {
        return statusLabel(this.detail.row.status);
    }

    get detailRecordUrl() {
        const { objectName, salesforceRecordId } = this.detail.row;
        return salesforceRecordId ? recordUrl(objectName, salesforceRecordId) : undefined;
    }

    get detailReplayOfUrl() {
        return this.detail.replayOfId ? recordUrl('Sync_Audit__c', this.detail.replayOfId) : undefined;
    }

    get detailErrorCode() {
        return this.detail.row.errorCode || this.label.BLANK_KEY;
    }

    get detailCorrelationId() {
        return this.detail.row.correlationId || this.label.BLANK_KEY;
    }

    get detailPayloadHash() {
        return this.detail.payloadHash || this.label.BLANK_KEY;
    }

    // ---- replay

    handleReplaySelected() {
        this.replay(this.selectedIds);
    }

    async replay(auditIds) {
        this.replaying = true;
        try {
            const result = await requestReplay({ auditIds });
            this.setFailure('replay', undefined);
            this.announceReplay(result);
            this.selectedIds = [];
            await this.refreshAll();
        } catch (error) {
            this.setFailure('replay', error);
        } finally {
            this.replaying = false;
        }
    }

    announceReplay({ requestedCount, refusals = [] }) {
        if (requestedCount > 0) {
            this.toast(this.label.REPLAY_REQUESTED_TITLE, formatLabel(this.label.REPLAY_REQUESTED_MESSAGE, requestedCount), 'success');
        }
        if (refusals.length > 0) {
            // One toast for every refused row: a toast each would bury the screen for a large selection.
            const named = refusals.slice(0, REFUSALS_NAMED).map((refusal) => refusal.message);
            const more = refusals.length - named.length;
            const message = more > 0 ? [...named, formatLabel(this.label.REPLAY_REFUSED_MORE, more)] : named;
            this.toast(formatLabel(this.label.REPLAY_REFUSED_SUMMARY, refusals.length), message.join(' '), 'warning');
        }
    }

    toast(title, message, variant) {
        this.dispatchEvent(new ShowToastEvent({ title, message, variant }));
    }

    // ---- bridge status

    get bridgeRows() {
        return this.bridges.map((bridge) => ({
            ...bridge,
            key: bridge.connectionId,
            apiBudget: formatLabel(this.label.BRIDGE_API_BUDGET_VALUE, bridge.apiRequestsUsed ?? '-', bridge.apiRequestsMax ?? '-'),
            cdcState: bridge.cdcSubscriptionState || this.label.BLANK_KEY,
            hasLastError: Boolean(bridge.lastError)
        }));
    }

    get hasBridges() {
        return this.bridges.length > 0;
    }

    get staleBridges() {
        return this.bridges.filter((bridge) => {
            const limitMs = (bridge.staleAfterMinutes ?? DEFAULT_STALE_MINUTES) * 60 * 1000;
            return !bridge.lastHeartbeat || this.now - new Date(bridge.lastHeartbeat).getTime() > limitMs;
        });
    }

    get hasStaleBridges() {
        return this.staleBridges.length > 0;
    }

    get staleBannerText() {
        const stale = this.staleBridges;
        const minutes = Math.min(...stale.map((bridge) => bridge.staleAfterMinutes ?? DEFAULT_STALE_MINUTES));
        return formatLabel(this.label.STALE_BANNER, minutes, stale.map((bridge) => bridge.connectionId).join(', '));
    }

    // ---- refresh

    async handleRefresh() {
        try {
            this.now = Date.now();
            await this.refreshAll();
        } catch (error) {
            this.setFailure('refresh', error);
        }
    }

    async refreshAll() {
        const refreshes = [refreshApex(this.wiredSummary), refreshApex(this.wiredAudits), refreshApex(this.wiredBridges)];
        if (this.detailId) {
            // The detail may show a row the replay just changed; reload it with the rest.
            refreshes.push(refreshApex(this.wiredDetail));
        }
        await Promise.all(refreshes);
        this.setFailure('refresh', undefined);
    }
}
