/**
 * Deposits after the fact: the receipt (bukti setoran) and the correction of a wrong one. A correction never
 * edits the deposit: it posts a NEW journal transaction (kind 'deposit_correction', reverses_tx_id = the
 * deposit) with the opposite entries — Dr the member's savings / Cr deposits cash — and an audit row with the
 * reason, in one DB transaction. A deposit is corrected at most once: the member's row is locked first, so
 * two concurrent corrections of one member's deposit run one after the other and the second finds the first.
 */
import type { UserPrincipal } from '../auth/tokens.js';
import { recordAudit } from '../audit.js';
import type { Deps } from '../deps.js';
import { AppError } from '../http/errors.js';
import { type StoredResponse, withIdempotency } from '../idempotency/index.js';
import { InsufficientFundsError, KOPERASI_ACCOUNTS } from '../ledger/index.js';
import { formatRupiah, toJsonAmount } from '../money.js';
import { lockUser } from '../members/repository.js';
import { bookOf, memberBalances, publishBalance } from '../members/service.js';
import { depositWhatsAppText, waNumber } from './receipt.js';
import { type DepositRecord, findDeposit } from './repository.js';
import type { CorrectionInput, CorrectionResult, DepositView } from './schemas.js';

type DepositDeps = Pick<Deps, 'db' | 'ledger' | 'config' | 'events' | 'clock'>;

/** A deposit is corrected once (409 DEPOSIT_ALREADY_CORRECTED, with the correction's id when known). */
const alreadyCorrected = (id: bigint, correctionId?: bigint) =>
  new AppError(
    'DEPOSIT_ALREADY_CORRECTED',
    `deposit ${id} was already corrected; a deposit is corrected once`,
    {
      ...(correctionId ? { correctionId: correctionId.toString() } : {}),
    },
  );

/** The database's guarantee behind the lock (migrations/0009): one correction per deposit. */
function isOneCorrectionViolation(error: unknown): boolean {
  const cause = ((error as { cause?: unknown }).cause ?? error) as { code?: string; constraint?: string };
  return cause.code === '23505' && cause.constraint === 'journal_transactions_one_deposit_correction';
}

export async function requireDeposit(
  deps: Pick<Deps, 'db'>,
  koperasiId: string,
  id: bigint,
): Promise<DepositRecord> {
  const deposit = await findDeposit(deps.db, koperasiId, id);
  if (!deposit) throw new AppError('NOT_FOUND', `deposit ${id} not found`);
  return deposit;
}

export function toDepositView(d: DepositRecord): DepositView {
  const text = depositWhatsAppText(d);
  const to = waNumber(d.memberPhone);
  return {
    id: d.txId.toString(),
    at: d.at.toISOString(),
    amount: toJsonAmount(d.amount),
    reference: d.reference,
    balanceAfter: toJsonAmount(d.balanceAfter),
    memberNo: d.memberNo,
    memberName: d.memberName,
    memberPhone: d.memberPhone,
    koperasiName: d.koperasiName,
    treasurerName: d.treasurerName,
    correction: d.correction
      ? {
          id: d.correction.txId.toString(),
          at: d.correction.at.toISOString(),
          reason: d.correction.reason,
          by: d.correction.by,
        }
      : null,
    whatsapp: {
      text,
      url: `https://wa.me/${to ?? ''}?text=${encodeURIComponent(text)}`,
    },
  };
}

export async function correctDeposit(
  deps: DepositDeps,
  treasurer: UserPrincipal,
  id: bigint,
  input: CorrectionInput,
  idempotency: { key: string; fingerprint: string },
): Promise<StoredResponse<CorrectionResult>> {
  let member: { id: string; koperasiId: string; savingsAccountId: bigint | null } | undefined;
  const result = await withIdempotency(
    deps.db,
    { scope: `user:${treasurer.userId}`, ...idempotency },
    async (tx) => {
      const found = await requireDeposit({ db: tx }, treasurer.koperasiId, id);
      // One correction per deposit: lock the member, then look again (a concurrent correction has committed
      // by the time the lock is ours, and READ COMMITTED shows it to the next statement).
      const locked = await lockUser(tx, treasurer.koperasiId, found.memberId);
      if (!locked) throw new AppError('NOT_FOUND', `deposit ${id} not found`);
      const deposit = await requireDeposit({ db: tx }, treasurer.koperasiId, id);
      if (deposit.correction) throw alreadyCorrected(id, deposit.correction.txId);
      const { balance, available } = await memberBalances(deps, tx, locked);
      if (available < deposit.amount) {
        throw new AppError(
          'INSUFFICIENT_BALANCE',
          `the member's savings (${formatRupiah(available)} available) are less than the deposit (${formatRupiah(deposit.amount)}): the correction would make them negative`,
          {
            required: toJsonAmount(deposit.amount),
            available: toJsonAmount(available),
            reason: 'SAVINGS_SPENT',
          },
        );
      }
      const bookId = await bookOf(deps, tx, treasurer.koperasiId);
      const cash = await deps.ledger.requireAccount(tx, bookId, KOPERASI_ACCOUNTS.depositsCash.code);
      let correctionId: bigint;
      try {
        correctionId = await deps.ledger.post(tx, {
          kind: 'deposit_correction',
          reversesTxId: deposit.txId,
          memo: input.reason,
          lines: [
            { accountId: deposit.savingsAccountId, side: 'D', amount: deposit.amount },
            { accountId: cash.id, side: 'C', amount: deposit.amount },
          ],
        });
      } catch (error) {
        if (isOneCorrectionViolation(error)) throw alreadyCorrected(id);
        // The database's own non-negative check: a payment took the money between our read and the post.
        if (error instanceof InsufficientFundsError)
          throw new AppError('INSUFFICIENT_BALANCE', "the member's savings are less than the deposit", {
            required: toJsonAmount(deposit.amount),
            reason: 'SAVINGS_SPENT',
          });
        throw error;
      }
      await recordAudit(tx, {
        koperasiId: treasurer.koperasiId,
        actorType: 'treasurer',
        actorId: treasurer.userId,
        action: 'savings.deposit_correction',
        subjectType: 'member',
        subjectId: deposit.memberId,
        before: { depositId: deposit.txId, amount: deposit.amount, reference: deposit.reference },
        after: { transactionId: correctionId, amount: -deposit.amount, reversesTxId: deposit.txId },
        reason: input.reason,
      });
      member = locked;
      return {
        statusCode: 201,
        body: {
          depositId: deposit.txId.toString(),
          correctionId: correctionId.toString(),
          memberNo: deposit.memberNo,
          amount: toJsonAmount(deposit.amount),
          reason: input.reason,
          balance: toJsonAmount(balance - deposit.amount),
          available: toJsonAmount(available - deposit.amount),
        },
      };
    },
  );
  if (member) await publishBalance(deps, member);
  return result;
}
