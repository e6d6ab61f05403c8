/**
 * "Lupa PIN/kata sandi?": only the koperasi's treasurer can help (a new password, an unlocked PIN), so
 * say whom to call — by name and phone when the koperasi is known (GET /v1/koperasi/{code}/contact).
 */
import { useState } from 'preact/hooks';
import { get } from '../../api';
import type { KoperasiContact } from '../../types';

const GENERIC =
  'Hubungi bendahara koperasi Anda. Bendahara dapat membuat kata sandi sementara atau membuka PIN yang terkunci. Jangan beri tahu PIN atau kata sandi Anda kepada siapa pun.';

export function ForgotHelp({ code, label = 'Lupa PIN/kata sandi?' }: { code: string; label?: string }) {
  const [open, setOpen] = useState(false);
  const [contact, setContact] = useState<KoperasiContact | null>(null);
  const [loading, setLoading] = useState(false);

  const toggle = async () => {
    const next = !open;
    setOpen(next);
    setContact(null);
    const trimmed = code.trim();
    if (!next || !/^[A-Za-z0-9][A-Za-z0-9-]{1,31}$/.test(trimmed)) return;
    setLoading(true);
    try {
      setContact(await get<KoperasiContact>(`/v1/koperasi/${encodeURIComponent(trimmed)}/contact`));
    } catch {
      // Unknown koperasi or no answer: the general advice is still right.
    } finally {
      setLoading(false);
    }
  };

  return (
    <div class="forgot">
      <button
        type="button"
        class="button link"
        aria-expanded={open}
        aria-controls="forgot-help"
        onClick={() => void toggle()}
      >
        {label}
      </button>
      <div id="forgot-help" class="forgot-help" role="status" aria-live="polite" hidden={!open}>
        {open && loading && <p class="muted">Memuat…</p>}
        {open && !loading && contact?.treasurerName && (
          <p>
            Hubungi bendahara {contact.name}: <strong>{contact.treasurerName}</strong>
            {contact.treasurerPhone ? (
              <>
                {' '}
                di <a href={`tel:${contact.treasurerPhone}`}>{contact.treasurerPhone}</a>
              </>
            ) : null}
            . Bendahara dapat membuat kata sandi sementara atau membuka PIN yang terkunci. Jangan beri tahu
            PIN atau kata sandi Anda kepada siapa pun.
          </p>
        )}
        {open && !loading && !contact?.treasurerName && <p>{GENERIC}</p>}
      </div>
    </div>
  );
}
