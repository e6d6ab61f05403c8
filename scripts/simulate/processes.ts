/**
 * Pintu's processes as children (`node --import tsx src/cli.ts sandbox|api|worker`), each on the fake clock and
 * supervised: a child that dies (SIGKILLed as a fault, or exiting because PostgreSQL was down at start-up) is
 * started again, as an orchestrator would. The sandbox is its own process, so it survives Pintu's crashes and
 * keeps the truth.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { sleep } from './net.js';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface Child {
  readonly name: string;
  /** How many times it was (re)started. */
  readonly starts: number;
  /** The last lines it printed (for a failure report). */
  readonly output: string[];
  running(): boolean;
  /** SIGKILL now; the supervisor restarts it after `restartDelayMs`. */
  kill(): Promise<void>;
  /** Stop for good (SIGTERM, then SIGKILL after `graceMs`). */
  stop(graceMs?: number): Promise<void>;
}

export function startChild(
  name: string,
  args: string[],
  env: Record<string, string>,
  options: { restartDelayMs?: number } = {},
): Child {
  const output: string[] = [];
  let child: ChildProcess | undefined;
  let starts = 0;
  let stopped = false;
  const keep = (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n')) if (line.trim() !== '') output.push(`${name}: ${line}`);
    if (output.length > 200) output.splice(0, output.length - 200);
  };
  const exited = () => child === undefined || child.exitCode !== null || child.signalCode !== null;

  const launch = () => {
    starts += 1;
    const current = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
      cwd: ROOT,
      env: { ...process.env, LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = current;
    current.stdout?.on('data', keep);
    current.stderr?.on('data', keep);
    current.once('exit', () => {
      if (stopped || child !== current) return;
      // Like a process manager: bring it back, a little later (it may exit again while PostgreSQL is down).
      setTimeout(() => {
        if (!stopped && child === current) launch();
      }, options.restartDelayMs ?? 700);
    });
  };
  launch();

  const signal = (sig: NodeJS.Signals) =>
    new Promise<void>((resolve) => {
      const current = child;
      if (current === undefined || exited()) return resolve();
      current.once('exit', () => resolve());
      current.kill(sig);
    });

  return {
    name,
    get starts() {
      return starts;
    },
    output,
    running: () => !exited(),
    kill: () => signal('SIGKILL'),
    async stop(graceMs = 10_000) {
      stopped = true;
      const done = signal('SIGTERM');
      const timedOut = await Promise.race([done.then(() => false), sleep(graceMs).then(() => true)]);
      if (timedOut) await signal('SIGKILL');
    },
  };
}
