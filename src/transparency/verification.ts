/**
 * One verification run, as the CLI and the worker do it: seal what is queued, check every ledger invariant,
 * check exported checkpoints when given, and record the outcome (the office console and the member page show
 * when the ledger was last verified and whether it passed).
 */
import type { Deps } from '../deps.js';
import { sealAll } from '../ledger/sealing.js';
import { type VerifyReport, verifyLedger } from '../ledger/verify.js';
import { DOMAIN_CHECKS } from '../verify-checks.js';
import { type CheckpointProblem, recordVerification, verifyCheckpoints } from './checkpoints.js';

export interface VerificationRun {
  ok: boolean;
  report: VerifyReport;
  checkpoints?: { checked: number; problems: CheckpointProblem[] };
}

export async function runVerification(
  deps: Pick<Deps, 'db' | 'signer'>,
  options: { source: 'cli' | 'worker'; seal?: boolean; checkpoints?: unknown[] },
): Promise<VerificationRun> {
  if (options.seal ?? true) await sealAll(deps.db);
  const report = await verifyLedger(deps.db, DOMAIN_CHECKS);
  const checkpoints = options.checkpoints
    ? await verifyCheckpoints(
        deps.db,
        { keyId: deps.signer.keyId, pem: deps.signer.publicKeyPem },
        options.checkpoints,
      )
    : undefined;
  const failed = report.checks
    .filter((c) => !c.ok)
    .map((c) => ({
      name: c.name,
      books: [...new Set(c.breaches.map((b) => b.book_id).filter((b): b is string => typeof b === 'string'))],
    }));
  if (checkpoints && checkpoints.problems.length > 0)
    failed.push({
      name: 'checkpoints_match',
      books: [...new Set(checkpoints.problems.map((p) => p.book).filter((b): b is string => b !== null))],
    });
  const ok = failed.length === 0;
  await recordVerification(deps.db, {
    source: options.source,
    ok,
    failed,
    checkpointsChecked: checkpoints?.checked ?? 0,
  });
  return { ok, report, checkpoints };
}
