/**
 * Where a quote lives between the inquiry and the payment. An inquiry moves no money and most quotes
 * are never paid, so a quote is kept in Redis with its expiry (no PostgreSQL commit per inquiry). The
 * payment row carries everything the quote fixed (amounts, fee, upstream price, adapter and ref; the first
 * attempt carries the SKU and the upstream's handle), and a quote is paid once: payments_quote is unique.
 *
 * When Redis cannot take the quote (down, or refusing writes), the quote is written to the quotes table
 * instead, and reading falls back the same way. A quote lost with a
 * flushed Redis is "not found": the member asks for the bill again, nothing was debited.
 *
 * The process that answered the inquiry also remembers the quote it put in Redis (a bounded memo): the member's
 * app pays through the same keep-alive connection a moment later, and that payment then needs no Redis read
 * and no JSON parse. A quote never changes once made; paying it once is the acceptance statement's job.
 */
import { LRUCache } from 'lru-cache';
import type { Deps } from '../deps.js';
import { type QuoteRow, insertQuote } from './repository.js';

type StoreDeps = Pick<Deps, 'redis' | 'db' | 'config' | 'log' | 'clock'>;

const keyOf = (deps: Pick<Deps, 'config'>, id: string) => `${deps.config.REDIS_PREFIX}:quote:${id}`;

/** bigint as decimal strings, dates as ISO: exactly what decode reads back. */
function encode(quote: QuoteRow): string {
  return JSON.stringify(quote, (_key, value: unknown) =>
    typeof value === 'bigint' ? value.toString() : value,
  );
}

const MONEY_FIELDS = ['billAmount', 'penalty', 'adminFee', 'koperasiFee', 'price', 'total'] as const;

function decode(text: string): QuoteRow {
  const raw = JSON.parse(text) as Record<string, unknown>;
  const quote = { ...raw } as unknown as QuoteRow;
  for (const field of MONEY_FIELDS) quote[field] = BigInt(raw[field] as string);
  quote.denomination = raw.denomination === null ? null : BigInt(raw.denomination as string);
  quote.expiresAt = new Date(raw.expiresAt as string);
  quote.createdAt = new Date(raw.createdAt as string);
  quote.usedAt = raw.usedAt === null ? null : new Date(raw.usedAt as string);
  // Kept by a version before the counter (issue 14): no kasir.
  quote.kasirId = (raw.kasirId as string | null | undefined) ?? null;
  return quote;
}

/** Quotes this process put in Redis lately, by id, for as long as Redis keeps them (least recently used out). */
const memo = new LRUCache<string, QuoteRow>({ max: 10_000 });

/** Keep a new quote until it expires (a few seconds longer, so "expired" is said rather than "not found"). */
export async function saveQuote(deps: StoreDeps, quote: QuoteRow): Promise<QuoteRow> {
  const ttlMs = Math.max(quote.expiresAt.getTime() - deps.clock.now().getTime() + 60_000, 1_000);
  try {
    const answer = await deps.redis.set(keyOf(deps, quote.id), encode(quote), 'PX', ttlMs);
    if (answer === 'OK') {
      memo.set(quote.id, quote, { ttl: ttlMs });
      return quote;
    }
  } catch (err) {
    deps.log.warn({ err, quoteId: quote.id }, 'Redis did not take the quote; keeping it in PostgreSQL');
  }
  return insertQuote(deps.db, quote);
}

/** The quote this process remembers, else Redis' copy; undefined when neither has it or Redis cannot answer. */
async function keptQuote(
  deps: StoreDeps,
  quoteId: string,
  whenRedisFails: string,
): Promise<QuoteRow | undefined> {
  const remembered = memo.get(quoteId);
  if (remembered) return remembered;
  let text: string | null;
  try {
    text = await deps.redis.get(keyOf(deps, quoteId));
  } catch (err) {
    deps.log.warn({ err, quoteId }, whenRedisFails);
    return undefined;
  }
  return text === null ? undefined : decode(text);
}

/**
 * The member's quote from this process or Redis, or undefined (then the caller looks in PostgreSQL: a quote kept
 * there while Redis was down, or one already paid). Another member's quote id reads as not found.
 */
export async function loadQuote(
  deps: StoreDeps,
  member: { userId: string; koperasiId: string },
  quoteId: string,
): Promise<QuoteRow | undefined> {
  const quote = await keptQuote(deps, quoteId, 'could not read the quote from Redis; looking in PostgreSQL');
  return quote && quote.memberId === member.userId && quote.koperasiId === member.koperasiId
    ? quote
    : undefined;
}

/** A paid quote need not be remembered (PostgreSQL has it, used). */
export const forgetQuote = (quoteId: string): void => void memo.delete(quoteId);

/**
 * A koperasi's quote by id, for a payment someone else makes for the payer (the counter, autodebet): PostgreSQL's
 * row when there is one (it says whether the quote was already paid), else the one this process or Redis keeps.
 */
export async function findQuote(
  deps: StoreDeps,
  koperasiId: string,
  quoteId: string,
): Promise<QuoteRow | undefined> {
  const kept = await deps.db.query.quotes.findFirst({
    where: (q, { and, eq }) => and(eq(q.id, quoteId), eq(q.koperasiId, koperasiId)),
  });
  if (kept) return kept;
  const quote = await keptQuote(deps, quoteId, 'could not read the quote from Redis');
  return quote?.koperasiId === koperasiId ? quote : undefined;
}
