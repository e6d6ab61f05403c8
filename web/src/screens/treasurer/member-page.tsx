/**
 * One member as the treasurer sees them: balance and what is available, the PIN's state, and the mutasi —
 * every deposit, payment and money back with the balance after it (from the journal) — paged, newest first.
 */
import { useCallback, useEffect, useState } from 'preact/hooks';
import { get, query } from '../../api';
import { ErrorMessage } from '../../components/alert';
import { PageTitle } from '../../components/page-title';
import { messageFor } from '../../errors';
import { rupiah, wibDateTime } from '../../format';
import { useLiveEvents } from '../../live-context';
import { type Movement, type MutasiPage, describeMovement, signedRupiah } from '../../mutasi';
import { href } from '../../router';
import type { Member } from '../../types';

export function MemberPage({ memberNo, readOnly }: { memberNo: string; readOnly: boolean }) {
  const [member, setMember] = useState<Member | null>(null);
  const [moves, setMoves] = useState<Movement[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string>();
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
      <section aria-label="Mutasi simpanan" aria-busy={loading}>
        <h2>Mutasi simpanan</h2>
        {moves.length === 0 && !loading && <p class="empty">Belum ada mutasi.</p>}
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
                {moves.map((m) => (
                  <tr key={m.txId} data-kind={m.kind}>
                    <td data-label="Waktu">{wibDateTime(m.at)}</td>
                    <td data-label="Keterangan">
                      {m.paymentId ? (
                        <a href={href('pembayaran', m.paymentId)}>{describeMovement(m, { note: true })}</a>
                      ) : (
                        describeMovement(m, { note: true })
                      )}
                    </td>
                    <td class={`num money ${m.amount < 0 ? 'out' : 'in'}`} data-label="Jumlah">
                      {signedRupiah(m.amount, rupiah)}
                    </td>
                    <td class="num money" data-label="Saldo">
                      {rupiah(m.balanceAfter)}
                    </td>
                  </tr>
                ))}
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
