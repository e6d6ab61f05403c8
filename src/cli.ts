#!/usr/bin/env node
/**
 * `pintu`: the operator's command line. In a checkout: `npm run --silent pintu -- <command>`.
 * Start-up problems (bad config, unreachable Postgres/Redis) end with one clear line and exit 1.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { type Config, ConfigError, loadConfig } from './config.js';
import type { Deps } from './deps.js';
import { createLogger } from './logger.js';
import type { ReportFormat } from './reports/types.js';
import type * as Server from './server.js';
import { StartupError, prepareDatabase } from './startup.js';

// Each command loads the modules it runs when it runs (`await import`): a bad configuration is told, and a killed
// worker restarts, without loading the HTTP app, the report renderers and the sandbox first.

const USAGE = `usage: pintu <command>

  start                      API, workers and the sandbox upstream in one process (npm start)
  api                        the HTTP API only
  worker                     the workers only (payments, sealer, reconciliation)
  sandbox                    the sandbox upstream alone, on SANDBOX_PORT
  migrate                    create the database if missing and apply migrations
  seed-demo                  seed the demo koperasi into an empty database; prints credentials
  ledger verify [--json] [--checkpoints FILE]
                             check every ledger invariant; with FILE (checkpoints exported earlier)
                             also prove history up to each checkpoint is unchanged; exit 1 on any breach
  ledger checkpoint [--koperasi CODE] [--json]
                             sign a checkpoint of every book (or one koperasi's) now
  recon run --adapter A --date YYYY-MM-DD [--file settlement.csv]
                             reconcile one adapter's WIB day (fetches the file unless --file is given)
  report daily --koperasi CODE --date YYYY-MM-DD --format csv|xlsx|pdf [--out FILE]
                             write the treasurer's daily report to a file
`;

const out = (line: string) => process.stdout.write(`${line}\n`);
const fail = (line: string): never => {
  process.stderr.write(`pintu: ${line}\n`);
  process.exit(1);
};

/** Checkpoints exported earlier: the JSON of GET /v1/transparency/checkpoints, or an array of its items. */
async function readCheckpointFile(path: string): Promise<unknown[]> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    return fail(`cannot read checkpoints from ${path}: ${(error as Error).message}`);
  }
  const items = Array.isArray(parsed) ? parsed : (parsed as { checkpoints?: unknown }).checkpoints;
  if (!Array.isArray(items) || items.length === 0)
    return fail(`${path} holds no checkpoints (expected the JSON of GET /v1/transparency/checkpoints)`);
  return items as unknown[];
}

async function ledgerVerify(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      json: { type: 'boolean', default: false },
      seal: { type: 'boolean', default: true },
      checkpoints: { type: 'string' },
    },
  });
  const exported = values.checkpoints ? await readCheckpointFile(values.checkpoints) : undefined;
  const config = loadConfig();
  await prepareDatabase(config);
  const [{ buildDeps }, { runVerification }] = await Promise.all([
    import('./deps.js'),
    import('./transparency/verification.js'),
  ]);
  const deps = buildDeps(config, { log: createLogger({ level: 'silent' }), adapters: [], name: 'pintu-cli' });
  try {
    const run = await runVerification(deps, { source: 'cli', seal: values.seal, checkpoints: exported });
    if (values.json)
      out(JSON.stringify({ ...run.report, ok: run.ok, checkpoints: run.checkpoints }, null, 2));
    else {
      for (const check of run.report.checks) {
        out(`${check.ok ? 'ok  ' : 'FAIL'}  ${check.name}: ${check.description}`);
        for (const breach of check.breaches) out(`        ${JSON.stringify(breach)}`);
      }
      if (run.checkpoints) {
        const { checked, problems } = run.checkpoints;
        out(
          `${problems.length === 0 ? 'ok  ' : 'FAIL'}  checkpoints_match: history up to each of ${checked} signed checkpoint(s) is unchanged`,
        );
        for (const p of problems)
          out(
            `        book ${p.book ?? '?'}${p.koperasi ? ` (koperasi ${p.koperasi})` : ''}, day ${p.day ?? '?'}: ${p.problem}`,
          );
      }
      out(`unsealed transactions: ${run.report.unsealed.transactions}`);
      out(run.ok ? 'ledger verified' : 'LEDGER BREACHED');
    }
    return run.ok ? 0 : 1;
  } finally {
    await deps.close();
  }
}

async function ledgerCheckpoint(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { koperasi: { type: 'string' }, json: { type: 'boolean', default: false } },
  });
  const [{ wibDate }, { findKoperasiByCode }, { takeCheckpoints, toExported }, { PUBLIC_KEY_PATH }] =
    await Promise.all([
      import('./clock.js'),
      import('./koperasi/repository.js'),
      import('./transparency/checkpoints.js'),
      import('./transparency/routes.js'),
    ]);
  return withDeps(async (deps) => {
    let koperasiId: string | undefined;
    if (values.koperasi) {
      const kop = await findKoperasiByCode(deps.db, values.koperasi.toLowerCase());
      if (!kop) return fail(`no koperasi with code ${values.koperasi}`);
      koperasiId = kop.id;
    }
    const now = deps.clock.now();
    const written = await takeCheckpoints(
      { db: deps.db, signer: deps.signer, now },
      { day: wibDate(now), kind: 'on_demand', koperasiId },
    );
    const rows = written.map(toExported);
    if (values.json)
      out(
        JSON.stringify(
          { publicKeyUrl: PUBLIC_KEY_PATH, keyId: deps.signer.keyId, checkpoints: rows },
          null,
          2,
        ),
      );
    else
      for (const c of rows)
        out(
          `book ${c.bookId}${c.koperasiId ? ` (koperasi ${c.koperasiId})` : ' (platform)'}  seal ${c.seq}  ${c.entries} entries  ${c.fingerprint}`,
        );
    return 0;
  });
}

