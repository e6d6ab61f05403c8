/**
 * Idempotency-Key handling for money routes (payments, deposits): a fresh key for every new
 * confirmation, the same key again when the user retries a confirmation whose answer was lost to a
 * network error, so the server replays the first result instead of moving money twice.
 */
export function newKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  // crypto.randomUUID needs a secure context (https or localhost); a phone on plain http over the LAN has only getRandomValues.
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Remembers the key of the last confirmation that got no answer, together with what it sent. */
export class RetryableKey {
  private pending: { key: string; body: string } | undefined;

  /** The key for sending `body`: the unanswered one when `body` is the same request again, else a new one. */
  for(body: unknown): string {
    const text = JSON.stringify(body);
    if (this.pending?.body === text) return this.pending.key;
    this.pending = { key: newKey(), body: text };
    return this.pending.key;
  }

  /** The server answered (success or refusal): the next confirmation is a new request. */
  answered(): void {
    this.pending = undefined;
  }

  /** True while an unanswered request could be retried with its key. */
  get waiting(): boolean {
    return this.pending !== undefined;
  }
}
