import { createElement } from 'lwc';
import SyncGettingStarted from 'c/syncGettingStarted';
import getSetupStatus from '@salesforce/apex/SyncConsoleController.getSetupStatus';
import scheduleRetention from '@salesforce/apex/SyncConsoleController.scheduleRetention';

const SETUP = require('./data/getSetupStatus.json');

// Both are called imperatively: the check list must never come from a cache.
jest.mock('@salesforce/apex/SyncConsoleController.getSetupStatus', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/SyncConsoleController.scheduleRetention', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/label/c.QAD_Sync_Setup_Progress', () => ({ default: '{0} of {1} steps done' }), { virtual: true });

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));
const $ = (element, selector) => element.shadowRoot.querySelector(selector);
const $$ = (element, selector) => [...element.shadowRoot.querySelectorAll(selector)];

const withRetentionDone = () => ({
    ...SETUP,
    doneCount: SETUP.doneCount + 1,
    steps: SETUP.steps.map((step) =>
        step.name === 'retention' ? { ...step, done: true, nextStep: null, detail: 'The job "QAD Sync audit retention" deletes expired audit rows every day.' } : step
    )
});
const allDone = () => ({
    ...SETUP,
    doneCount: SETUP.steps.length,
    steps: SETUP.steps.map((step) => ({ ...step, done: true, nextStep: null }))
});

async function render(status = SETUP) {
    getSetupStatus.mockResolvedValue(status);
    const element = createElement('c-sync-getting-started', { is: SyncGettingStarted });
    document.body.appendChild(element);
    const toasts = [];
    element.addEventListener('lightning__showtoast', (event) => toasts.push(event.detail));
    await flush();
    return { element, toasts };
}

const step = (element, name) => $(element, `li[data-step="${name}"]`);

