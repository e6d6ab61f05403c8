/**
 * "Kasir": the treasurer creates and disables kasir accounts, sees the day's shifts with their float, expected and
 * counted cash and the difference, and closes a shift a kasir left open (with the count of the drawer).
 */
import { useEffect, useState } from 'preact/hooks';
import { get, post, query } from '../../api';
import { ErrorMessage, StatusMessage } from '../../components/alert';
import { Field } from '../../components/field';
import { PageTitle } from '../../components/page-title';
import { type Kasir, type Shift, differenceText } from '../../counter';
import { messageFor } from '../../errors';
import { parseRupiah, rupiah, todayWib, wibDateTime } from '../../format';
import { newKey } from '../../idempotency';
import { DateField } from './date-field';

export function KasirScreen({ readOnly }: { readOnly: boolean }) {
  const [kasir, setKasir] = useState<Kasir[]>([]);
  const [shifts, setShifts] = useState<Shift[]>([]);
  const [date, setDate] = useState(todayWib);
  const [error, setError] = useState<string>();
  const [done, setDone] = useState<string>();

  const load = () => {
    get<{ items: Kasir[] }>('/v1/kasir')
      .then((k) => setKasir(k.items))
      .catch((e: unknown) => setError(messageFor(e)));
    if (/^\d{4}-\d{2}-\d{2}$/.test(date))
      get<{ items: Shift[] }>(`/v1/counter/shifts${query({ date })}`)
        .then((s) => setShifts(s.items))
        .catch((e: unknown) => setError(messageFor(e)));
  };
  useEffect(load, [date]);

  const toggle = async (k: Kasir) => {
    try {
      await post(`/v1/kasir/${k.id}/${k.disabled ? 'enable' : 'disable'}`);
      setDone(k.disabled ? `${k.name} bisa masuk lagi.` : `${k.name} dinonaktifkan.`);
      load();
    } catch (e) {
      setError(messageFor(e));
    }
  };

  return (
    <PageTitle title="Kasir">
      <h1>Kasir loket</h1>
      <ErrorMessage message={error} />
      <StatusMessage message={done} />
      {!readOnly && <NewKasir onCreated={(name) => (setDone(`Kasir ${name} dibuat.`), load())} />}
      <div class="table-wrap">
        <table>
          <caption>Akun kasir</caption>
          <thead>
            <tr>
              <th scope="col">Nama</th>
              <th scope="col">Nama pengguna</th>
              <th scope="col">Keadaan</th>
              {!readOnly && <th scope="col">Tindakan</th>}
            </tr>
          </thead>
          <tbody>
            {kasir.map((k) => (
              <tr key={k.id}>
                <td>{k.name}</td>
                <td>{k.username}</td>
                <td>
                  {k.disabled ? 'Nonaktif' : k.openShiftId ? 'Shift dibuka' : 'Aktif'}
                  {k.mustChangePassword ? ' (belum ganti kata sandi)' : ''}
                </td>
                {!readOnly && (
                  <td>
                    <button type="button" class="button secondary" onClick={() => void toggle(k)}>
                      {k.disabled ? 'Aktifkan' : 'Nonaktifkan'}
                    </button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <DateField id="shift-date" label="Shift tanggal" value={date} onValue={setDate} />
      <div class="table-wrap">
        <table data-testid="shift-table">
          <caption>Shift (dan yang masih dibuka)</caption>
          <thead>
            <tr>
              <th scope="col">Kasir</th>
              <th scope="col">Dibuka</th>
              <th scope="col" class="num">
                Modal awal
              </th>
              <th scope="col" class="num">
                Kas seharusnya
              </th>
              <th scope="col" class="num">
                Dihitung
              </th>
              <th scope="col">Selisih</th>
            </tr>
          </thead>
          <tbody>
            {shifts.map((s) => (
              <tr key={s.id}>
                <td>{s.kasirName}</td>
                <td>{wibDateTime(s.openedAt)}</td>
                <td class="num">{rupiah(s.openingFloat)}</td>
                <td class="num">{rupiah(s.expected)}</td>
                <td class="num">{s.counted === null ? '—' : rupiah(s.counted)}</td>
                <td>
                  {s.difference !== null ? (
                    differenceText(s.difference, rupiah)
                  ) : readOnly ? (
                    'Masih dibuka'
                  ) : (
                    <CloseForgotten shift={s} onClosed={load} />
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </PageTitle>
  );
}

function NewKasir({ onCreated }: { onCreated: (name: string) => void }) {
  const [username, setUsername] = useState('');
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string>();
  const submit = async (e: Event) => {
    e.preventDefault();
    setError(undefined);
    try {
      await post('/v1/kasir', { username: username.trim(), name: name.trim(), password });
      onCreated(name.trim());
      setUsername('');
      setName('');
      setPassword('');
    } catch (err) {
      setError(messageFor(err));
    }
  };
  return (
    <form class="card" onSubmit={(e) => void submit(e)} noValidate>
      <h2>Kasir baru</h2>
      <Field label="Nama" name="name" value={name} onValue={setName} required />
      <Field
        label="Nama pengguna"
        name="username"
        value={username}
        onValue={setUsername}
        autocapitalize="off"
        required
      />
      <Field
        label="Kata sandi awal"
        name="password"
        type="password"
        value={password}
        onValue={setPassword}
        hint="Kasir wajib menggantinya saat pertama masuk."
        required
      />
      <ErrorMessage message={error} />
      <button type="submit" class="button primary">
        Buat kasir
      </button>
    </form>
  );
}

/** A shift a kasir left open: the treasurer counts the drawer and closes it. */
function CloseForgotten({ shift, onClosed }: { shift: Shift; onClosed: () => void }) {
  const [counted, setCounted] = useState('');
  const [error, setError] = useState<string>();
  const amount = parseRupiah(counted);
  const close = async () => {
    if (amount === undefined) return;
    try {
      await post(
        `/v1/counter/shifts/${shift.id}/close`,
        { counted: amount, note: 'ditutup bendahara' },
        { 'idempotency-key': newKey() },
      );
      onClosed();
    } catch (e) {
      setError(messageFor(e));
    }
  };
  return (
    <div class="row-actions">
      <Field
        label="Uang dihitung"
        name={`counted-${shift.id}`}
        inputMode="numeric"
        value={counted}
        onValue={setCounted}
      />
      {amount !== undefined && <span class="small">{differenceText(amount - shift.expected, rupiah)}</span>}
      <button
        type="button"
        class="button secondary"
        disabled={amount === undefined}
        onClick={() => void close()}
      >
        Tutup shift
      </button>
      <ErrorMessage message={error} />
    </div>
  );
}
