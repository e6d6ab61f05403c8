/**
 * The reconciliation rule table (payments/lifecycle.ts) is evaluated twice: in TypeScript (reconAction) and as the
 * SQL CASE that classifies a whole settlement file (reconActionSql). Both must give the same verdict for every
 * combination of facts, and the verdicts must keep the refund rule.
 */
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AttemptStatus,
  type ReconFacts,
  PAYMENT_STATUSES,
  RECON_CLASSES,
  SETTLEMENT_STATUSES,
  reconAction,
  reconActionSql,
} from '../../src/payments/lifecycle.js';
import { ADMIN_URL } from '../helpers/env.js';

const OURS: (AttemptStatus | null)[] = [...PAYMENT_STATUSES, 'not_created', null];
const UPSTREAM = [...SETTLEMENT_STATUSES, null];
const ALL: ReconFacts[] = RECON_CLASSES.flatMap((cls) =>
  OURS.flatMap((ourStatus) =>
    UPSTREAM.flatMap((upstreamStatus) =>
      [false, true].flatMap((listedElsewhere) =>
        [false, true].map((pastGrace) => ({
          class: cls,
          ourStatus,
          upstreamStatus,
          listedElsewhere,
          pastGrace,
        })),
      ),
    ),
  ),
);

let pool: pg.Pool;
beforeAll(() => {
  pool = new pg.Pool({ connectionString: ADMIN_URL, max: 1 });
});
afterAll(async () => {
  await pool?.end();
});

describe('the reconciliation rule table', () => {
  it(`gives the same action in SQL as in TypeScript for all ${ALL.length} combinations of facts`, async () => {
    const db = drizzle(pool);
    const facts = JSON.stringify(ALL);
    const rows = await db.execute<{ i: number; action: string }>(sql`
      SELECT (f.ord - 1)::int AS i, ${reconActionSql({
        class: sql`f.v->>'class'`,
        ourStatus: sql`f.v->>'ourStatus'`,
        upstreamStatus: sql`f.v->>'upstreamStatus'`,
        listedElsewhere: sql`(f.v->>'listedElsewhere')::boolean`,
        pastGrace: sql`(f.v->>'pastGrace')::boolean`,
      })} AS action
      FROM jsonb_array_elements(${facts}::jsonb) WITH ORDINALITY AS f(v, ord)`);
    expect(rows.rows).toHaveLength(ALL.length);
    const mismatches = rows.rows
      .filter((r) => r.action !== reconAction(ALL[r.i]!))
      .map((r) => ({ ...ALL[r.i], sql: r.action }));
    expect(mismatches).toEqual([]);
  });

  it('gives money back only on a FAILED or REFUNDED row for that attempt, and never on absence or another amount', () => {
    for (const facts of ALL) {
      const action = reconAction(facts);
      if (action === 'auto_failed' || action === 'auto_refund') {
        expect(facts.class).toBe('status_mismatch');
        expect(['FAILED', 'REFUNDED']).toContain(facts.upstreamStatus);
      }
      if (facts.class === 'amount_mismatch' || facts.class === 'missing_here')
        expect(action).toBe('needs_review');
      if (facts.class === 'missing_upstream')
        expect(['none', 'status_check', 'waiting_grace', 'needs_review']).toContain(action);
    }
  });
});
