/**
 * One member as the treasurer sees them: balance and what is available, the PIN's state, and the mutasi —
 * every deposit, payment and money back with the balance after it (from the journal) — paged, newest first.
 */
import { Fragment } from 'preact';
import { useCallback, useEffect, useState } from 'preact/hooks';
import { get, query } from '../../api';
import { ErrorMessage, StatusMessage } from '../../components/alert';
import { PageTitle } from '../../components/page-title';
import { messageFor } from '../../errors';
import { rupiah, wibDateTime } from '../../format';
import { useLiveEvents } from '../../live-context';
import { type Movement, type MutasiPage, describeMovement, signedRupiah } from '../../mutasi';
import { href } from '../../router';
import type { Member } from '../../types';
import { MemberSubscriptions } from './autodebet';
import { CorrectionForm, DepositReceipt, correctionEffect } from './deposit-receipt';

/** The staff's view of a movement: a deposit knows its correction, a correction the deposit it reverses. */
type StaffMovement = Movement & { reversesTxId?: string | null; correctedBy?: string | null };

/** A correction reads "Koreksi setoran · <reason>"; everything else as the member reads it. */
function describeLine(m: StaffMovement): string {
  if (m.kind === 'other' && m.reversesTxId) return m.note ? `Koreksi setoran · ${m.note}` : 'Koreksi setoran';
  return describeMovement(m, { note: true });
}

