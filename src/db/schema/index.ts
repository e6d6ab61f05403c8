/**
 * Drizzle tables (snake_case columns). `migrations/` is generated from this file by drizzle-kit;
 * the database-side guards (append-only triggers, CHECKs drizzle cannot express) live in custom
 * migrations next to the generated ones.
 */
export * from './tenancy.js';
export * from './ledger.js';
export * from './payments.js';
export * from './recon.js';
export * from './saved-numbers.js';
export * from './counter.js';
export * from './autodebet.js';
