/**
 * `npm run bench`: end-to-end payment throughput against the Postgres floor, measured in one run.
 *
 * Stack: sandbox (no latency, no faults), API and worker as separate processes on a fresh database.
 * Phases (each BENCH_SECONDS, default 30):
 *   floor      the raw posting transaction through pg at the same concurrency (and its hot-row variant)
 *   e2e-50     quote + pay at fixed concurrency, members spread over 50 koperasi
 *   e2e-1      the same with every member in one koperasi (its income and payable accounts are hot)
 *   rate-70    open loop at 70 % of the e2e-50 throughput: POST /v1/payments latency
 * The last line is one JSON object (e2e_per_s, floor_per_s, ratio, hot_ratio, p99_ms, …).
 *
 * `npm run bench -- --api N --workers M` runs N API and M worker processes against the same PostgreSQL and
 * Redis (the load generator spreads members over the APIs). Per phase it reports accepted/s and settled/s,
 * acceptance and time-to-final percentiles, and per settled payment: write commits (transaction ids
 * PostgreSQL assigned, cluster-wide: run it on a quiet machine), all transactions of the bench database
 * (read-only ones included), statements sent (pintu_db_queries_total of every process) and CPU ms by process.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import { sql } from 'drizzle-orm';
import { createDatabase } from '../src/db/client.js';
import { createLedger } from '../src/ledger/index.js';
import { BENCH_PIN, type BenchMember, seedKoperasi } from './fixtures.js';
import { prepareFloor, runFloor } from './floor.js';
import { REDIS_URL, cpuSeconds, freePort, freshDatabase, pidsNamed, startPintu, waitFor } from './stack.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 30);
const flag = (name: string, fallback: number) => {
  const at = process.argv.indexOf(`--${name}`);
  const value = at >= 0 ? Number(process.argv[at + 1]) : fallback;
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} takes a whole number ≥ 1`);
  return value;
};
const API_PROCESSES = flag('api', 1);
const WORKER_PROCESSES = flag('workers', 1);
const METRICS_TOKEN = 'bench-metrics-token-0123456789';
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 48);
const MEMBERS = Number(process.env.BENCH_MEMBERS ?? 500);
const JWT_SECRET = 'bench-jwt-secret-bench-jwt-secret-0123456789';

const percentile = (sorted: number[], p: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : 0;
const round = (n: number, digits = 1) => Number(n.toFixed(digits));
const customerNo = () => `53${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}0000`;

interface Phase {
  name: string;
  /** Payments settled as success per second (the throughput every ratio uses). */
  perSecond: number;
  acceptedPerSecond: number;
  apiLatency: { p50: number; p95: number; p99: number };
  acceptToSuccess: { p50: number; p95: number; p99: number };
  cpu: Record<string, number>;
  perPayment: {
    commits: number;
    transactions: number;
    queries: number;
    walBytes: number;
    cpuMs: Record<string, number>;
  };
  errors: number;
}

/** What the database has done so far: transaction ids assigned (write commits), this database's commits, WAL. */
async function dbCounters(
  db: ReturnType<typeof createDatabase>['db'],
): Promise<{ xids: number; commits: number; walBytes: number }> {
  const rows = await db.execute<{ xids: string; commits: string; wal: string }>(sql`
    SELECT pg_snapshot_xmax(pg_current_snapshot())::text AS xids,
           (SELECT xact_commit FROM pg_stat_database WHERE datname = current_database())::text AS commits,
           (SELECT wal_bytes FROM pg_stat_wal)::text AS wal`);
  const row = rows.rows[0]!;
  return { xids: Number(row.xids), commits: Number(row.commits), walBytes: Number(row.wal) };
}