export function MemberPage({ memberNo, readOnly }: { memberNo: string; readOnly: boolean }) {
  const [member, setMember] = useState<Member | null>(null);
  const [moves, setMoves] = useState<Movement[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string>();
  const [notice, setNotice] = useState<string>();
  /** The deposit line whose receipt or correction form is open. */
  const [open, setOpen] = useState<{ txId: string; what: 'receipt' | 'correct' } | null>(null);
  const openLine = open ? moves.find((m) => m.txId === open.txId) : undefined;
  // The receipt or correction opens above the table (a table row would be as wide as the table on a phone).
  useEffect(() => {
    if (open) document.getElementById('line-panel')?.scrollIntoView({ block: 'nearest' });
  }, [open]);
  const base = `/v1/members/${encodeURIComponent(memberNo)}`;

  const load = useCallback(
    async (after?: string) => {
      setLoading(true);
      try {
        const [who, page] = await Promise.all([
          after ? Promise.resolve(null) : get<Member>(base),
          get<MutasiPage>(`${base}/mutasi${query({ limit: 30, cursor: after })}`),
        ]);
        if (who) setMember(who);
        setMoves((current) => (after ? [...current, ...page.items] : page.items));
        setCursor(page.nextCursor);
        setError(undefined);
      } catch (e) {
        setError(messageFor(e));
      } finally {
        setLoading(false);
      }
    },
    [base],
  );

  useEffect(() => {
    void load();
  }, [load]);

  useLiveEvents((event) => {
    if (event.type === 'balance' && member && event.memberId === member.id) void load();
  });

  return (
    <>
      <PageTitle title="Anggota">{member ? member.name : `Anggota ${memberNo}`}</PageTitle>
      <p>
        <a href={href('anggota')}>← Daftar anggota</a>
      </p>
      <ErrorMessage message={error} />
      <StatusMessage message={notice} tone="success" />
      {member && (
        <section class="card" aria-label="Ringkasan anggota">
          <dl class="rows">
            <dt>Nomor anggota</dt>
            <dd>{member.memberNo}</dd>
            <dt>Nomor HP</dt>
            <dd>{member.phone ?? '—'}</dd>
            <dt>Saldo simpanan</dt>
            <dd class="money" data-testid="member-page-balance">
              {rupiah(member.balance)}
            </dd>
            <dt>Tersedia</dt>
            <dd class="money">{rupiah(member.available)}</dd>
            <dt>PIN</dt>
            <dd>{member.pinLocked ? <span class="badge badge-failed">PIN terkunci</span> : 'Aktif'}</dd>
          </dl>
          {!readOnly && (
            <p class="actions">
              <a class="button secondary" href={href('anggota', member.memberNo, 'setor')}>
                Setor simpanan
              </a>
            </p>
          )}
        </section>
      )}
      {member && <MemberSubscriptions memberNo={member.memberNo} readOnly={readOnly} />}
      <section aria-label="Mutasi simpanan" aria-busy={loading}>
        <h2>Mutasi simpanan</h2>
        {moves.length === 0 && !loading && <p class="empty">Belum ada mutasi.</p>}
        {open && member && openLine && (
          <section
            class="card line-panel"
            id="line-panel"
            aria-label={open.what === 'receipt' ? 'Bukti setoran' : 'Koreksi setoran'}
          >
            <p class="line-panel-head">
              <strong>
                {open.what === 'receipt' ? 'Bukti setoran' : 'Koreksi setoran'} {rupiah(openLine.amount)}
              </strong>{' '}
              <span class="muted small nowrap">{wibDateTime(openLine.at)}</span>
            </p>
            {open.what === 'receipt' ? (
              <DepositReceipt depositId={open.txId} />
            ) : (
              <CorrectionForm
                depositId={open.txId}
                amount={openLine.amount}
                memberName={member.name}
                onCancel={() => setOpen(null)}
                onDone={(result) => {
                  setOpen(null);
                  setNotice(
                    `Setoran dikoreksi: ${correctionEffect(result.amount, member.name)}. Saldo sekarang ${rupiah(result.balance)}.`,
                  );
                  void load();
                }}
              />
            )}
          </section>
        )}

        {moves.length > 0 && (
          <div class="table-wrap">
            <table class="mutasi">
              <caption class="sr-only">Mutasi simpanan, terbaru di atas</caption>
              <thead>
                <tr>
                  <th scope="col">Waktu</th>
                  <th scope="col">Keterangan</th>
                  <th scope="col" class="num">
                    Jumlah
                  </th>
                  <th scope="col" class="num">
                    Saldo
                  </th>
                </tr>
              </thead>
              <tbody>
                {moves.map((m) => {
                  const line = m as StaffMovement;
                  const opened = open?.txId === m.txId ? open.what : null;
                  return (
                    <Fragment key={m.txId}>
                      <tr data-kind={m.kind} class={opened ? 'line-open' : undefined}>
                        <td data-label="Waktu">{wibDateTime(m.at)}</td>
                        <td data-label="Keterangan">
                          {m.paymentId ? (
                            <a href={href('pembayaran', m.paymentId)}>
                              {describeMovement(m, { note: true })}
                            </a>
                          ) : (
                            describeLine(line)
                          )}
                          {m.kind === 'deposit' && (
                            <span class="line-actions">
                              {line.correctedBy ? (
                                <span class="badge badge-refunded">Sudah dikoreksi</span>
                              ) : null}
                              <button
                                type="button"
                                class="button link"
                                aria-expanded={opened === 'receipt'}
                                onClick={() =>
                                  setOpen(opened === 'receipt' ? null : { txId: m.txId, what: 'receipt' })
                                }
                              >
                                Bukti setoran
                              </button>
                              {!readOnly && !line.correctedBy && (
                                <button
                                  type="button"
                                  class="button link"
                                  aria-expanded={opened === 'correct'}
                                  onClick={() =>
                                    setOpen(opened === 'correct' ? null : { txId: m.txId, what: 'correct' })
                                  }
                                >
                                  Koreksi
                                </button>
                              )}
                            </span>
                          )}
                        </td>
                        <td class={`num money ${m.amount < 0 ? 'out' : 'in'}`} data-label="Jumlah">
                          {signedRupiah(m.amount, rupiah)}
                        </td>
                        <td class="num money" data-label="Saldo">
                          {rupiah(m.balanceAfter)}
                        </td>
                      </tr>
                    </Fragment>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
        {cursor && !loading && (
          <button type="button" class="button secondary" onClick={() => void load(cursor)}>
            Muat lagi
          </button>
        )}
      </section>
    </>
  );
}
