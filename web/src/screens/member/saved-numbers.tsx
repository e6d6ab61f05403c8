/** Akun › Nomor tersimpan: the member's saved numbers, to pay, rename or delete. */
import { useState } from 'preact/hooks';
import { del, patch } from '../../api';
import { ErrorMessage, StatusMessage } from '../../components/alert';
import { Field } from '../../components/field';
import { PageTitle } from '../../components/page-title';
import { messageFor } from '../../errors';
import { productName, wibDate } from '../../format';
import { href } from '../../router';
import { payAgainHref, useSavedNumbers } from '../../saved-numbers';
import type { SavedNumber } from '../../types';

/** The card on the Akun screen that leads here. */
export function SavedNumbersLink() {
  const { items } = useSavedNumbers();
  return (
    <section class="card saved-link" aria-labelledby="saved-link-title">
      <h2 id="saved-link-title">Nomor tersimpan</h2>
      <p class="muted">
        {items === null
          ? 'Memuat…'
          : items.length === 0
            ? 'Belum ada. Setelah membayar, tekan “Simpan nomor ini”.'
            : `${items.length} nomor tersimpan untuk dibayar sekali ketuk.`}
      </p>
      <a class="button secondary" href={href('akun', 'nomor')}>
        Atur nomor tersimpan
      </a>
    </section>
  );
}

function SavedRow({
  saved,
  onChanged,
}: {
  saved: SavedNumber;
  onChanged: (message: string) => Promise<void>;
}) {
  const [mode, setMode] = useState<'view' | 'rename' | 'delete'>('view');
  const [nickname, setNickname] = useState(saved.nickname);
  const [fieldError, setFieldError] = useState<string>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const run = async (work: () => Promise<unknown>, message: string) => {
    setBusy(true);
    try {
      await work();
      setError(undefined);
      setMode('view');
      await onChanged(message);
    } catch (e) {
      setError(messageFor(e));
    } finally {
      setBusy(false);
    }
  };

  const rename = (e: Event) => {
    e.preventDefault();
    const name = nickname.trim();
    if (name.length === 0 || name.length > 40) {
      setFieldError('Isi nama 1–40 huruf.');
      return;
    }
    setFieldError(undefined);
    void run(
      () => patch(`/v1/me/saved-numbers/${saved.id}`, { nickname: name }),
      `Nama diganti menjadi “${name}”.`,
    );
  };

  return (
    <li class="card saved-row" data-saved={saved.id}>
      <p class="saved-row-head">
        <strong>{saved.nickname}</strong>
        <span class="muted small block">
          {productName(saved.product)} · <span class="nowrap">{saved.customerNo}</span>
          {saved.months ? ` · ${saved.months} bulan` : ''}
        </span>
        {saved.lastPaidAt && (
          <span class="muted small block">Terakhir dibayar {wibDate(saved.lastPaidAt)}</span>
        )}
      </p>
      {mode === 'rename' && (
        <form onSubmit={rename} noValidate>
          <Field
            id={`nick-${saved.id}`}
            label="Nama baru"
            name="nickname"
            value={nickname}
            onValue={setNickname}
            maxLength={40}
            autocomplete="off"
            error={fieldError}
          />
          <div class="actions">
            <button type="submit" class="button primary" disabled={busy} aria-busy={busy}>
              Simpan nama
            </button>
            <button type="button" class="button secondary" onClick={() => setMode('view')} disabled={busy}>
              Batal
            </button>
          </div>
        </form>
      )}
      {mode === 'delete' && (
        <div class="alert alert-warning" role="group" aria-label={`Hapus ${saved.nickname}?`}>
          <p>Hapus “{saved.nickname}” dari nomor tersimpan? Riwayat pembayarannya tetap ada.</p>
          <div class="actions">
            <button
              type="button"
              class="button danger"
              disabled={busy}
              aria-busy={busy}
              onClick={() =>
                void run(() => del(`/v1/me/saved-numbers/${saved.id}`), `“${saved.nickname}” dihapus.`)
              }
            >
              Ya, hapus
            </button>
            <button type="button" class="button secondary" onClick={() => setMode('view')} disabled={busy}>
              Batal
            </button>
          </div>
        </div>
      )}
      {mode === 'view' && (
        <div class="actions saved-row-actions">
          <a
            class="button primary"
            href={payAgainHref(saved.product, {
              customerNo: saved.customerNo,
              months: saved.months ?? undefined,
            })}
          >
            Bayar
          </a>
          <button
            type="button"
            class="button secondary"
            aria-label={`Ganti nama ${saved.nickname}`}
            onClick={() => setMode('rename')}
          >
            Ganti nama
          </button>
          <button
            type="button"
            class="button secondary"
            aria-label={`Hapus ${saved.nickname}`}
            onClick={() => setMode('delete')}
          >
            Hapus
          </button>
        </div>
      )}
      <ErrorMessage message={error} />
    </li>
  );
}

export function SavedNumbersScreen() {
  const { items, reload } = useSavedNumbers();
  const [done, setDone] = useState<string>();
  const changed = async (message: string) => {
    setDone(message);
    await reload();
  };
  return (
    <>
      <PageTitle title="Nomor tersimpan">Nomor tersimpan</PageTitle>
      <p>
        <a href={href('akun')}>← Kembali ke Akun</a>
      </p>
      <p class="muted">
        Nomor pelanggan yang sering Anda bayar. Ketuk namanya di halaman pembayaran untuk langsung cek
        tagihan.
      </p>
      <StatusMessage message={done} tone="success" />
      {items === null ? (
        <p class="muted" role="status">
          Memuat…
        </p>
      ) : items.length === 0 ? (
        <p class="empty">Belum ada nomor tersimpan. Setelah membayar, tekan “Simpan nomor ini”.</p>
      ) : (
        <ul class="plain saved-rows" aria-label="Daftar nomor tersimpan">
          {items.map((s) => (
            <SavedRow key={s.id} saved={s} onChanged={changed} />
          ))}
        </ul>
      )}
    </>
  );
}
