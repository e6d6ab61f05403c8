/**
 * The simulated world: a private PostgreSQL and Redis, the sandbox upstream, the dialect proxies, N APIs behind a
 * balancer and M workers, all on the fake clock. `close()` stops and deletes everything it started.
 */
import { withUser } from '../../src/db/roles.js';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import pg from 'pg';
import type { Dialect } from '../../adapters/sandbox/index.js';
import { faketimeEnv, type ClockPlan } from './clock.js';
import { startPostgres, startRedis, type PrivatePostgres, type PrivateRedis } from './cluster.js';
import { call } from './http.js';
import { answersOk, freePort, waitUntil } from './net.js';
import { ROOT, startChild, type Child } from './processes.js';
import { startBalancer, startUpstreamProxy, type Balancer, type UpstreamProxy } from './proxy.js';
import { LOAD_KNOBS, pintuEnv } from './settings.js';

const run = promisify(execFile);

export interface Stack {
  clock: ClockPlan;
  postgres: PrivatePostgres;
  redis: PrivateRedis;
  /** Pintu's environment (DATABASE_URL, REDIS_URL, …) for the CLI. */
  env: Record<string, string>;
  /** The simulator's own read-only view of the database. */
  db: pg.Pool;
  sandboxUrl: string;
  /** The balancer in front of the APIs. */
  api: string;
  proxies: Record<Dialect, UpstreamProxy>;
  sandbox: Child;
  apis: Child[];
  workers: Child[];
  /** Every child's last output lines (for a failure report). */
  output(): string[];
  close(): Promise<void>;
}

export async function startStack(
  clock: ClockPlan,
  options: { seed: number; apis: number; workers: number; log: (line: string) => void },
): Promise<Stack> {
  const time = faketimeEnv(clock.offsetSeconds);
  const cleanups: (() => Promise<void> | void)[] = [];
  const close = async () => {
    for (const cleanup of cleanups.splice(0).reverse())
      await Promise.resolve(cleanup()).catch(() => undefined);
  };
  try {
    const postgres = await startPostgres(time);
    cleanups.push(() => postgres.destroy());
    const redis = await startRedis();
    cleanups.push(() => redis.destroy());
    options.log(`private postgres ${postgres.baseUrl}, redis ${redis.url}`);

    const [sandboxPort, dgfPort, iakPort, frontPort] = await Promise.all([
      freePort(),
      freePort(),
      freePort(),
      freePort(),
    ]);
    const apiPorts = await Promise.all(Array.from({ length: options.apis }, () => freePort()));
    const proxies = {
      digiflazz: await startUpstreamProxy(dgfPort, sandboxPort),
      iak: await startUpstreamProxy(iakPort, sandboxPort),
    };
    cleanups.push(
      () => proxies.digiflazz.close(),
      () => proxies.iak.close(),
    );
    const front: Balancer = await startBalancer(frontPort, () => apiPorts);
    cleanups.push(() => front.close());
    const api = `http://127.0.0.1:${frontPort}`;

    const env: Record<string, string> = {
      ...pintuEnv(clock.cutOff, options.seed),
      // As in production: the owner migrates, the service runs as a role that cannot rewrite history.
      DATABASE_OWNER_URL: `${postgres.baseUrl}/pintu`,
      DATABASE_URL: withUser(`${postgres.baseUrl}/pintu`, 'pintu_app'),
      REDIS_URL: redis.url,
      DIGIFLAZZ_BASE_URL: `http://127.0.0.1:${dgfPort}/digiflazz`,
      IAK_BASE_URL: `http://127.0.0.1:${iakPort}/iak`,
      IAK_PREPAID_BASE_URL: `http://127.0.0.1:${iakPort}/iak`,
      CALLBACK_BASE_URL: api,
    };
    await run(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'migrate'], {
      cwd: ROOT,
      env: { ...process.env, ...env, ...time },
    });

    const sandbox = startChild('sandbox', ['sandbox'], {
      ...env,
      ...time,
      SANDBOX_PORT: String(sandboxPort),
    });
    cleanups.push(() => sandbox.stop());
    const sandboxUrl = `http://127.0.0.1:${sandboxPort}`;
    await waitUntil(answersOk(`${sandboxUrl}/_sandbox/stats?refs=0`), 60_000, 'the sandbox');
    const knobs = await call(sandboxUrl, '/_sandbox/config', {
      body: { ...LOAD_KNOBS, cutOff: clock.cutOff },
    });
    if (knobs.status !== 200) throw new Error(`sandbox refused its knobs: ${JSON.stringify(knobs.body)}`);

    const apis = apiPorts.map((port, i) =>
      startChild(`api${i + 1}`, ['api'], { ...env, ...time, PORT: String(port) }),
    );
    const workers = Array.from({ length: options.workers }, (_, i) =>
      startChild(`worker${i + 1}`, ['worker'], { ...env, ...time }),
    );
    cleanups.push(() => Promise.all([...apis, ...workers].map((c) => c.stop(5_000))).then(() => undefined));
    for (const port of apiPorts)
      await waitUntil(answersOk(`http://127.0.0.1:${port}/health/ready`), 90_000, `the API on ${port}`);

    const db = new pg.Pool({ connectionString: env.DATABASE_OWNER_URL, max: 3 });
    db.on('error', () => undefined);
    cleanups.push(() => db.end());

    return {
      clock,
      postgres,
      redis,
      env,
      db,
      sandboxUrl,
      api,
      proxies,
      sandbox,
      apis,
      workers,
      output: () => [sandbox, ...apis, ...workers].flatMap((c) => c.output),
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