/** pintu_db_queries_total summed over the processes' /metrics. */
async function queriesSent(metricsUrls: string[]): Promise<number> {
  const counts = await Promise.all(
    metricsUrls.map(async (url) => {
      // A build without the counter (or a worker without WORKER_METRICS_PORT) counts as 0.
      const response = await fetch(url, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } }).catch(
        () => undefined,
      );
      const text = response?.ok ? await response.text() : '';
      const line = text.split('\n').find((l) => l.startsWith('pintu_db_queries_total '));
      return line ? Number(line.split(' ')[1]) : 0;
    }),
  );
  return counts.reduce((a, b) => a + b, 0);
}

/**
 * The load generator's HTTP client: node:http on keep-alive sockets. Global fetch (undici) cost the load
 * generator about 1.3 ms of CPU per payment on the two cores the measured processes share; this costs less.
 */
const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY * 2 });

function post(
  url: string,
  headers: Record<string, string>,
  body: string,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      { method: 'POST', agent, headers: { ...headers, 'content-length': Buffer.byteLength(body) } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString() }),
        );
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

/** The timed requests of a phase: how long each took, and when it finished (epoch ms, for BENCH_TRACE). */
interface Timings {
  latencies: number[];
  finishedAt: number[];
}

async function payOnce(api: string, member: BenchMember, timings: Timings | undefined): Promise<boolean> {
  const headers = { authorization: `Bearer ${member.token}`, 'content-type': 'application/json' };
  const quote = await post(
    `${api}/v1/inquiries`,
    headers,
    JSON.stringify({ product: 'PLN_POSTPAID', customerNo: customerNo() }),
  );
  if (quote.status !== 201) return false;
  const { id } = JSON.parse(quote.body) as { id: string };
  const started = performance.now();
  const paid = await post(
    `${api}/v1/payments`,
    { ...headers, 'idempotency-key': randomUUID() },
    JSON.stringify({ quoteId: id, pin: BENCH_PIN }),
  );
  if (timings) {
    timings.latencies.push(performance.now() - started);
    timings.finishedAt.push(Date.now());
  }
  return paid.status === 202 || paid.status === 200;
}

/** Busy and total jiffies of the whole machine (/proc/stat), to tell a saturated machine from a waiting one. */
function machineBusy(): { busy: number; total: number } {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
  const total = fields.reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
}

function cpuSnapshot(pids: Record<string, number[]>): Record<string, number> {
  return Object.fromEntries(
    Object.entries(pids).map(([name, list]) => [name, list.reduce((s, pid) => s + cpuSeconds(pid), 0)]),
  );
}

