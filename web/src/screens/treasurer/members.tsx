/** Members with their balances (kept live), paging, deposits and PIN unlock (not for the read-only pengawas). */
import { useCallback, useEffect, useState } from 'preact/hooks';
import { get, post, query } from '../../api';
import { ErrorMessage, StatusMessage } from '../../components/alert';
import { PageTitle } from '../../components/page-title';
import { messageFor } from '../../errors';
import { HelpPhoneForm } from './help-phone';
import { rupiah } from '../../format';
import { useLiveEvents } from '../../live-context';
import { href } from '../../router';
import type { Member, Page } from '../../types';

const PAGE = 50;

export function Members({ readOnly = false }: { readOnly?: boolean }) {
  const [items, setItems] = useState<Member[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string>();
  const [notice, setNotice] = useState<string>();
  const [unlocking, setUnlocking] = useState<string>();
  /** What the search box holds, and what was last searched (a quiet moment after typing). */
  const [typed, setTyped] = useState('');
  const [search, setSearch] = useState('');
  useEffect(() => {
    const timer = setTimeout(() => setSearch(typed.trim()), 300);
    return () => clearTimeout(timer);
  }, [typed]);

  const load = useCallback(
    async (after?: string) => {
      setLoading(true);
      try {
        const page = await get<Page<Member>>(
          `/v1/members${query({ limit: PAGE, after, q: search || undefined })}`,
        );
        setItems((current) => (after ? [...current, ...page.items] : page.items));
        setNext(page.nextCursor);
        setError(undefined);
      } catch (e) {
        setError(messageFor(e));
      } finally {
        setLoading(false);
      }
    },
    [search],
  );

  useEffect(() => {
    void load();
  }, [load]);

  useLiveEvents((event) => {
    if (event.type === 'balance') {
      setItems((current) =>
        current.map((m) =>
          m.id === event.memberId ? { ...m, balance: event.balance, available: event.available } : m,
        ),
      );
    }
  });

  const unlock = async (member: Member) => {
    setUnlocking(member.memberNo);
    setNotice(undefined);
    try {
      const updated = await post<Member>(`/v1/members/${encodeURIComponent(member.memberNo)}/unlock-pin`);
      setItems((current) => current.map((m) => (m.id === updated.id ? updated : m)));
      setNotice(`PIN ${updated.name} sudah dibuka.`);
      setError(undefined);
    } catch (e) {
      setError(messageFor(e));
    } finally {
      setUnlocking(undefined);
    }
  };

  return (
    <>
      <PageTitle title="Anggota">Anggota</PageTitle>
      {!readOnly && (
        <p>
          <a class="button primary" href={href('anggota', 'baru')}>
            Daftarkan anggota
          </a>
        </p>
      )}
      {!readOnly && <HelpPhoneForm />}
      <div class="field search">
        <label for="member-search">Cari anggota</label>
        <input
          id="member-search"
          type="search"
          placeholder="Nomor anggota, nama atau nomor HP"
          value={typed}
          onInput={(e) => setTyped(e.currentTarget.value)}
        />
      </div>
      <StatusMessage message={notice} tone="success" />
      <ErrorMessage message={error} />
      {items.length === 0 && !loading && !error && (
        <p class="empty">
          {search ? `Tidak ada anggota yang cocok dengan “${search}”.` : 'Belum ada anggota.'}
        </p>
      )}
      {items.length > 0 && (
        <div class="table-wrap">
          <table class="members">
            <caption class="sr-only">Daftar anggota dan saldo</caption>
            <thead>
              <tr>
                <th scope="col">Anggota</th>
                <th scope="col" class="num">
                  Saldo
                </th>
                <th scope="col" class="num">
                  Tersedia
                </th>
                {!readOnly && <th scope="col">Tindakan</th>}
              </tr>
            </thead>
            <tbody>
              {items.map((m) => (
                <tr key={m.id} data-member={m.memberNo}>
                  <th scope="row">
                    <a class="block" href={href('anggota', m.memberNo)}>
                      {m.name}
                    </a>
                    <span class="muted small">{m.memberNo}</span>{' '}
                    {m.pinLocked && <span class="badge badge-failed">PIN terkunci</span>}
                  </th>
                  <td class="num money" data-label="Saldo">
                    {rupiah(m.balance)}
                  </td>
                  <td class="num money" data-label="Tersedia">
                    {rupiah(m.available)}
                  </td>
                  {!readOnly && (
                    <td class="actions-cell">
                      <div class="row-actions">
                        <a
                          class="button secondary small-button"
                          href={href('anggota', m.memberNo, 'setor')}
                          aria-label={`Setor simpanan ${m.name}`}
                        >
                          Setor
                        </a>
                        {m.pinLocked && (
                          <button
                            type="button"
                            class="button secondary small-button"
                            onClick={() => void unlock(m)}
                            disabled={unlocking === m.memberNo}
                            aria-label={`Buka PIN ${m.name}`}
                          >
                            {unlocking === m.memberNo ? 'Membuka…' : 'Buka PIN'}
                          </button>
                        )}
                      </div>
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {loading && (
        <p class="muted" role="status">
          Memuat…
        </p>
      )}
      {next && !loading && (
        <button type="button" class="button secondary" onClick={() => void load(next)}>
          Muat lagi
        </button>
      )}
    </>
  );
}
