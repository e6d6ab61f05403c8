/**
 * Callbacks: a forged or unsigned callback is rejected, a genuine one is an event for its ref, and no
 * malformed request makes an adapter throw (port.ts: `parseCallback` never throws for bad input).
 *
 * The dialects sign differently (Digiflazz and the fake over the whole body, IAK over the ref only), so the
 * suite checks the one property they share: a body changed after signing is never `authenticated`.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BillerAdapter, CallbackRequest, CallbackResult } from '../../src/billers/port.js';
import type { CallbackCase, ContractHarness } from './harness.js';

const BAD_SIGNATURE: CallbackResult = { kind: 'rejected', reason: 'bad_signature' };

function parse(adapter: BillerAdapter, request: CallbackRequest, what: string): CallbackResult {
  try {
    return adapter.parseCallback(request);
  } catch (error) {
    return expect.fail(`parseCallback threw on ${what}: ${String(error)}`);
  }
}

/** The genuine callback with its body replaced. */
const withBody = (genuine: CallbackCase, rawBody: Buffer): CallbackRequest => ({ ...genuine.input, rawBody });

/** Header values as a proxy or a forger might send them: text, signature-shaped hex, repeated, absent. */
const headerValue = fc.oneof(
  fc.string({ maxLength: 80 }),
  fc.stringMatching(/^sha1=[0-9a-f]{40}$/),
  fc.stringMatching(/^[0-9a-f]{64}$/),
  fc.array(fc.string({ maxLength: 20 }), { maxLength: 3 }),
  fc.constant(undefined),
);
const headerName = fc.oneof(
  fc.constantFrom('x-hub-signature', 'X-Hub-Signature', 'x-fake-signature', 'x-digiflazz-event'),
  fc.string({ maxLength: 20 }),
);
const ref = fc.string({ minLength: 1, maxLength: 12 });
const json = (value: unknown): Buffer => Buffer.from(JSON.stringify(value));
/** Bodies: bytes, any JSON, and each dialect's callback shape with a made-up ref and sign (or none). */
const body = fc.oneof(
  fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes)),
  fc.json({ maxDepth: 3 }).map((text) => Buffer.from(text)),
  fc
    .record({ ref_id: ref, sign: fc.stringMatching(/^[0-9a-f]{32}$/), status: fc.constantFrom(1, '1', 2) })
    .map((data) => json({ data: { ...data, rc: '00', message: 'SUCCESS' } })),
  fc
    .record({
      ref_id: ref,
      rc: fc.constantFrom('00', '02', '74'),
      status: fc.constantFrom('Sukses', 'Gagal'),
    })
    .map((data) => json({ data })),
  fc
    .record({ refId: ref, rc: fc.constantFrom('00', '02', '44') })
    .map(({ refId, rc }) => json({ refId, outcome: { kind: 'success', upstreamRef: 'S', rc, message: '' } })),
);

export function describeCallbacks(harness: ContractHarness): void {
  describe('callbacks', () => {
    it('rejects a callback with a forged signature', async () => {
      const forged = await harness.callbacks.forgedSignature();
      expect(parse(forged.adapter, forged.input, 'a forged callback')).toEqual(BAD_SIGNATURE);
    });

    it('rejects a callback without a signature', async () => {
      const unsigned = await harness.callbacks.missingSignature();
      expect(parse(unsigned.adapter, unsigned.input, 'an unsigned callback')).toEqual(BAD_SIGNATURE);
    });

    it('reads a genuine callback reporting success as a success event for its ref', async () => {
      const genuine = await harness.callbacks.genuineSuccess();
      const result = parse(genuine.adapter, genuine.input, 'a genuine callback');
      expect(result).toMatchObject({ kind: 'event', refId: genuine.refId, outcome: { kind: 'success' } });
      const trust = result.kind === 'event' ? result.trust : result.reason;
      expect(['authenticated', 'notify-only']).toContain(trust);
    });

    it('never trusts as authenticated a genuine callback changed at any byte after signing', async () => {
      const genuine = await harness.callbacks.genuineSuccess();
      const raw = genuine.input.rawBody;
      for (let at = 0; at < raw.length; at += 1) {
        const changed = Buffer.from(raw);
        changed[at] = (changed[at] ?? 0) ^ 0x01;
        const result = parse(genuine.adapter, withBody(genuine, changed), `a body changed at byte ${at}`);
        if (result.kind !== 'event') continue;
        // IAK signs only the ref: a changed status still arrives, but only as a notice to confirm by status.
        expect(result.trust, `body changed at byte ${at}`).toBe('notify-only');
        expect(result.refId).toBe(genuine.refId);
      }
    });

    it('rejects a genuine callback cut off at any byte', async () => {
      const genuine = await harness.callbacks.genuineSuccess();
      const raw = genuine.input.rawBody;
      for (let cut = 0; cut < raw.length; cut += 1) {
        const cutOff = withBody(genuine, raw.subarray(0, cut));
        expect(parse(genuine.adapter, cutOff, `a body cut at ${cut}`).kind, `cut at ${cut}`).toBe('rejected');
      }
    });

    it('rejects arbitrary requests without throwing', async () => {
      const { adapter } = await harness.callbacks.genuineSuccess();
      fc.assert(
        fc.property(fc.dictionary(headerName, headerValue, { maxKeys: 5 }), body, (headers, rawBody) => {
          expect(parse(adapter, { headers, rawBody }, 'an arbitrary request').kind).toBe('rejected');
        }),
        { numRuns: 300 },
      );
    });
  });
}
