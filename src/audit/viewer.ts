/**
 * The audit trail as people read it: one koperasi's entries, newest first, with who did it (named), filters by
 * day (WIB), actor type, action and free text, and pages by id. Shared by the treasurer, the pengawas and
 * the office (which reads any koperasi of its region through the same function).
 */
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { wibDayRange } from '../clock.js';
import type { DbOrTx } from '../db/client.js';
import { AppError } from '../http/errors.js';
import { calendarDateSchema } from '../http/schemas.js';

export const ACTOR_TYPES = [
  'admin',
  'operator',
  'supervisor',
  'treasurer',
  'pengawas',
  'kasir',
  'member',
  'system',
  'upstream',
] as const;

export const auditQuery = z.strictObject({
  from: calendarDateSchema.optional(),
  to: calendarDateSchema.optional(),
  actor: z.enum(ACTOR_TYPES).optional(),
  action: z
    .string()
    .regex(/^[a-z_.-]{1,64}$/, 'an action or its prefix, e.g. member. or payment.resolve')
    .optional(),
  q: z.string().trim().min(1).max(100).optional(),
  cursor: z
    .string()
    .regex(/^\d{1,19}$/, 'a cursor from nextCursor')
    .optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

const json = z.unknown().nullable();
export const auditEntryView = z.object({
  id: z.string(),
  at: z.string(),
  actorType: z.enum(ACTOR_TYPES),
  actorId: z.string().nullable(),
  actorName: z.string().nullable(),
  action: z.string(),
  subjectType: z.string(),
  subjectId: z.string(),
  reason: z.string().nullable(),
  before: json,
  after: json,
});

export const auditPage = z.object({ items: z.array(auditEntryView), nextCursor: z.string().nullable() });

type AuditRow = {
  id: string;
  created_at: Date;
  actor_type: (typeof ACTOR_TYPES)[number];
  actor_id: string | null;
  actor_name: string | null;
  action: string;
  subject_type: string;
  subject_id: string;
  reason: string | null;
  before: unknown;
  after: unknown;
};

const dayStart = (date: string) => {
  try {
    return wibDayRange(date);
  } catch {
    throw new AppError('VALIDATION_FAILED', `${date} is not a calendar date`);
  }
};

export async function readAuditLog(db: DbOrTx, koperasiId: string, query: z.output<typeof auditQuery>) {
  const from = query.from ? dayStart(query.from).start : undefined;
  const to = query.to ? dayStart(query.to).end : undefined;
  if (from && to && from >= to) throw new AppError('VALIDATION_FAILED', '"from" must not be after "to"');
  const like = query.q ? `%${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : undefined;
  const rows = await db.execute<AuditRow & Record<string, unknown>>(sql`
    SELECT a.id::text, a.created_at, a.actor_type, a.actor_id, coalesce(u.name, o.name) AS actor_name, a.action,
           a.subject_type, a.subject_id, a.reason, a.before, a.after
    FROM audit_log a
    LEFT JOIN users u ON a.actor_type IN ('treasurer', 'pengawas', 'kasir', 'member') AND u.id::text = a.actor_id
                      AND u.koperasi_id = a.koperasi_id
    LEFT JOIN office_users o ON a.actor_type IN ('operator', 'supervisor') AND o.id::text = a.actor_id
    WHERE a.koperasi_id = ${koperasiId}
      ${from ? sql`AND a.created_at >= ${from}` : sql``}
      ${to ? sql`AND a.created_at < ${to}` : sql``}
      ${query.actor ? sql`AND a.actor_type = ${query.actor}` : sql``}
      ${query.action ? sql`AND a.action LIKE ${`${query.action.replace(/[\\%_]/g, (c) => `\\${c}`)}%`}` : sql``}
      ${like ? sql`AND (a.subject_id = ${query.q} OR a.action ILIKE ${like} OR a.reason ILIKE ${like} OR a.after::text ILIKE ${like})` : sql``}
      ${query.cursor ? sql`AND a.id < ${query.cursor}::bigint` : sql``}
    ORDER BY a.id DESC
    LIMIT ${query.limit + 1}`);
  const page = rows.rows.slice(0, query.limit);
  return {
    items: page.map((r) => ({
      id: r.id,
      at: new Date(r.created_at).toISOString(),
      actorType: r.actor_type,
      actorId: r.actor_id,
      actorName: r.actor_name,
      action: r.action,
      subjectType: r.subject_type,
      subjectId: r.subject_id,
      reason: r.reason,
      before: r.before ?? null,
      after: r.after ?? null,
    })),
    nextCursor: rows.rows.length > query.limit ? (page.at(-1)?.id ?? null) : null,
  };
}
