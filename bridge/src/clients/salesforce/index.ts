export { SalesforceClient } from './client.js';
export type { Identity } from './auth.js';
export { parseLimitInfo, parseDailyApiRequests } from './budget.js';
export { isSalesforceHost, checkInstanceUrl } from './instanceUrl.js';
export * from './errors.js';
export type * from './types.js';