async function measure(
  name: string,
  apis: string[],
  db: ReturnType<typeof createDatabase>['db'],
  members: BenchMember[],
  pids: Record<string, number[]>,
  metricsUrls: string[],
  drive: (timings: Timings, stopAt: number) => Promise<number>,
): Promise<Phase> {
  // Warm up: every member pays once, on every API (fills the PIN caches, connection pools, JIT).
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async (_, w) => {
      for (let i = w; i < members.length; i += CONCURRENCY)
        for (const api of apis) await payOnce(api, members[i]!, undefined);
    }),
  );
  // Each phase starts from vacuumed tables (autovacuum may be off, as on the CI machines, or may start in the
  // middle of a phase): the previous phase's dead rows are not charged to this one.
  await db.execute(sql`VACUUM (ANALYZE)`);
  await new Promise((r) => setTimeout(r, 2_000));
  // Backends opened during the warm-up count too.
  pids.postgres = pidsNamed('postgres');
  const cpuBefore = cpuSnapshot(pids);
  const machineBefore = machineBusy();
  const [dbBefore, queriesBefore] = await Promise.all([dbCounters(db), queriesSent(metricsUrls)]);
  const t0 = new Date();
  const timings: Timings = { latencies: [], finishedAt: [] };
  const errors = await drive(timings, Date.now() + SECONDS * 1000);
  const t1 = new Date();
  const cpuAfter = cpuSnapshot(pids);
  const machineAfter = machineBusy();
  const [dbAfter, queriesAfter] = await Promise.all([dbCounters(db), queriesSent(metricsUrls)]);
  await new Promise((r) => setTimeout(r, 3_000)); // let in-flight payments finish
  const ids = members.map((m) => m.memberId);
  const done = await db.execute<{
    n: number;
    accepted: number;
    p50: number | null;
    p95: number | null;
    p99: number | null;
  }>(sql`
    SELECT count(*)::int AS n,
           (SELECT count(*)::int FROM payments WHERE member_id = ANY(${sql.param(ids)}::uuid[])
              AND created_at >= ${t0} AND created_at < ${t1}) AS accepted,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM finished_at - created_at) * 1000) AS p50,
           percentile_cont(0.95) WITHIN GROUP (ORDER BY extract(epoch FROM finished_at - created_at) * 1000) AS p95,
           percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM finished_at - created_at) * 1000) AS p99
    FROM payments WHERE status = 'success' AND member_id = ANY(${sql.param(ids)}::uuid[])
      AND finished_at >= ${t0} AND finished_at < ${t1}`);
  const seconds = (t1.getTime() - t0.getTime()) / 1000;
  // BENCH_TRACE=PREFIX: every timed request of the phase (finished at, epoch ms; took, ms) in PREFIX-<phase>.tsv,
  // to see when the slow ones happen (docs/PERFORMANCE.md, "The tail at 70 %").
  if (process.env.BENCH_TRACE) {
    const lines = timings.finishedAt.map((at, i) => `${at}\t${timings.latencies[i]!.toFixed(1)}`);
    writeFileSync(`${process.env.BENCH_TRACE}-${name}.tsv`, `${lines.join('\n')}\n`);
  }
  const latencies = [...timings.latencies].sort((a, b) => a - b);
  const row = done.rows[0]!;
  const settled = Math.max(1, row.n);
  return {
    name,
    perSecond: round(row.n / seconds),
    acceptedPerSecond: round(row.accepted / seconds),
    apiLatency: {
      p50: round(percentile(latencies, 50)),
      p95: round(percentile(latencies, 95)),
      p99: round(percentile(latencies, 99)),
    },
    acceptToSuccess: {
      p50: round(Number(row.p50 ?? 0)),
      p95: round(Number(row.p95 ?? 0)),
      p99: round(Number(row.p99 ?? 0)),
    },
    perPayment: {
      commits: round((dbAfter.xids - dbBefore.xids) / settled, 2),
      transactions: round((dbAfter.commits - dbBefore.commits) / settled, 2),
      queries: round((queriesAfter - queriesBefore) / settled, 2),
      walBytes: Math.round((dbAfter.walBytes - dbBefore.walBytes) / settled),
      cpuMs: Object.fromEntries(
        Object.keys(cpuAfter).map((k) => [k, round(((cpuAfter[k]! - cpuBefore[k]!) * 1000) / settled, 2)]),
      ),
    },
    cpu: {
      ...Object.fromEntries(
        Object.keys(cpuAfter).map((k) => [k, round(((cpuAfter[k]! - cpuBefore[k]!) / seconds) * 100)]),
      ),
      machine: round(
        ((machineAfter.busy - machineBefore.busy) / (machineAfter.total - machineBefore.total)) *
          100 *
          os.cpus().length,
      ),
    },
    errors,
  };
}

/** Closed loop: CONCURRENCY virtual members paying as fast as answers come (each user on one API). */
const closedLoop = (apis: string[], members: BenchMember[]) => async (timings: Timings, stopAt: number) => {
  let errors = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async (_, user) => {
      const api = apis[user % apis.length]!;
      while (Date.now() < stopAt) {
        const member = members[Math.floor(Math.random() * members.length)]!;
        if (!(await payOnce(api, member, timings).catch(() => false))) errors += 1;
      }
    }),
  );
  return errors;
};

