import { LightningElement } from 'lwc';
import { ShowToastEvent } from 'lightning/platformShowToastEvent';
import getSetupStatus from '@salesforce/apex/SyncConsoleController.getSetupStatus';
import scheduleRetention from '@salesforce/apex/SyncConsoleController.scheduleRetention';
import { formatLabel } from 'c/syncOptions';
import TITLE from '@salesforce/label/c.QAD_Sync_Setup_Title';
import PROGRESS from '@salesforce/label/c.QAD_Sync_Setup_Progress';
import CHECK_AGAIN from '@salesforce/label/c.QAD_Sync_Setup_Check_Again';
import SHOW from '@salesforce/label/c.QAD_Sync_Setup_Show';
import HIDE from '@salesforce/label/c.QAD_Sync_Setup_Hide';
import STEP_DONE from '@salesforce/label/c.QAD_Sync_Setup_Step_Done';
import STEP_OPEN from '@salesforce/label/c.QAD_Sync_Setup_Step_Open';
import NEXT_STEP from '@salesforce/label/c.QAD_Sync_Setup_Next_Step';
import ACTION_SCHEDULE from '@salesforce/label/c.QAD_Sync_Setup_Action_Schedule';
import ACTION_DONE from '@salesforce/label/c.QAD_Sync_Setup_Action_Done';
import ACTION_DENIED from '@salesforce/label/c.QAD_Sync_Setup_Action_Denied';
import ALL_DONE from '@salesforce/label/c.QAD_Sync_Setup_All_Done';
import LOADING from '@salesforce/label/c.QAD_Sync_Loading';

// Console actions a step may offer, by the actionName SyncSetupService gives it.
const ACTIONS = {
    scheduleRetention: { label: ACTION_SCHEDULE, run: scheduleRetention, doneMessage: ACTION_DONE }
};

/**
 * Getting started check list of the QAD Sync console. Unlocked packages run no post-install script, so
 * this is where an admin sees, live, what the org still needs (Orders, permission sets, retention, a
 * bridge heartbeat, the change-event subscription) with the next step for each, and runs the steps Apex
 * can take itself. The checks are read imperatively, never from the cache: a step the admin just took
 * in another tab must show as done on "Check again".
 */
export default class SyncGettingStarted extends LightningElement {
    label = { TITLE, CHECK_AGAIN, NEXT_STEP, ACTION_DENIED, ALL_DONE, LOADING };

    status;
    errors;
    loading = false;
    running = false;
    expanded = true;

    connectedCallback() {
        this.load();
    }

    async load() {
        this.loading = true;
        try {
            this.apply(await getSetupStatus());
        } catch (error) {
            this.errors = error;
        } finally {
            this.loading = false;
        }
    }

    apply(status) {
        this.status = status;
        this.errors = undefined;
        // Open while something is left to do; a finished list folds away but stays one click from view.
        this.expanded = !this.allDone;
    }

    get hasErrors() {
        return this.errors !== undefined;
    }

    get loaded() {
        return this.status !== undefined;
    }

    get steps() {
        const canRun = this.status?.canRunActions === true;
        return (this.status?.steps ?? []).map((step) => {
            const action = step.done ? undefined : ACTIONS[step.actionName];
            return {
                ...step,
                iconName: step.done ? 'utility:success' : 'utility:warning',
                iconVariant: step.done ? 'success' : 'warning',
                stateText: step.done ? STEP_DONE : STEP_OPEN,
                itemClass: step.done ? 'step step-done slds-var-p-vertical_x-small' : 'step step-open slds-var-p-vertical_x-small',
                hasAction: Boolean(action) && canRun,
                actionDenied: Boolean(action) && !canRun,
                actionLabel: action?.label
            };
        });
    }

    get allDone() {
        return this.loaded && this.status.steps.length > 0 && this.status.doneCount === this.status.steps.length;
    }

    get progressText() {
        return formatLabel(PROGRESS, this.status?.doneCount ?? 0, this.status?.steps?.length ?? 0);
    }

    get toggleLabel() {
        return this.expanded ? HIDE : SHOW;
    }

    get toggleIcon() {
        return this.expanded ? 'utility:chevrondown' : 'utility:chevronright';
    }

    get ariaExpanded() {
        return String(this.expanded);
    }

    get showSteps() {
        return this.loaded && this.expanded;
    }

    handleToggle() {
        this.expanded = !this.expanded;
    }

    handleCheckAgain() {
        this.load();
    }

    async handleAction(event) {
        const action = ACTIONS[event.target.dataset.action];
        this.running = true;
        try {
            this.apply(await action.run());
            this.dispatchEvent(new ShowToastEvent({ title: TITLE, message: action.doneMessage, variant: 'success' }));
        } catch (error) {
            this.errors = error;
        } finally {
            this.running = false;
        }
    }
}
