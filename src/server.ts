/**
 * Process runners: `pintu api`, `pintu worker`, `pintu start` (api + worker + sandbox in one process,
 * what `npm start` runs). Thin: loadConfig → prepare → buildDeps → buildApp().listen() / startWorkers.
 * Each loads only what it runs (the HTTP app and the sandbox on demand): a killed worker is back sooner.
 */
import closeWithGrace from 'close-with-grace';
import type { FastifyInstance } from 'fastify';
import type { Sandbox } from '../adapters/sandbox/index.js';
import { type Config, LOCAL_SECRETS } from './config.js';
import { type Deps, buildDeps } from './deps.js';
import { createLogger } from './logger.js';
import { formatRupiah } from './money.js';
import { ensurePlatformAccounts, seedDemo } from './seed.js';
import { prepareDatabase, runtimeRoleWarning } from './startup.js';
import { type RunningWorkers, startWorkers } from './worker.js';

interface Running {
  deps: Deps;
  app?: FastifyInstance;
  workers?: RunningWorkers;
  sandbox?: Sandbox;
}

function onShutdown(config: Config, running: Running): void {
  closeWithGrace({ delay: config.SHUTDOWN_GRACE_MS }, async ({ signal, err }) => {
    if (err) running.deps.log.error({ err }, 'shutting down after an error');
    else running.deps.log.info({ signal }, 'shutting down');
    // Stop taking work first, then let in-flight jobs finish or hand them back, then close pools.
    await running.app?.close();
    await running.workers?.close();
    await running.sandbox?.close();
    await running.deps.close();
  });
}

async function listen(app: FastifyInstance, config: Config): Promise<string> {
  return app.listen({ port: config.PORT, host: config.HOST });
}

/** Migrate and set up the runtime role; say so when the service could rewrite history (development). */
async function prepare(config: Config, deps: Pick<Deps, 'log'>) {
  const prepared = await prepareDatabase(config);
  const warning = runtimeRoleWarning(prepared.runtime);
  if (warning) deps.log.warn(warning);
  return prepared;
}

export async function runApi(config: Config): Promise<Running> {
  const deps = buildDeps(config, { name: 'pintu-api' });
  await prepare(config, deps);
  await ensurePlatformAccounts(deps);
  const { buildApp } = await import('./app.js');
  const app = await buildApp(deps);
  const running: Running = { deps, app };
  onShutdown(config, running);
  await listen(app, config);
  return running;
}

export async function runWorker(config: Config): Promise<Running> {
  const deps = buildDeps(config, { name: 'pintu-worker' });
  await prepare(config, deps);
  await ensurePlatformAccounts(deps);
  const running: Running = { deps, workers: startWorkers(deps) };
  if (config.WORKER_METRICS_PORT !== undefined) {
    const { serveWorkerMetrics } = await import('./worker-metrics.js');
    running.app = await serveWorkerMetrics(deps, config.WORKER_METRICS_PORT);
  }
  onShutdown(config, running);
  deps.log.info({ concurrency: config.WORKER_CONCURRENCY }, 'worker started');
  return running;
}

async function sandboxFor(config: Config, log: ReturnType<typeof createLogger>): Promise<Sandbox> {
  const { createSandbox } = await import('../adapters/sandbox/index.js');
  return createSandbox({
    seed: config.SANDBOX_SEED,
    pendingMs: config.SANDBOX_PENDING_MS,
    refundMs: config.SANDBOX_REFUND_MS,
    initialDeposit: config.SANDBOX_INITIAL_DEPOSIT,
    credentials: {
      digiflazz: {
        username: config.DIGIFLAZZ_USERNAME,
        apiKey: config.DIGIFLAZZ_API_KEY,
        webhookSecret: config.DIGIFLAZZ_WEBHOOK_SECRET,
      },
      iak: { username: config.IAK_USERNAME, apiKey: config.IAK_API_KEY },
    },
    logger: log.child({ component: 'sandbox' }),
  });
}