/** Open loop at a fixed rate: latency at a load the system can sustain. */
const openLoop =
  (apis: string[], members: BenchMember[], perSecond: number) => async (timings: Timings, stopAt: number) => {
    let errors = 0;
    const inflight: Promise<void>[] = [];
    const interval = 1000 / perSecond;
    let next = Date.now();
    let sent = 0;
    while (Date.now() < stopAt) {
      const member = members[Math.floor(Math.random() * members.length)]!;
      const api = apis[sent++ % apis.length]!;
      inflight.push(
        payOnce(api, member, timings).then(
          (ok) => void (ok || (errors += 1)),
          () => void (errors += 1),
        ),
      );
      next += interval;
      const wait = next - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
    await Promise.all(inflight);
    return errors;
  };

async function main(): Promise<void> {
  const dbName = `pintu_bench_${process.pid}`;
  const prefix = `pintu-bench-${process.pid}`;
  const url = await freshDatabase(dbName);
  const sandboxPort = await freePort();
  const apiPorts = await Promise.all(Array.from({ length: API_PROCESSES }, () => freePort()));
  const workerPorts = await Promise.all(Array.from({ length: WORKER_PROCESSES }, () => freePort()));
  const env = {
    DATABASE_URL: url,
    REDIS_URL,
    REDIS_PREFIX: prefix,
    JWT_SECRET,
    SANDBOX_ENABLED: 'false',
    DIGIFLAZZ_BASE_URL: `http://127.0.0.1:${sandboxPort}/digiflazz`,
    IAK_BASE_URL: `http://127.0.0.1:${sandboxPort}/iak`,
    AUTH_RATE_LIMIT_PER_MINUTE: '10000',
    AUTH_ACCOUNT_RATE_LIMIT_PER_MINUTE: '10000',
    INQUIRY_RATE_LIMIT_PER_MINUTE: '100000',
    PAYMENT_RATE_LIMIT_PER_MINUTE: '100000',
    DATABASE_POOL_SIZE: process.env.BENCH_POOL ?? '20',
    WORKER_CONCURRENCY: process.env.BENCH_WORKER_CONCURRENCY ?? '64',
    METRICS_TOKEN,
  };
  // BENCH_CPU_PROF=DIR: V8 CPU profiles of the API and the worker, written to DIR/<role>/ when they stop.
  const profile = (role: string) =>
    process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}/${role}`] : [];
  const sandbox = startPintu('sandbox', ['sandbox'], { ...env, SANDBOX_PORT: String(sandboxPort) });
  const apiProcs = apiPorts.map((port) =>
    startPintu('api', ['api'], { ...env, PORT: String(port) }, profile('api')),
  );
  const workerProcs = workerPorts.map((port) =>
    startPintu('worker', ['worker'], { ...env, WORKER_METRICS_PORT: String(port) }, profile('worker')),
  );
  const apis = apiPorts.map((port) => `http://127.0.0.1:${port}`);
  const metricsUrls = [
    ...apis.map((api) => `${api}/metrics`),
    ...workerPorts.map((port) => `http://127.0.0.1:${port}/metrics`),
  ];
  const database = createDatabase(url, { poolSize: 4 });
  try {
    await waitFor(`http://127.0.0.1:${sandboxPort}/_sandbox/stats`);
    for (const api of apis) await waitFor(`${api}/health/ready`);
    const ledger = createLedger();
    await ledger.openPlatformBook(database.db);
    const pids = {
      api: apiProcs.map((p) => p.pid),
      worker: workerProcs.map((p) => p.pid),
      sandbox: [sandbox.pid],
      postgres: pidsNamed('postgres'),
      redis: pidsNamed('redis-server'),
      bench: [process.pid],
    };

    console.error('floor…');
    await prepareFloor(url, MEMBERS);
    const floor = await runFloor(url, {
      concurrency: CONCURRENCY,
      seconds: SECONDS,
      accounts: MEMBERS,
      hot: false,
    });
    const floorHot = await runFloor(url, {
      concurrency: CONCURRENCY,
      seconds: SECONDS,
      accounts: MEMBERS,
      hot: true,
    });

    console.error('seeding…');
    const savings = 500_000_000n;
    const spread = await seedKoperasi(database.db, ledger, {
      koperasi: 50,
      membersEach: Math.ceil(MEMBERS / 50),
      savings,
      jwtSecret: JWT_SECRET,
      prefix: 'spread',
    });
    const single = await seedKoperasi(database.db, ledger, {
      koperasi: 1,
      membersEach: MEMBERS,
      savings,
      jwtSecret: JWT_SECRET,
      prefix: 'single',
    });
    // The floor and the seeding leave dirty pages: write them out now, not during the first e2e phase
    // (measure() also vacuums before each phase).
    await database.db.execute(sql`CHECKPOINT`);
    pids.postgres = pidsNamed('postgres');

    console.error('e2e, 50 koperasi…');
    const e2e50 = await measure(
      'e2e-50',
      apis,
      database.db,
      spread,
      pids,
      metricsUrls,
      closedLoop(apis, spread),
    );
    console.error('e2e, 1 koperasi…');
    const e2e1 = await measure(
      'e2e-1',
      apis,
      database.db,
      single,
      pids,
      metricsUrls,
      closedLoop(apis, single),
    );
    const rate = Math.max(1, Math.floor(e2e50.perSecond * 0.7));
    console.error(`open loop at ${rate}/s…`);
    const rate70 = await measure(
      'rate-70',
      apis,
      database.db,
      spread,
      pids,
      metricsUrls,
      openLoop(apis, spread, rate),
    );

    const verify = await database.db.execute<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM payments WHERE status NOT IN ('success')`,
    );
    // What a payment leaves on disk: every table and index of the service (the floor's tables excluded).
    const stored = await database.db.execute<{ bytes: string; payments: string }>(sql`
      SELECT (SELECT sum(pg_total_relation_size(c.oid)) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
              WHERE n.nspname = 'public' AND c.relkind = 'r' AND c.relname NOT LIKE 'floor_%')::text AS bytes,
             (SELECT count(*) FROM payments)::text AS payments`);
    const bytesPerPayment = Math.round(
      Number(stored.rows[0]!.bytes) / Math.max(1, Number(stored.rows[0]!.payments)),
    );
    const report = {
      machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version },
      seconds: SECONDS,
      processes: { api: API_PROCESSES, workers: WORKER_PROCESSES },
      concurrency: CONCURRENCY,
      members: MEMBERS,
      floor: { perSecond: round(floor.perSecond), hotPerSecond: round(floorHot.perSecond) },
      phases: [e2e50, e2e1, rate70],
      notSucceeded: verify.rows[0]!.n,
      storedBytesPerPayment: bytesPerPayment,
    };
    console.log(JSON.stringify(report, null, 2));
    console.log(
      JSON.stringify({
        e2e_per_s: e2e50.perSecond,
        e2e_one_koperasi_per_s: e2e1.perSecond,
        floor_per_s: round(floor.perSecond),
        floor_hot_per_s: round(floorHot.perSecond),
        ratio: round(e2e50.perSecond / floor.perSecond, 3),
        ratio_one_koperasi: round(e2e1.perSecond / floor.perSecond, 3),
        hot_ratio: round(e2e1.perSecond / e2e50.perSecond, 3),
        p99_ms: rate70.apiLatency.p99,
        p99_ms_at_rate: rate,
        api_processes: API_PROCESSES,
        worker_processes: WORKER_PROCESSES,
        accepted_per_s: e2e50.acceptedPerSecond,
        settled_per_s: e2e50.perSecond,
        commits_per_payment: e2e50.perPayment.commits,
        transactions_per_payment: e2e50.perPayment.transactions,
        queries_per_payment: e2e50.perPayment.queries,
        wal_bytes_per_payment: e2e50.perPayment.walBytes,
        stored_bytes_per_payment: bytesPerPayment,
        cpu_ms_per_payment: e2e50.perPayment.cpuMs,
        accept_ms: rate70.apiLatency,
        final_ms: e2e50.acceptToSuccess,
      }),
    );
  } finally {
    await Promise.all([...apiProcs, ...workerProcs, sandbox].map((p) => p.stop()));
    await database.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
