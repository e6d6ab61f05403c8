/**
 * PLN cut-off windows for tests. PLN products are refused 23:00–00:30 WIB by default, so a test that pays PLN on the
 * real clock would fail for an hour and a half every night: tests get a window far from their clock instead.
 */

/** A PLN cut-off window twelve hours from now (HH:MM WIB), so PLN tests pass at any time of day. */
export function cutOffFarFromNow(now = new Date()): { start: string; end: string } {
  const wib = new Date(now.getTime() + 7 * 3_600_000 + 12 * 3_600_000);
  const hh = String(wib.getUTCHours()).padStart(2, '0');
  const start = `${hh}:00`;
  const end = `${hh}:01`;
  return { start, end };
}

/** The cut-off window that contains now (to show PRODUCT_CUT_OFF). */
export function cutOffAroundNow(now = new Date()): { start: string; end: string } {
  const at = (offsetMs: number) => {
    const wib = new Date(now.getTime() + 7 * 3_600_000 + offsetMs);
    return `${String(wib.getUTCHours()).padStart(2, '0')}:${String(wib.getUTCMinutes()).padStart(2, '0')}`;
  };
  return { start: at(-60 * 60_000), end: at(60 * 60_000) };
}
