import { reduceErrors } from 'c/ldsUtils';

describe('c/ldsUtils reduceErrors', () => {
    it('reads Apex, UI API, DML, JavaScript and network error shapes', () => {
        const messages = reduceErrors([
            { body: { message: 'You do not have the QAD_Sync_Replay permission.' } },
            { body: [{ message: 'first UI API error' }, { message: 'second UI API error' }] },
            { body: { pageErrors: [{ message: 'page error' }], fieldErrors: { Status__c: [{ message: 'field error' }] } } },
            new Error('TypeError in component'),
            { status: 0, statusText: 'Network unavailable' },
            'plain text error'
        ]);

        expect(messages).toEqual([
            'You do not have the QAD_Sync_Replay permission.',
            'first UI API error',
            'second UI API error',
            'page error',
            'field error',
            'TypeError in component',
            'Network unavailable',
            'plain text error'
        ]);
    });

    it('accepts a single error, drops duplicates, blanks and empty entries', () => {
        expect(reduceErrors({ body: { message: 'same' } })).toEqual(['same']);
        expect(reduceErrors([{ message: 'same' }, { body: { message: 'same' } }, null, undefined, { body: {} }, ''])).toEqual(['same']);
        expect(reduceErrors(undefined)).toEqual([]);
    });
});
