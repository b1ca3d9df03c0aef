import { ANY_VALUE, formatLabel, objectLabel, objectOptions, recordUrl, statusBadgeClass, statusLabel, statusOptions } from 'c/syncOptions';

describe('c/syncOptions', () => {
    it('offers "any" first and then every Sync_Audit__c picklist value', () => {
        expect(objectOptions().map((o) => o.value)).toEqual([ANY_VALUE, 'Account', 'Contact', 'Product2', 'Order']);
        expect(statusOptions().map((o) => o.value)).toEqual([
            ANY_VALUE,
            'Succeeded',
            'Failed',
            'Retrying',
            'Waiting',
            'Skipped',
            'Replay Requested',
            'Replayed'
        ]);
        expect(statusOptions()[0].label).toBe('c.QAD_Sync_Filter_Any');
    });

    it('labels known values and passes unknown ones through', () => {
        expect(statusLabel('Replay Requested')).toBe('c.QAD_Sync_Status_Replay_Requested');
        expect(statusLabel('Archived')).toBe('Archived');
        expect(objectLabel('Product2')).toBe('c.QAD_Sync_Object_Product2');
        expect(objectLabel('Invoice')).toBe('Invoice');
    });

    it('themes failures as errors and unknown statuses as default', () => {
        expect(statusBadgeClass('Failed')).toBe('slds-theme_error');
        expect(statusBadgeClass('Succeeded')).toBe('slds-theme_success');
        expect(statusBadgeClass('Archived')).toBe('slds-theme_default');
    });

    it('fills numbered placeholders and leaves missing ones visible', () => {
        expect(formatLabel('Page {0} of {1}', 2, 7)).toBe('Page 2 of 7');
        expect(formatLabel('{0} of {1}', 5)).toBe('5 of {1}');
    });

    it('builds relative Lightning record addresses, so a link stays in the current app', () => {
        expect(recordUrl('Sync_Audit__c', 'a01000000000001AAA')).toBe('/lightning/r/Sync_Audit__c/a01000000000001AAA/view');
        expect(recordUrl('Order', '80100000000000AAAA')).toBe('/lightning/r/Order/80100000000000AAAA/view');
    });
});
