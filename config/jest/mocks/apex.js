/**
 * Replaces the platform module `@salesforce/apex` (named exports such as `refreshApex`).
 *
 * sfdx-lwc-jest only stubs `refreshApex` with an anonymous resolved promise, so a test could not
 * tell whether a component asked for fresh data. Mapping the module here (jest.config.js
 * moduleNameMapper) makes `refreshApex` a jest.fn that tests can inspect and make fail.
 */
export const refreshApex = jest.fn(() => Promise.resolve());

export const getSObjectValue = jest.fn();
