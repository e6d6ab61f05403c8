/** "Bantuan" in the member's header: opens whom to call at the koperasi (the treasurer's name, phone, WhatsApp). */
import { useState } from 'preact/hooks';
import { HelpContact } from './help-contact';

export function HeaderHelp({ koperasiCode }: { koperasiCode: string }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button
        type="button"
        class="button link header-help"
        aria-expanded={open}
        aria-controls="header-help-panel"
        onClick={() => setOpen(!open)}
      >
        Bantuan
      </button>
      {open && (
        <div id="header-help-panel" class="header-help-panel card">
          <HelpContact koperasiCode={koperasiCode} />
          <p class="muted small">Bendahara koperasi membantu soal saldo, setoran, PIN dan pembayaran Anda.</p>
          <button type="button" class="button secondary" onClick={() => setOpen(false)}>
            Tutup
          </button>
        </div>
      )}
    </>
  );
}
