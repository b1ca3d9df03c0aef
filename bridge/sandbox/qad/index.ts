export { startSimulatedQadTenant, type QadTenantOptions, type SimulatedQadTenant, type QadSandboxDescription } from './tenant.js';
export type { QadTenantControl } from './control.js';
export { loadQadSeed, generateCustomers, DEFAULT_SEED_FILE, type QadSeed } from './seed.js';
