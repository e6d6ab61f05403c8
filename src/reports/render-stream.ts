/**
 * Backpressure for the renderers whose libraries push without asking (pdfkit, the exceljs zip):
 * before producing more, wait until what they buffered has reached `out`, so memory stays flat
 * however slowly the reader downloads. A reader that went away stops the rendering (and with it
 * the row query) instead of filling memory for nobody.
 */
import type { Writable } from 'node:stream';
import { setImmediate as nextTurn } from 'node:timers/promises';

export class OutputClosedError extends Error {
  constructor() {
    super('report output closed before the report was complete');
    this.name = 'OutputClosedError';
  }
}

function assertOpen(out: Writable): void {
  if (out.destroyed || out.writableEnded) throw new OutputClosedError();
}

/** Resolves when `out` asks for more; rejects if it closes or fails first. */
export async function whenDrained(out: Writable): Promise<void> {
  assertOpen(out);
  if (!out.writableNeedDrain) return;
  await new Promise<void>((resolve, reject) => {
    const settle = (err?: Error) => {
      out.off('drain', onDrain).off('close', onClose).off('error', onError);
      if (err) reject(err);
      else resolve();
    };
    const onDrain = () => settle();
    const onClose = () => settle(new OutputClosedError());
    const onError = (err: Error) => settle(err);
    out.on('drain', onDrain).on('close', onClose).on('error', onError);
  });
}

/**
 * Waits while the encoder holds more than `limit` bytes not yet taken by `out`. When `out` is not
 * the one pushing back, the encoder only needs a turn of the event loop (zlib runs off-thread,
 * piped data flows on the next tick).
 */
export async function relieve(out: Writable, buffered: () => number, limit: number): Promise<void> {
  assertOpen(out);
  while (buffered() > limit) {
    if (out.writableNeedDrain) await whenDrained(out);
    else await nextTurn();
    assertOpen(out);
  }
}
