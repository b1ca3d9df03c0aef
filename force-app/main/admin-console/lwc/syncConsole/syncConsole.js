import { LightningElement, wire } from 'lwc';
import { refreshApex } from '@salesforce/apex';
import { ShowToastEvent } from 'lightning/platformShowToastEvent';
import getSummary from '@salesforce/apex/SyncConsoleController.getSummary';
import searchAudits from '@salesforce/apex/SyncConsoleController.searchAudits';
import getAuditDetail from '@salesforce/apex/SyncConsoleController.getAuditDetail';
import requestReplay from '@salesforce/apex/SyncConsoleController.requestReplay';
import getBridgeStatus from '@salesforce/apex/SyncConsoleController.getBridgeStatus';
import canReplay from '@salesforce/apex/SyncConsoleController.canReplay';
import { ANY_VALUE, formatLabel, objectLabel, objectOptions, statusLabel, statusOptions } from 'c/syncOptions';
import { auditColumns, columnForSortField, SORT_FIELDS } from './auditColumns';
import { LABELS } from './consoleLabels';

const PAGE_SIZE = 50;
const DEFAULT_SORT_FIELD = 'Occurred_At__c';

/**
 * Admin console of the QAD sync: what happened (summary tiles and the audit table), why a row failed
 * (detail panel), whether the bridge is alive (bridge status), and Replay for failed rows.
 * Searching, paging and sorting happen in SyncConsoleController so the table never holds more than
 * one page of Sync_Audit__c.
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
    detail;
    replaying = false;
    rangeInvalid = false;

    // Failures by source, so a later success of one call clears only its own failure.
    failures = {};

    wiredSummary;
    wiredAudits;
    wiredBridges;

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
        });
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
            ...row,
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

    handleSort(event) {
        const { fieldName, sortDirection } = event.detail;
        this.sortBy = SORT_FIELDS[fieldName] ?? DEFAULT_SORT_FIELD;
        this.sortDirection = sortDirection === 'asc' ? 'asc' : 'desc';
        this.pageNumber = 1;
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
    }

    handleNext() {
        this.pageNumber = Math.min(this.totalPages, this.pageNumber + 1);
    }

    // ---- filters

    handleObjectChange(event) {
        this.objectFilter = event.detail.value;
        this.pageNumber = 1;
    }

    handleStatusChange(event) {
        this.statusFilter = event.detail.value;
        this.pageNumber = 1;
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
            this.pageNumber = 1;
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
        this.pageNumber = 1;
    }

    // ---- detail panel

    async showDetail(auditId) {
        try {
            this.detail = await getAuditDetail({ auditId });
            this.setFailure('detail', undefined);
        } catch (error) {
            this.detail = undefined;
            this.setFailure('detail', error);
        }
    }

    handleCloseDetail() {
        this.detail = undefined;
    }

    get detailTitle() {
        return formatLabel(this.label.DETAIL_TITLE, this.detail.row.name);
    }

    get detailStatus() {
        return statusLabel(this.detail.row.status);
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

    announceReplay({ requestedCount, refusals }) {
        if (requestedCount > 0) {
            this.toast(this.label.REPLAY_REQUESTED_TITLE, formatLabel(this.label.REPLAY_REQUESTED_MESSAGE, requestedCount), 'success');
        }
        for (const refusal of refusals ?? []) {
            this.toast(formatLabel(this.label.REPLAY_REFUSED_TITLE, refusal.name), refusal.message, 'warning');
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
            hasLastError: Boolean(bridge.lastError)
        }));
    }

    get hasBridges() {
        return this.bridges.length > 0;
    }

    // ---- refresh

    async handleRefresh() {
        try {
            await this.refreshAll();
        } catch (error) {
            this.setFailure('refresh', error);
        }
    }

    async refreshAll() {
        await Promise.all([refreshApex(this.wiredSummary), refreshApex(this.wiredAudits), refreshApex(this.wiredBridges)]);
        this.setFailure('refresh', undefined);
    }
}
