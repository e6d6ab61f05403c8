import { useState } from 'preact/hooks';

/** Copies text; falls back to selecting a hidden field where the Clipboard API is missing (plain http). */
async function copy(text: string): Promise<boolean> {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // fall back below
  }
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.append(area);
  area.select();
  let ok: boolean;
  try {
    // Deprecated, but the only way to copy without the Clipboard API (insecure contexts).
    ok = document.execCommand('copy');
  } catch {
    ok = false;
  }
  area.remove();
  return ok;
}

/** `what` names the thing in the confirmation: "Token disalin.", "Nomor pelanggan disalin." */
export function CopyButton({
  text,
  label,
  what = 'Token',
  small = false,
  primary = false,
}: {
  text: string;
  label: string;
  what?: string;
  small?: boolean;
  /** The screen's main action (copying the PLN token). */
  primary?: boolean;
}) {
  const [done, setDone] = useState<string>();
  return (
    <>
      <button
        type="button"
        class={`button ${primary ? 'primary' : 'secondary'}${small ? ' small-button' : ''}`}
        onClick={() =>
          void copy(text).then((ok) =>
            setDone(
              ok
                ? `${what} disalin.`
                : `Tidak dapat menyalin otomatis; salin ${what.toLowerCase()} secara manual.`,
            ),
          )
        }
      >
        {label}
      </button>
      <span class="small" role="status" aria-live="polite">
        {done}
      </span>
    </>
  );
}
