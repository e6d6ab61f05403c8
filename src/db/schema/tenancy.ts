/** Tenancy and auth: koperasi, users, fees, idempotency keys, the audit trail. */
import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

import { createdAt, id64, money } from './columns.js';

export const koperasi = pgTable('koperasi', {
  id: uuid('id').primaryKey().defaultRandom(),
  code: text('code').notNull().unique(),
  name: text('name').notNull(),
  /** The city or regency whose cooperative office (Dinas Koperasi) supervises this koperasi. */
  region: text('region'),
  createdAt: createdAt(),
});

export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    koperasiId: uuid('koperasi_id')
      .notNull()
      .references(() => koperasi.id),
    role: text('role', { enum: ['treasurer', 'member', 'pengawas', 'kasir'] }).notNull(),
    /** Treasurers and pengawas: a chosen username. Members: their member number (nomor anggota). */
    username: text('username').notNull(),
    name: text('name').notNull(),
    phone: text('phone'),
    passwordHash: text('password_hash').notNull(),
    pinHash: text('pin_hash'),
    pinFailures: integer('pin_failures').notNull().default(0),
    pinLockedAt: timestamp('pin_locked_at', { withTimezone: true }),
    /**
     * Credentials someone else chose (the treasurer, at registration or a password reset) must be replaced
     * by the user's own before the account may do anything else: the password, and for members the PIN.
     * Together they are the account's "must change credentials" flag, carried in its access tokens.
     */
    mustChangePassword: boolean('must_change_password').notNull().default(false),
    mustChangePin: boolean('must_change_pin').notNull().default(false),
    /** Members: their simpanan sukarela (voluntary savings) account in the koperasi's book. */
    savingsAccountId: id64('savings_account_id'),
    /** A kasir the treasurer disabled: cannot sign in or work the counter any more (kept for the history). */
    disabledAt: timestamp('disabled_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('users_koperasi_username').on(t.koperasiId, t.username)],
);

/**
 * People of the platform side, not of one koperasi: operators (run the platform; what ADMIN_TOKEN does, with a
 * name) and supervisors (cooperative-office staff: read-only across the koperasi of their region).
 */
export const officeUsers = pgTable('office_users', {
  id: uuid('id').primaryKey().defaultRandom(),
  role: text('role', { enum: ['operator', 'supervisor'] }).notNull(),
  username: text('username').notNull().unique(),
  name: text('name').notNull(),
  passwordHash: text('password_hash').notNull(),
  /** Supervisors: the region they oversee (koperasi.region). Operators: null, every koperasi. */
  region: text('region'),
  createdAt: createdAt(),
});

export const fees = pgTable(
  'fees',
  {
    koperasiId: uuid('koperasi_id')
      .notNull()
      .references(() => koperasi.id),
    product: text('product').notNull(),
    amount: money('amount').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    updatedBy: uuid('updated_by'),
  },
  (t) => [
    primaryKey({ columns: [t.koperasiId, t.product] }),
    check('fees_amount_nonnegative', sql`${t.amount} >= 0`),
  ],
);

/**
 * Results of money-moving requests, replayed for the same key; scoped to the caller. Kept
 * IDEMPOTENCY_TTL_HOURS, then purged by the worker (the created_at index serves the purge).
 */
export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    scope: text('scope').notNull(),
    key: text('key').notNull(),
    requestHash: text('request_hash').notNull(),
    statusCode: integer('status_code'),
    responseBody: jsonb('response_body'),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.scope, t.key] }), index('idempotency_keys_created').on(t.createdAt)],
);

/** Who did what, when, before and after, and why. Append-only (trigger). */
export const auditLog = pgTable(
  'audit_log',
  {
    id: id64('id').primaryKey().generatedAlwaysAsIdentity(),
    koperasiId: uuid('koperasi_id'),
    actorType: text('actor_type', {
      enum: [
        'admin',
        'operator',
        'supervisor',
        'treasurer',
        'pengawas',
        'kasir',
        'member',
        'system',
        'upstream',
      ],
    }).notNull(),
    actorId: text('actor_id'),
    action: text('action').notNull(),
    subjectType: text('subject_type').notNull(),
    subjectId: text('subject_id').notNull(),
    before: jsonb('before'),
    after: jsonb('after'),
    reason: text('reason'),
    createdAt: createdAt(),
  },
  (t) => [
    index('audit_log_subject').on(t.subjectType, t.subjectId),
    index('audit_log_koperasi').on(t.koperasiId, t.createdAt),
  ],
);