describe('c-sync-getting-started', () => {
    afterEach(() => {
        while (document.body.firstChild) {
            document.body.removeChild(document.body.firstChild);
        }
        jest.clearAllMocks();
    });

    describe('happy path', () => {
        it('lists every step with what it found, and the next step for each open one', async () => {
            const { element } = await render();

            expect(getSetupStatus).toHaveBeenCalledTimes(1);
            expect($$(element, 'li.step').map((item) => item.dataset.step)).toEqual([
                'orders',
                'integrationUser',
                'admins',
                'retention',
                'heartbeat',
                'changeEvents'
            ]);
            expect($(element, '.progress').textContent).toBe('3 of 6 steps done');
            const retention = step(element, 'retention');
            expect(retention.className).toContain('step-open');
            expect(retention.querySelector('.step-title').textContent).toBe('Audit retention is scheduled');
            expect(retention.querySelector('.step-detail').textContent).toBe(SETUP.steps[3].detail);
            expect(retention.querySelector('.step-next').textContent).toContain('Press Schedule retention.');
            expect(retention.querySelector('lightning-icon').alternativeText).toBe('c.QAD_Sync_Setup_Step_Open');
            const orders = step(element, 'orders');
            expect(orders.className).toContain('step-done');
            expect(orders.querySelector('lightning-icon').iconName).toBe('utility:success');
            expect(orders.querySelector('.step-next')).toBeNull();
            expect($(element, '.all-done')).toBeNull();
        });

        it('offers the retention action to a permitted admin, runs it once and shows the result', async () => {
            scheduleRetention.mockResolvedValue(withRetentionDone());
            const { element, toasts } = await render();

            const actions = $$(element, 'lightning-button.step-action');
            expect(actions).toHaveLength(1);
            expect(actions[0].label).toBe('c.QAD_Sync_Setup_Action_Schedule');
            expect(step(element, 'heartbeat').querySelector('lightning-button.step-action')).toBeNull();

            actions[0].click();
            await flush();

            expect(scheduleRetention).toHaveBeenCalledTimes(1);
            expect(step(element, 'retention').className).toContain('step-done');
            expect(step(element, 'retention').querySelector('lightning-button.step-action')).toBeNull();
            expect($(element, '.progress').textContent).toBe('4 of 6 steps done');
            expect(toasts).toEqual([{ title: 'c.QAD_Sync_Setup_Title', message: 'c.QAD_Sync_Setup_Action_Done', variant: 'success' }]);
        });

        it('checks again on request, showing what changed elsewhere', async () => {
            const { element } = await render();
            getSetupStatus.mockResolvedValue(withRetentionDone());

            $(element, 'lightning-button.check-again').click();
            await flush();

            expect(getSetupStatus).toHaveBeenCalledTimes(2);
            expect(step(element, 'retention').className).toContain('step-done');
        });

        it('tells a viewer who runs the action instead of offering it', async () => {
            const { element } = await render({ ...SETUP, canRunActions: false });

            expect($(element, 'lightning-button.step-action')).toBeNull();
            expect(step(element, 'retention').querySelector('.step-denied').textContent).toBe('c.QAD_Sync_Setup_Action_Denied');
        });

        it('folds a finished list away, says so, and unfolds it on request', async () => {
            const { element } = await render(allDone());

            expect($(element, '.all-done').textContent).toBe('c.QAD_Sync_Setup_All_Done');
            expect($(element, 'ol.steps')).toBeNull();
            const toggle = $(element, 'lightning-button-icon.toggle');
            expect(toggle.alternativeText).toBe('c.QAD_Sync_Setup_Show');

            toggle.click();
            await flush();
            expect($$(element, 'li.step-done')).toHaveLength(6);
            expect(toggle.alternativeText).toBe('c.QAD_Sync_Setup_Hide');
        });
    });

    describe('error path', () => {
        it('shows a failed check in the error panel', async () => {
            getSetupStatus.mockRejectedValue({ body: { message: 'QAD Sync could not finish the request: boom' } });
            const element = createElement('c-sync-getting-started', { is: SyncGettingStarted });
            document.body.appendChild(element);
            await flush();

            expect($(element, 'c-error-panel').errors.body.message).toBe('QAD Sync could not finish the request: boom');
            expect($(element, 'ol.steps')).toBeNull();
            expect($(element, 'lightning-spinner')).toBeNull();
        });

        it('shows a refused action in the error panel, keeps the step open and toasts nothing', async () => {
            scheduleRetention.mockRejectedValue({ body: { message: 'You cannot run QAD Sync setup actions.' } });
            const { element, toasts } = await render();

            $(element, 'lightning-button.step-action').click();
            await flush();

            expect($(element, 'c-error-panel').errors.body.message).toBe('You cannot run QAD Sync setup actions.');
            expect(step(element, 'retention').className).toContain('step-open');
            expect(toasts).toEqual([]);
            expect($(element, 'lightning-button.step-action').disabled).toBe(false);
        });
    });

    describe('accessibility', () => {
        it('is accessible, with a labelled section, a toggle that says what it controls and announced progress', async () => {
            const { element } = await render();

            const section = $(element, 'section');
            expect($(element, `[id="${section.getAttribute('aria-labelledby')}"]`).textContent).toBe('c.QAD_Sync_Setup_Title');
            const toggle = $(element, 'lightning-button-icon.toggle');
            expect(toggle.getAttribute('aria-expanded')).toBe('true');
            expect(toggle.getAttribute('aria-controls')).toBeTruthy();
            expect($(element, '.progress').getAttribute('aria-live')).toBe('polite');
            for (const icon of $$(element, 'lightning-icon')) {
                expect(icon.alternativeText).toMatch(/^c\.QAD_Sync_Setup_Step_/);
            }
            await expect(element).toBeAccessible();
        });

        it('is accessible when the check fails', async () => {
            getSetupStatus.mockRejectedValue({ body: { message: 'failed' } });
            const element = createElement('c-sync-getting-started', { is: SyncGettingStarted });
            document.body.appendChild(element);
            await flush();

            await expect(element).toBeAccessible();
        });
    });
});
