/**
 * `npm run simulate -- --seed N --seconds S [--json] [--api N] [--workers M]`: the seeded ground-truth
 * simulation. Starts its own world (stack.ts), onboards the plan's koperasi, runs the load with every fault kind,
 * drains, then checks Pintu's verdicts against the sandbox's truth (checks.ts). Violations go to stdout one per
 * line; the last line is the JSON summary. Progress goes to stderr. Exit 0 iff there is no violation; 2 for a
 * usage or environment problem (libfaketime missing); 3 when the simulation itself could not run.
 */
import { parseSimArgs, replayCommand, USAGE, type SimArgs } from './args.js';
import { FAKETIME_MISSING, hasFaketime, planClock } from './clock.js';
import { runChecks } from './checks.js';
import { drain } from './drain.js';
import { gatherEvidence } from './evidence.js';
import { onboard } from './onboarding.js';
import { violationLine, type Violation } from './report.js';
import { buildPlan } from './schedule.js';
import { runLoad } from './load.js';
import { QUIET_KNOBS } from './settings.js';
import { restoreAll } from './faults.js';
import { startStack, type Stack } from './stack.js';
import { summarize } from './summary.js';
import { sleep } from './net.js';

const started = Date.now();
const progress = (line: string) =>
  process.stderr.write(`[simulate +${Math.round((Date.now() - started) / 1000)}s] ${line}\n`);

async function simulate(
  args: SimArgs,
  onStack: (stack: Stack) => void,
): Promise<{ violations: Violation[]; summary: string }> {
  const plan = buildPlan(args.seed, args.seconds);
  // Set-up (cluster, migrations, processes, onboarding) must end before the planned load start, or midnight and the
  // cut-off come early in the load; on a busy CI box it takes about this long.
  const clock = planClock(args.seconds, 40_000 + 2_000 * (args.api + args.workers));
  progress(
    `seed ${args.seed}: ${plan.intents.length} payment intents, ${plan.faults.length} faults, ${plan.koperasi.length} koperasi; WIB midnight ${clock.previousDay} → ${clock.nextDay}, PLN cut-off ${clock.cutOff.start}–${clock.cutOff.end}`,
  );
  const stack = await startStack(clock, {
    seed: args.seed,
    apis: args.api,
    workers: args.workers,
    log: progress,
  });
  onStack(stack);
  const world = await onboard(stack.api, plan);
  progress(`onboarded ${world.koperasi.reduce((n, k) => n + k.members.length, 0)} members`);
  const wait = clock.loadStartReal - Date.now();
  if (wait > 0) await sleep(wait);
  else progress(`set-up took ${-wait} ms longer than planned: midnight comes that much earlier in the load`);

  const load = await runLoad(stack, world, plan, clock, progress);
  progress('load over: faults stop, everything is restored');
  await restoreAll(stack, QUIET_KNOBS);
  await load.lateUploads();
  const drained = await drain(stack, clock, 60_000 + args.seconds * 1_000, progress);
  progress(`drained in ${drained.ms} ms${drained.timedOut ? ' (timed out)' : ''}`);
  await load.stopTreasurers();
  const evidence = await gatherEvidence(stack, world);
  const { violations, notes } = runChecks(evidence, world, clock.previousDay);
  violations.push(...load.violations());
  for (const p of drained.stuck) {
    violations.push({
      check: 'drain',
      paymentId: p.id,
      message: `still ${p.status} after the drain, ${p.review_reason === null ? 'listed for no person' : 'listed though the upstream answer is final'} (${p.adapter ?? '-'} ref ${p.ref_id ?? '-'}, outbox ${p.has_outbox ? 'yes' : 'no'})`,
    });
  }
  // What the processes said about each payment in trouble (their last lines only), for the report's evidence.
  const output = stack.output();
  for (const violation of violations) {
    const id = violation.paymentId;
    if (id === undefined) continue;
    const refs = violation.message.match(/\b[0-9a-f]{29}(?:[0-9a-f]{3}|F\d)\b/g) ?? [];
    const mentions = (line: string) => line.includes(id) || refs.some((ref) => line.includes(ref));
    for (const line of output.filter(mentions).slice(-5)) progress(`evidence ${id}: ${line.slice(0, 400)}`);
  }
  const summary = await summarize({
    args,
    plan,
    stack,
    evidence,
    load,
    drained,
    notes,
    world,
    violations: violations.length,
  });
  return { violations, summary };
}

async function main(): Promise<number> {
  let args: SimArgs;
  try {
    args = parseSimArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
  if (!hasFaketime()) {
    process.stderr.write(`${FAKETIME_MISSING}\n`);
    return 2;
  }
  let stack: Stack | undefined;
  const teardown = async () => {
    const current = stack;
    stack = undefined;
    await current?.close();
  };
  process.once('SIGINT', () => void teardown().then(() => process.exit(130)));
  process.once('SIGTERM', () => void teardown().then(() => process.exit(143)));
  try {
    const { violations, summary } = await simulate(args, (s) => (stack = s));
    await teardown();
    const replay = replayCommand(args);
    for (const violation of violations) process.stdout.write(`${violationLine(violation, replay)}\n`);
    process.stdout.write(`${summary}\n`);
    return violations.length === 0 ? 0 : 1;
  } catch (error) {
    process.stderr.write(
      `simulation could not run: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    for (const line of stack?.output().slice(-40) ?? []) process.stderr.write(`  ${line}\n`);
    await teardown().catch(() => undefined);
    process.stderr.write(`${USAGE}\n`);
    return 3;
  }
}

process.exitCode = await main();
// Children, pools and timers are closed; anything left (a stray keep-alive socket) must not hold the exit.
setTimeout(() => process.exit(process.exitCode ?? 0), 500).unref();
