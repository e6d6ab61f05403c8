/**
 * Latency and injected faults: the ways a real upstream's answer goes wrong (ppob.md §5 "Latency", §3.3). All draws
 * come from the seeded sequential PRNG.
 */
import type { FastifyReply } from 'fastify';
import type { SandboxContext } from './context.js';

/** What happens to a pay answer. `http500` is decided before processing (nothing recorded), the others after. */
export type Fault = 'none' | 'http500' | 'garbage' | 'truncated';

/** Sleeps the configured latency, plus a slow stretch for `slowRate` of requests. */
export async function applyLatency(ctx: SandboxContext): Promise<void> {
  const { latencyMs, slowRate, slowMs } = ctx.knobs;
  let wait = latencyMs[1] > 0 ? ctx.random.int(latencyMs[0], latencyMs[1]) : 0;
  if (ctx.random.chance(slowRate)) wait += ctx.random.int(slowMs[0], slowMs[1]);
  if (wait > 0) await ctx.timers.sleep(wait);
}

/** `faultRate` split evenly between the three kinds. */
export function drawFault(ctx: SandboxContext): Fault {
  if (!ctx.random.chance(ctx.knobs.faultRate)) return 'none';
  return ctx.random.pick(['http500', 'garbage', 'truncated'] as const);
}

/** Sends `{ data }` as JSON, mangled when the fault says so (HTTP 200 either way, like a broken proxy would). */
export function sendData(
  reply: FastifyReply,
  data: unknown,
  fault: Fault = 'none',
  status = 200,
): FastifyReply {
  const json = JSON.stringify({ data });
  reply.code(status).type('application/json; charset=utf-8');
  if (fault === 'garbage') return reply.send('<html><body><h1>502 Bad Gateway</h1></body></html>');
  if (fault === 'truncated') return reply.send(json.slice(0, Math.max(1, Math.floor(json.length / 2))));
  return reply.send(json);
}

/** The pay was never recorded: a plain gateway error (1042's 504, injected 500). */
export function sendGatewayError(reply: FastifyReply, status: 500 | 504): FastifyReply {
  const text = status === 504 ? 'Gateway Time-out' : 'Internal Server Error';
  return reply
    .code(status)
    .type('text/html; charset=utf-8')
    .send(`<html><body><h1>${status} ${text}</h1></body></html>`);
}

/**
 * 1105: the payment is recorded as a success but its answer is lost, as HTTP 500 or a reset connection
 * (`resetRate`). Only status, callback or settlement reveal what happened.
 */
export function loseAnswer(ctx: SandboxContext, reply: FastifyReply): FastifyReply {
  if (ctx.random.chance(ctx.knobs.resetRate)) {
    reply.hijack();
    reply.raw.socket?.destroy();
    return reply;
  }
  return sendGatewayError(reply, 500);
}
