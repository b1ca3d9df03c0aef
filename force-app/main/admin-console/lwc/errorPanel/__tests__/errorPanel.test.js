import { createElement } from 'lwc';
import ErrorPanel from 'c/errorPanel';

const APEX_ERROR = { status: 500, body: { message: 'Sync_Audit__c is not readable for this user' } };
const DML_ERROR = {
    body: {
        pageErrors: [{ message: 'Insufficient access' }],
        fieldErrors: { Status__c: [{ message: 'bad value for restricted picklist field' }] }
    }
};

function render(props) {
    const element = createElement('c-error-panel', { is: ErrorPanel });
    Object.assign(element, props);
    document.body.appendChild(element);
    return element;
}

describe('c-error-panel', () => {
    afterEach(() => {
        while (document.body.firstChild) {
            document.body.removeChild(document.body.firstChild);
        }
    });

    it('shows the friendly message and reveals every reduced message on demand', async () => {
        const element = render({ errors: [APEX_ERROR, DML_ERROR], friendlyMessage: 'Could not load audits' });

        const heading = element.shadowRoot.querySelector('.friendly-message');
        expect(heading.textContent).toBe('Could not load audits');
        const details = element.shadowRoot.querySelector('.error-details');
        expect(details.hidden).toBe(true);

        const toggle = element.shadowRoot.querySelector('.details-toggle');
        expect(toggle.textContent.trim()).toBe('c.QAD_Sync_Error_Show_Details');
        toggle.click();
        await Promise.resolve();

        expect(details.hidden).toBe(false);
        expect(toggle.getAttribute('aria-expanded')).toBe('true');
        expect(toggle.textContent.trim()).toBe('c.QAD_Sync_Error_Hide_Details');
        const messages = [...details.querySelectorAll('li')].map((li) => li.textContent);
        expect(messages).toEqual([
            'Sync_Audit__c is not readable for this user',
            'Insufficient access',
            'bad value for restricted picklist field'
        ]);

        toggle.click();
        await Promise.resolve();
        expect(details.hidden).toBe(true);
        expect(toggle.getAttribute('aria-expanded')).toBe('false');
    });

    it('uses the default friendly label and offers no toggle when errors carry no message', () => {
        const element = render({ errors: [{}, null] });

        expect(element.shadowRoot.querySelector('.friendly-message').textContent).toBe('c.QAD_Sync_Error_Friendly');
        expect(element.shadowRoot.querySelector('.details-toggle')).toBeNull();
    });

    it('is announced as an alert and passes accessibility checks', async () => {
        const element = render({ errors: APEX_ERROR });
        element.shadowRoot.querySelector('.details-toggle').click();
        await Promise.resolve();

        expect(element.shadowRoot.querySelector('[role="alert"]')).not.toBeNull();
        await expect(element).toBeAccessible();
    });
});
