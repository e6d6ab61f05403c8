/** The sandbox's ground truth (GET /_sandbox/truth), read straight from the sandbox, never through a proxy. */
import type { Dialect, SandboxTruth, TruthTransaction } from '../../adapters/sandbox/index.js';

export type { SandboxTruth, TruthTransaction } from '../../adapters/sandbox/index.js';

export interface TruthIndex {
  truth: SandboxTruth;
  get(dialect: string, refId: string): TruthTransaction | undefined;
}

export async function readTruth(sandboxUrl: string): Promise<TruthIndex> {
  const response = await fetch(`${sandboxUrl}/_sandbox/truth`, { signal: AbortSignal.timeout(30_000) });
  if (!response.ok) throw new Error(`sandbox truth: HTTP ${response.status}`);
  const truth = (await response.json()) as SandboxTruth;
  const byKey = new Map<string, TruthTransaction>();
  for (const dialect of ['digiflazz', 'iak'] as const satisfies readonly Dialect[]) {
    for (const txn of truth[dialect].transactions) byKey.set(`${dialect}:${txn.refId}`, txn);
  }
  return { truth, get: (dialect, refId) => byKey.get(`${dialect}:${refId}`) };
}

/** The upstream's answer is final: it kept the money (success) or it never will (failed, refunded). */
export const isFinalTruth = (txn: TruthTransaction | undefined) =>
  txn !== undefined && (txn.state === 'success' || txn.state === 'failed' || txn.state === 'refunded');