/** A process for one command: migrated database, the configured adapters, quiet logs. */
async function withDeps<T>(work: (deps: Deps) => Promise<T>): Promise<T> {
  const config = loadConfig();
  await prepareDatabase(config);
  const { buildDeps } = await import('./deps.js');
  const deps = buildDeps(config, { log: createLogger({ level: 'warn' }), name: 'pintu-cli' });
  try {
    return await work(deps);
  } finally {
    await deps.close();
  }
}

async function reconRun(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { adapter: { type: 'string' }, date: { type: 'string' }, file: { type: 'string' } },
  });
  if (!values.adapter || !values.date) return fail('recon run needs --adapter and --date');
  const { adapter, date, file } = values as { adapter: string; date: string; file?: string };
  const { runReconciliation } = await import('./recon/service.js');
  return withDeps(async (deps) => {
    const result = await runReconciliation(deps, {
      adapter,
      date,
      trigger: 'cli',
      upload: file ? createReadStream(file) : undefined,
    });
    out(
      JSON.stringify(
        {
          file: {
            ...result.file,
            totalAmount: String(result.file.totalAmount),
            totalPrice: String(result.file.totalPrice),
          },
          recon: result.recon,
        },
        null,
        2,
      ),
    );
    return 0;
  });
}

async function reportDaily(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      koperasi: { type: 'string' },
      date: { type: 'string' },
      format: { type: 'string', default: 'csv' },
      out: { type: 'string' },
    },
  });
  const format = values.format as ReportFormat;
  if (!values.koperasi || !values.date || !['csv', 'xlsx', 'pdf'].includes(format)) {
    return fail('report daily needs --koperasi CODE --date YYYY-MM-DD --format csv|xlsx|pdf');
  }
  const { koperasi, date } = values as { koperasi: string; date: string };
  const [{ buildDailyReport }, { fileNameFor, renderReport }] = await Promise.all([
    import('./reports/daily.js'),
    import('./reports/render.js'),
  ]);
  return withDeps(async (deps) => {
    const report = await buildDailyReport(deps, { code: koperasi }, date);
    const path = values.out ?? fileNameFor(report, format);
    await renderReport(format, report, createWriteStream(path));
    out(`wrote ${path}`);
    return 0;
  });
}

async function seed(): Promise<number> {
  const [{ seedDemo }, { formatRupiah }] = await Promise.all([import('./seed.js'), import('./money.js')]);
  return withDeps(async (deps) => {
    const demo = await seedDemo(deps);
    if (!demo) {
      out('the database already has data; nothing seeded');
      return 0;
    }
    out(`koperasi ${demo.koperasi}; treasurer ${demo.treasurer.username} / ${demo.treasurer.password}`);
    out(`office (${demo.supervisor.region}) ${demo.supervisor.username} / ${demo.supervisor.password}`);
    for (const m of demo.members)
      out(`member ${m.memberNo} / ${m.password}, PIN ${m.pin}, savings ${formatRupiah(m.balance)}`);
    return 0;
  });
}

/** A long-running role: the configuration is checked before the process runners are loaded. */
async function serve(run: (server: typeof Server, config: Config) => Promise<unknown>): Promise<undefined> {
  const config = loadConfig();
  await run(await import('./server.js'), config);
  return undefined;
}

async function main(argv: string[]): Promise<number | undefined> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'start':
      return serve((server, config) => server.runAll(config, out));
    case 'api':
      return serve((server, config) => server.runApi(config));
    case 'worker':
      return serve((server, config) => server.runWorker(config));
    case 'sandbox':
      return serve((server, config) => server.runSandbox(config, out));
    case 'migrate': {
      const config = loadConfig();
      if (config.DATABASE_OWNER_URL === undefined)
        return fail("migrate needs DATABASE_OWNER_URL (the tables' owner) in production");
      const { created } = await prepareDatabase(config);
      out(created ? 'database created and migrated' : 'database migrated');
      return 0;
    }
    case 'seed-demo':
      return seed();
    case 'ledger':
      if (rest[0] === 'verify') return ledgerVerify(rest.slice(1));
      if (rest[0] === 'checkpoint') return ledgerCheckpoint(rest.slice(1));
      return fail(`unknown ledger command\n${USAGE}`);
    case 'recon':
      if (rest[0] === 'run') return reconRun(rest.slice(1));
      return fail(`unknown recon command\n${USAGE}`);
    case 'report':
      if (rest[0] === 'daily') return reportDaily(rest.slice(1));
      return fail(`unknown report command\n${USAGE}`);
    case undefined:
    case 'help':
    case '--help':
      out(USAGE);
      return 0;
    default:
      return fail(`unknown command "${command}"\n${USAGE}`);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== undefined) process.exit(code);
  },
  (error: unknown) => {
    if (error instanceof ConfigError || error instanceof StartupError) fail(error.message);
    const e = error as { code?: string; message?: string };
    if (e.code === 'EADDRINUSE') fail(`the port is already in use: ${e.message}`);
    process.stderr.write(`pintu: ${e.message ?? String(error)}\n`);
    if (process.env.PINTU_DEBUG) console.error(error);
    process.exit(1);
  },
);
