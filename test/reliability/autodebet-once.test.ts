/**
 * Autodebet pays each subscription exactly once per period, whatever else runs: three `pintu worker` processes
 * tick the scheduler (every 200 ms) and are SIGKILLed and restarted at random moments, while two independent
 * sets of Deps in this process (as further worker processes would) tick the same due subscriptions over and over.
 * Subscriptions are set up during the storm; the processes take the first runs alone. Afterwards, once the upstream
 * has had the real time Pintu allows a request in flight, a drain (a clock moved past the leases and the retry
 * minutes, with a worker on that clock) finishes what killed workers left. Then: one non-failed payment per
 * subscription, one success at the upstream per customer number, balances are deposits minus successes, one
 * "paid" notice each, and `ledger verify` is clean.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, createSandbox } from '../../adapters/sandbox/index.js';
import { autodebetTick } from '../../src/autodebet/scheduler.js';
import { wibDate } from '../../src/clock.js';
import { type Deps, buildDeps } from '../../src/deps.js';
import { createLogger } from '../../src/logger.js';
import { startWorkers } from '../../src/worker.js';
import {
  type GivenKoperasi,
  type GivenMember,
  type TestApp,
  balanceOf,
  bearer,
  givenApp,
  givenKoperasi,
  givenMember,
  ledgerBreaches,
} from '../helpers/app.js';
import { REDIS_URL } from '../helpers/env.js';
import { type PintuProcess, startPintu } from '../helpers/processes.js';
import { cutOffFarFromNow } from '../helpers/cut-off.js';

/** The storm lasts at least this long, and until KILLS worker processes were killed (a restart boots for seconds). */
const STORM_MS = Number(process.env.AUTODEBET_STORM_MS ?? 20_000);
const KILLS = 6;
const MEMBERS = 15;
const SAVINGS = 3_000_000n;

let sandbox: Sandbox;
let upstream: string;
let t: TestApp;
let kop: GivenKoperasi;
let env: Record<string, string>;
const workers: PintuProcess[] = [];
const extraDeps: Deps[] = [];

beforeAll(async () => {
  sandbox = createSandbox({
    seed: 14,
    pendingMs: 400,
    refundMs: 600_000,
    latencyMs: [50, 400],
    cutOff: cutOffFarFromNow(),
  });
  upstream = await sandbox.listen(0);
  t = await givenApp({
    upstreamUrls: { digiflazz: `${upstream}/digiflazz`, iak: `${upstream}/iak` },
    env: { AUTODEBET_INTERVAL_MS: '3600000', AUTODEBET_RETRY_MINUTES: '1' },
  });
  kop = await givenKoperasi(t);
  env = {
    PLN_CUTOFF_START: t.config.PLN_CUTOFF_START,
    PLN_CUTOFF_END: t.config.PLN_CUTOFF_END,
    DATABASE_URL: t.database.runtimeUrl,
    DATABASE_OWNER_URL: t.database.url,
    REDIS_URL,
    REDIS_PREFIX: t.redisPrefix,
    SANDBOX_ENABLED: 'false',
    DIGIFLAZZ_BASE_URL: `${upstream}/digiflazz`,
    IAK_BASE_URL: `${upstream}/iak`,
    UPSTREAM_TIMEOUT_MS: '2000',
    POLL_INITIAL_MS: '300',
    AUTODEBET_INTERVAL_MS: '200',
    AUTODEBET_RETRY_MINUTES: '1',
    WORKER_CONCURRENCY: '16',
    // Info: each process logs the autodebet payments it accepted, which shows the processes took part.
    LOG_LEVEL: 'info',
  };
}, 60_000);

afterAll(async () => {
  await Promise.all(workers.map((w) => w.kill('SIGTERM')));
  await Promise.all(extraDeps.map((d) => d.close()));
  await t?.close();
  await sandbox?.close();
});

