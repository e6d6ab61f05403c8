/** Where the tests find Postgres and Redis (the same defaults as the service; overridable). */
export const PG_BASE = process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432';
export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
export const ADMIN_URL = `${PG_BASE}/postgres`;
export const databaseUrl = (name: string) => `${PG_BASE}/${name}`;
/** The role the app runs as in tests, as in production: it cannot rewrite history (src/db/roles.ts). */
export const RUNTIME_ROLE = 'pintu_app';
