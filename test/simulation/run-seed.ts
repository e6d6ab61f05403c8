/**
 * Runs `npm run simulate` for one seed as a real child process (its own PostgreSQL cluster, Redis, sandbox, API
 * and workers on the fake clock) and returns its summary line. Needs Debian's faketime (.ci/run installs it).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const LIBFAKETIME = '/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1';
export const hasFaketime = existsSync(LIBFAKETIME);

export interface SimulationResult {
  code: number | null;
  summary: {
    seed: number;
    seconds: number;
    payments: number;
    faults: Record<string, number>;
    violations: number;
  };
  violations: string[];
  stderr: string;
}

export function runSimulation(seed: number, seconds: number): Promise<SimulationResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        'scripts/simulate/run.ts',
        '--seed',
        String(seed),
        '--seconds',
        String(seconds),
        '--json',
      ],
      {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      const lines = stdout.trim().split('\n');
      try {
        const summary = JSON.parse(lines.at(-1) ?? '') as SimulationResult['summary'];
        resolve({ code, summary, violations: lines.slice(0, -1), stderr });
      } catch {
        reject(
          new Error(`the simulation printed no summary (exit ${code}):\n${stdout}\n${stderr.slice(-4000)}`),
        );
      }
    });
  });
}

/** The fault kinds every run must show at least once. */
export const EVERY_FAULT = [
  'fee_change',
  'upstream_refuse',
  'upstream_blackhole',
  'upstream_reset',
  'upstream_slow',
  'worker_kill',
  'api_kill',
  'redis_flush',
  'postgres_stop',
  'forged_callback',
  'settlement_complete',
  'settlement_partial',
  'settlement_phantom',
  'settlement_drift',
  'settlement_late',
  'pending_to_success',
  'pending_to_failure',
  'late_refund',
  'callback_duplicated',
  'callback_out_of_order',
  'callback_dropped',
] as const;