/** Deps of a process of their own, with a clock `offsetMs` ahead of the wall clock. */
function independentDeps(name: string, offsetMs: () => number): Deps {
  const deps = buildDeps(t.config, {
    name,
    poolSize: 6,
    upstreamUrls: { digiflazz: `${upstream}/digiflazz`, iak: `${upstream}/iak` },
    clock: { now: () => new Date(Date.now() + offsetMs()) },
    log: createLogger({ level: 'silent' }),
  });
  extraDeps.push(deps);
  return deps;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Planned {
  member: GivenMember;
  customerNo: string;
  fails: boolean;
  id?: string;
}

describe('autodebet exactly once', () => {
  it(
    'pays each subscription once per period through worker kills and duplicate schedules',
    async () => {
      const members: GivenMember[] = [];
      for (let i = 0; i < MEMBERS; i++)
        members.push(await givenMember(t, kop, { balance: SAVINGS, memberNo: `AO-${i}` }));
      const plans: Planned[] = members.flatMap((member, i) => {
        const n = String(i).padStart(3, '0');
        const list: Planned[] = [
          { member, customerNo: `5${n}0000`, fails: false },
          { member, customerNo: `88888${String(i).padStart(7, '0')}1039`, fails: false },
        ];
        // 1037: the upstream refuses every payment for good: three failed payments, then the month is skipped.
        if (i % 4 === 0) list.push({ member, customerNo: `6${n}1037`, fails: true });
        return list;
      });

      let acceptedByProcesses = 0;
      /** A worker process and when it finished booting (tsx and the migration check take seconds). */
      const start = () => {
        const worker = startPintu(['worker'], env);
        workers.push(worker);
        const started = { worker, ready: false };
        const booted = new Promise<void>((resolve) => {
          // Whole lines: a pipe may cut one in two.
          let partial = '';
          worker.child.stdout?.on('data', (chunk: Buffer) => {
            const lines = (partial + chunk.toString()).split('\n');
            partial = lines.pop() ?? '';
            for (const line of lines) {
              if (line.includes('autodebet payment accepted')) acceptedByProcesses++;
              if (line.includes('worker started')) {
                started.ready = true;
                resolve();
              }
            }
          });
        });
        return Object.assign(started, { booted });
      };
      const live = [start(), start(), start()];
      await Promise.all(live.map((w) => w.booted));
      const stormStart = Date.now();
      let kills = 0;
      let created = 0;
      const storming = () =>
        created < plans.length ||
        Date.now() < stormStart + STORM_MS ||
        ((kills < KILLS || acceptedByProcesses === 0) && Date.now() < stormStart + 180_000);
      // Each kill lands on a process that has booted and ticked for a random while: mid-run, not mid-boot.
      const killer = (async () => {
        while (storming()) {
          const ready = live.flatMap((w, i) => (w.ready ? [i] : []));
          if (ready.length === 0) {
            await sleep(100);
            continue;
          }
          const index = ready[Math.floor(Math.random() * ready.length)]!;
          await sleep(200 + Math.random() * 1_500);
          await live[index]!.worker.kill('SIGKILL');
          kills++;
          live[index] = start();
        }
      })();
      let ticks = 0;
      const tickers = [0, 1].map(async (i) => {
        const deps = independentDeps(`ticker-${i}`, () => 0);
        // The processes take the first runs alone. A process just booted is slower than this warm one, and on a
        // loaded machine it could otherwise lose every run to these tickers: the kills would hit idle processes.
        while (storming() && acceptedByProcesses === 0) await sleep(100);
        while (storming()) {
          await autodebetTick(deps).catch(() => undefined);
          ticks++;
          // A little less often than a worker process (every 200 ms), so the processes take their share.
          await sleep(200 + Math.random() * 600);
        }
      });
      for (const plan of plans) {
        const bpjs = plan.customerNo.startsWith('88888');
        const response = await t.app.inject({
          method: 'POST',
          url: '/v1/me/subscriptions',
          headers: bearer(plan.member.token),
          payload: {
            product: bpjs ? 'BPJS_KESEHATAN' : 'PDAM_TIRTA_BENTENG',
            customerNo: plan.customerNo,
            nickname: bpjs ? 'BPJS keluarga' : 'Air rumah',
            ...(bpjs ? { months: 1 } : {}),
            // Due today (WIB), whatever day the test runs.
            dayOfMonth: Number(wibDate(new Date()).slice(8, 10)),
            maxAmount: 10_000_000,
            pin: plan.member.pin,
          },
        });
        expect(response.statusCode, response.body).toBe(201);
        plan.id = response.json<{ id: string }>().id;
        created++;
        await sleep(STORM_MS / plans.length);
      }
      await Promise.all([killer, ...tickers]);
      await Promise.all(live.map((w) => w.worker.kill('SIGKILL')));
      // A PostgreSQL array literal: drizzle would send a JS array as a row of parameters.
      const ids = `{${plans.map((p) => p.id!).join(',')}}`;

      // A killed process's last pay request may still be inside the upstream. The drain moves Pintu's clock, not the
      // upstream's, so it first lets real time pass: until Pintu would trust a "never received" for every attempt still
      // sending (twice UPSTREAM_TIMEOUT_MS + 5 s after it was sent, src/payments/pipeline.ts). Without this wait the
      // drain's worker took the upstream's "not found" for proof while the pay was still on its way, refunded the
      // member and autodebet paid the bill a second time.
      const trustedAfterMs = 2 * (Number(env.UPSTREAM_TIMEOUT_MS) + 5_000);
      const lastSend = await t.deps.db.execute<{ ms: number | null }>(sql`
        SELECT (extract(epoch FROM max(a.sent_at)) * 1000)::float8 AS ms
        FROM payment_attempts a JOIN payments p ON p.id = a.payment_id
        WHERE p.subscription_id = ANY(${ids}::uuid[]) AND a.state = 'sending'`);
      const lastSendMs = lastSend.rows[0]!.ms;
      if (lastSendMs !== null) await sleep(lastSendMs + trustedAfterMs - Date.now());

      // The drain: ticks with a clock past every lease and retry, and one worker for the payment jobs on that clock
      // (a payment's steps are due by the clock of the process that accepted it; every process shares one clock).
      // The clock moves only while that worker is stopped, so none of its requests is on its way: a jump during one
      // would turn the upstream's "not found yet" into proof, as above.
      let offset = 0;
      const drainDeps = [independentDeps('drain-a', () => offset), independentDeps('drain-b', () => offset)];
      const openPayments = async () =>
        (
          await t.deps.db.execute<{ n: number }>(sql`
            SELECT count(*)::int AS n FROM payments
            WHERE subscription_id = ANY(${ids}::uuid[]) AND status IN ('processing', 'suspect')`)
        ).rows[0]!.n;
      const unfinishedRuns = async () =>
        (
          await t.deps.db.execute<{ n: number }>(sql`
            SELECT count(*)::int AS n FROM subscription_runs
            WHERE subscription_id = ANY(${ids}::uuid[])
              AND NOT (status = 'skipped' OR (status = 'paid' AND outcome = 'PAYMENT_SUCCESS'))`)
        ).rows[0]!.n;
      for (let round = 0; round < 40; round++) {
        offset += 2 * 60_000;
        await Promise.all(drainDeps.map((d) => autodebetTick(d)));
        const drainer = startWorkers(drainDeps[0]!, { pollIntervalMs: 50 });
        for (let wait = 0; wait < 100 && (await openPayments()) > 0; wait++) await sleep(200);
        // Its steps end first, each with the answer to its request.
        await drainer.close();
        await Promise.all(drainDeps.map((d) => autodebetTick(d)));
        if ((await unfinishedRuns()) === 0 && (await openPayments()) === 0) break;
      }
      expect(await unfinishedRuns()).toBe(0);

      // One run per subscription; one non-failed payment for each that can be paid, none for those that cannot.
      const runs = await t.deps.db.execute<{ subscription_id: string; status: string; outcome: string }>(
        sql`SELECT subscription_id, status, outcome FROM subscription_runs WHERE subscription_id = ANY(${ids}::uuid[])`,
      );
      expect(runs.rows).toHaveLength(plans.length);
      const payments = await t.deps.db.execute<{
        subscription_id: string;
        status: string;
        customer_no: string;
      }>(
        sql`SELECT subscription_id, status, customer_no FROM payments WHERE subscription_id = ANY(${ids}::uuid[])`,
      );
      const truth = sandbox.truth();
      expect(truth.doubleDebits).toEqual([]);
      const upstreamSuccesses = new Map<string, number>();
      for (const txn of [...truth.digiflazz.transactions, ...truth.iak.transactions])
        if (txn.state === 'success')
          upstreamSuccesses.set(txn.customerNo, (upstreamSuccesses.get(txn.customerNo) ?? 0) + 1);
      for (const plan of plans) {
        const mine = payments.rows.filter((p) => p.subscription_id === plan.id);
        const kept = mine.filter((p) => p.status !== 'failed');
        const run = runs.rows.find((r) => r.subscription_id === plan.id);
        if (plan.fails) {
          expect(kept, plan.customerNo).toEqual([]);
          expect(mine).toHaveLength(3);
          expect(run).toMatchObject({ status: 'skipped', outcome: 'PAYMENT_FAILED' });
          expect(upstreamSuccesses.get(plan.customerNo) ?? 0).toBe(0);
        } else {
          expect(
            kept.map((p) => p.status),
            plan.customerNo,
          ).toEqual(['success']);
          expect(run).toMatchObject({ status: 'paid', outcome: 'PAYMENT_SUCCESS' });
          expect(upstreamSuccesses.get(plan.customerNo), plan.customerNo).toBe(1);
        }
      }

      // Savings: deposits minus successes, member by member.
      for (const member of members) {
        const paid = await t.deps.db.execute<{ total: string }>(sql`
          SELECT coalesce(sum(total), 0)::text AS total FROM payments
          WHERE member_id = ${member.id} AND status = 'success'`);
        expect((await balanceOf(t, member)).balance).toBe(Number(SAVINGS) - Number(paid.rows[0]!.total));
      }

      // One "paid" notice per successful subscription, however many workers followed the payment.
      const told = await t.deps.db.execute<{ subscription_id: string; n: number }>(sql`
        SELECT subscription_id, count(*)::int AS n FROM notifications
        WHERE kind = 'autodebet_paid' GROUP BY subscription_id`);
      expect(told.rows).toHaveLength(plans.filter((p) => !p.fails).length);
      expect(told.rows.every((r) => r.n === 1)).toBe(true);

      expect(await ledgerBreaches(t)).toEqual([]);
      console.log(
        `autodebet-once: ${plans.length} subscriptions, ${kills} worker kills, ${ticks} in-process ticks, ` +
          `${payments.rows.length} payments, ${acceptedByProcesses} accepted by worker processes`,
      );
      expect(kills).toBeGreaterThanOrEqual(5);
      expect(acceptedByProcesses).toBeGreaterThan(0);
    },
    STORM_MS + 300_000,
  );
});
