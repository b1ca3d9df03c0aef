export { QadClient, type QadClientConfig, type QadClientDeps } from './client.js';
export type { QadPage } from './adapter.js';
export * from './errors.js';
export { InMemoryHashStore } from './hashStore.js';
export { contentHash } from './mapping.js';
export { salesOrderNumberFor } from './orderNumber.js';
export { loadQadProfile, parseQadProfile, withOverrides, QAD_OBJECTS, QAD_LIST_OBJECTS, type QadProfile, type QadObjectName, type QadListObject } from './profile.js';
export type { HashStore, PollResult, QadPoll, QadReadPage, QadRecord, QadRecordPage, QadRecordProblem, QadRecordRejectionCode, QadRejectedRecord, QadWorkspace, QadCredentials, SalesOrderInput, SalesOrderLineInput, SalesOrderOutcome } from './types.js';
export { validateTenantUrl, validateEntityPath, checkResolvedHost, type HostResolver } from './urlPolicy.js';
