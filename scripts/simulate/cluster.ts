/**
 * The simulation's own PostgreSQL cluster (initdb into a temp dir) and Redis server, on free ports and on the fake
 * clock, so they can be stopped, restarted and flushed as faults without disturbing anything else on the machine.
 * Both are deleted at the end.
 */
import { type ChildProcess, execFile, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort, waitUntil } from './net.js';

export interface PrivatePostgres {
  /** postgres://postgres@127.0.0.1:PORT (no database). */
  baseUrl: string;
  start(): Promise<void>;
  /** Immediate shutdown: connections die mid-statement, like a crash. */
  stop(): Promise<void>;
  destroy(): Promise<void>;
}

export interface PrivateRedis {
  url: string;
  port: number;
  flushAll(): Promise<void>;
  destroy(): Promise<void>;
}

function pgBin(tool: string): string {
  const root = '/usr/lib/postgresql';
  const version = existsSync(root) ? readdirSync(root).sort().at(-1) : undefined;
  if (version === undefined)
    throw new Error('PostgreSQL server binaries not found under /usr/lib/postgresql');
  return join(root, version, 'bin', tool);
}

const exec = promisify(execFile);

/**
 * initdb and pg_ctl refuse to run as root: then they run as the postgres user, with the fake clock passed on.
 * Asynchronous, so the simulated clients go on while PostgreSQL starts or stops.
 */
async function asPostgres(tool: string, args: string[], env: Record<string, string>): Promise<void> {
  const assignments = Object.entries(env).map(([k, v]) => `${k}=${v}`);
  const command = ['env', ...assignments, pgBin(tool), ...args];
  if (process.getuid?.() === 0) await exec('runuser', ['-u', 'postgres', '--', ...command]);
  else await exec(command[0]!, command.slice(1));
}

export async function startPostgres(clockEnv: Record<string, string>): Promise<PrivatePostgres> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'pintu-sim-pg-'));
  if (process.getuid?.() === 0) execFileSync('chown', ['postgres:postgres', dir]);
  const data = join(dir, 'data');
  await asPostgres('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8'], {});
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300`;
  const start = () =>
    asPostgres(
      'pg_ctl',
      ['-D', data, '-o', options, '-w', '-t', '60', '-l', join(dir, 'log'), 'start'],
      clockEnv,
    );
  const stop = () => asPostgres('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop'], {});
  await start();
  return {
    baseUrl: `postgres://postgres@127.0.0.1:${port}`,
    start,
    stop,
    async destroy() {
      await stop().catch(() => undefined); // already stopped
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const answers = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.end();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });

/**
 * Redis runs on the real clock: Debian's redis-server (jemalloc) aborts under libfaketime ("unexpected recursive
 * calls to clock_gettime()"). Nothing needs its wall clock: BullMQ stamps the daily jobs' times with its client's
 * (fake) time, payment steps are due by the outbox (PostgreSQL, on the fake clock), and TTLs are relative.
 */
export async function startRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  const child: ChildProcess = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
  await waitUntil(() => answers(port), 15_000, 'the private redis');
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    async flushAll() {
      execFileSync('redis-cli', ['-h', '127.0.0.1', '-p', String(port), 'FLUSHALL'], { stdio: 'ignore' });
    },
    destroy: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      }),
  };
}
