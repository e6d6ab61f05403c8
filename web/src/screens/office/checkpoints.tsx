/**
 * The koperasi's latest signed ledger checkpoints: each is a signed statement of the ledger's state at the
 * end of a day; its fingerprint is a short form of the signature for comparing by eye or over the phone.
 */
import { useEffect, useState } from 'preact/hooks';
import { get, query } from '../../api';
import { ErrorMessage } from '../../components/alert';
import { messageFor } from '../../errors';
import { count, day, wibDateTime } from '../../format';
import type { CheckpointList } from '../../types';

export function Checkpoints({ koperasiId }: { koperasiId: string }) {
  const [list, setList] = useState<CheckpointList | null>(null);
  const [error, setError] = useState<string>();

  useEffect(() => {
    get<CheckpointList>(`/v1/transparency/checkpoints${query({ koperasi: koperasiId, limit: 10 })}`)
      .then(setList)
      .catch((e: unknown) => setError(messageFor(e)));
  }, [koperasiId]);

  return (
    <section aria-labelledby="checkpoints-title">
      <h2 id="checkpoints-title">Titik periksa buku besar (bertanda tangan)</h2>
      <p class="muted small">
        Setiap hari sistem menandatangani keadaan buku besar koperasi secara digital. Sidik jari adalah
        ringkasan pendek dari tanda tangan itu: bila buku besar diubah diam-diam, sidik jari dan tanda tangan
        tidak akan cocok lagi.
        {list && (
          <>
            {' '}
            Periksa tanda tangan dengan{' '}
            <a href={list.publicKeyUrl} target="_blank" rel="noopener">
              kunci publik Pintu
            </a>
            .
          </>
        )}
      </p>
      <ErrorMessage message={error} />
      {!list && !error && <p class="muted">Memuat…</p>}
      {list && list.checkpoints.length === 0 && <p class="empty">Belum ada titik periksa.</p>}
      {list && list.checkpoints.length > 0 && (
        <div class="table-wrap">
          <table class="stack">
            <caption class="sr-only">Titik periksa terbaru</caption>
            <thead>
              <tr>
                <th scope="col">Hari</th>
                <th scope="col">Jenis</th>
                <th scope="col">Sidik jari</th>
                <th scope="col" class="num">
                  Jumlah catatan
                </th>
                <th scope="col">Ditandatangani</th>
              </tr>
            </thead>
            <tbody>
              {list.checkpoints.map((c) => (
                <tr key={c.id}>
                  <td data-label="Hari">{day(c.day)}</td>
                  <td data-label="Jenis">{c.kind === 'daily' ? 'Harian' : 'Atas permintaan'}</td>
                  <td data-label="Sidik jari">
                    <code class="fingerprint">{c.fingerprint}</code>
                  </td>
                  <td data-label="Jumlah catatan" class="num">
                    {count(c.entries)}
                  </td>
                  <td data-label="Ditandatangani">{wibDateTime(c.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
