/** The audit trail: who/what, when, before, after, why. Append-only in the database. */
import { sql } from 'drizzle-orm';
import type { DbOrTx } from './db/client.js';

export interface AuditEntry {
  koperasiId: string | null;
  actorType:
    | 'admin'
    | 'operator'
    | 'supervisor'
    | 'treasurer'
    | 'pengawas'
    | 'kasir'
    | 'member'
    | 'system'
    | 'upstream';
  actorId: string | null;
  action: string;
  subjectType: string;
  subjectId: string;
  before?: unknown;
  after?: unknown;
  reason?: string | null;
}

const json = (value: unknown) =>
  value === undefined
    ? null
    : JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));

export async function recordAudit(db: DbOrTx, entry: AuditEntry): Promise<void> {
  await db.execute(sql`
    INSERT INTO audit_log (koperasi_id, actor_type, actor_id, action, subject_type, subject_id, before, after, reason)
    VALUES (${entry.koperasiId}, ${entry.actorType}, ${entry.actorId}, ${entry.action}, ${entry.subjectType},
            ${entry.subjectId}, ${json(entry.before)}::jsonb, ${json(entry.after)}::jsonb, ${entry.reason ?? null})`);
}