/** The sandbox upstream alone (benchmarks and soaks run it as its own process). */
export async function runSandbox(config: Config, print: (line: string) => void): Promise<Sandbox> {
  const log = createLogger({ level: config.LOG_LEVEL });
  const sandbox = await sandboxFor(config, log);
  const url = await sandbox.listen(config.SANDBOX_PORT, '127.0.0.1');
  if (config.CALLBACK_BASE_URL) {
    sandbox.setCallbackUrl('digiflazz', `${config.CALLBACK_BASE_URL}/v1/callbacks/digiflazz`);
    sandbox.setCallbackUrl('iak', `${config.CALLBACK_BASE_URL}/v1/callbacks/iak`);
  }
  closeWithGrace({ delay: config.SHUTDOWN_GRACE_MS }, () => sandbox.close());
  print(`sandbox upstream listening on ${url} (digiflazz: ${url}/digiflazz, iak: ${url}/iak)`);
  return sandbox;
}

/** Everything in one process, against the in-process sandbox unless real upstream URLs are configured. */
export async function runAll(config: Config, print: (line: string) => void): Promise<Running> {
  const log = createLogger({
    level: config.LOG_LEVEL,
    pretty: config.NODE_ENV !== 'production' && process.stdout.isTTY,
  });
  const { created } = await prepare(config, { log });
  let sandbox: Sandbox | undefined;
  let upstreamUrls: { digiflazz?: string; iak?: string } = {};
  if (config.SANDBOX_ENABLED) {
    sandbox = await sandboxFor(config, log);
    const sandboxUrl = await sandbox.listen(config.SANDBOX_PORT, '127.0.0.1');
    upstreamUrls = { digiflazz: `${sandboxUrl}/digiflazz`, iak: `${sandboxUrl}/iak` };
    log.info({ url: sandboxUrl }, 'sandbox upstream listening');
  }
  const deps = buildDeps(config, { log, upstreamUrls, name: 'pintu' });
  await ensurePlatformAccounts(deps);
  const demo = await seedDemo(deps, { upstreamDeposit: config.SANDBOX_INITIAL_DEPOSIT });
  const { buildApp } = await import('./app.js');
  const app = await buildApp(deps);
  const running: Running = { deps, app, sandbox };
  onShutdown(config, running);
  const apiUrl = await listen(app, config);
  const callbackBase = config.CALLBACK_BASE_URL ?? apiUrl;
  sandbox?.setCallbackUrl('digiflazz', `${callbackBase}/v1/callbacks/digiflazz`);
  sandbox?.setCallbackUrl('iak', `${callbackBase}/v1/callbacks/iak`);
  running.workers = startWorkers(deps);

  print(`Pintu is listening on ${apiUrl}  (OpenAPI: ${apiUrl}/docs)${created ? '  [database created]' : ''}`);
  if (demo) {
    print('');
    print('Demo koperasi seeded. These credentials are shown once:');
    print(`  koperasi:   ${demo.koperasi}`);
    print(`  treasurer:  username ${demo.treasurer.username}  password ${demo.treasurer.password}`);
    print(
      `  office:     username ${demo.supervisor.username}  password ${demo.supervisor.password}  (cooperative office of ${demo.supervisor.region}: "Masuk sebagai petugas Dinas")`,
    );
    for (const m of demo.members) {
      print(
        `  member:     username ${m.memberNo}  password ${m.password}  PIN ${m.pin}  (${m.name}, savings ${formatRupiah(m.balance)})`,
      );
    }
    print(
      `  admin:      Authorization: Bearer <ADMIN_TOKEN> (default for local use: ${config.ADMIN_TOKEN === LOCAL_SECRETS.ADMIN_TOKEN ? config.ADMIN_TOKEN : 'as configured'})`,
    );
    print('');
  }
  return running;
}
