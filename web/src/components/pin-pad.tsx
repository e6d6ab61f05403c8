/**
 * The PIN step: six dots and a large 3×4 keypad (keys of at least 56 px) for thumbs on a cheap phone, with "Hapus".
 * The dots are a real numeric input underneath (inputmode="numeric"), so tapping them opens the phone's own number
 * keyboard, and a physical keyboard types into the pad whichever of its keys has the focus.
 */
import type { Ref } from 'preact';

const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9'];
export const PIN_LENGTH = 6;

interface Props {
  value: string;
  onChange: (pin: string) => void;
  inputRef?: Ref<HTMLInputElement>;
  error?: string;
  hint?: string;
  disabled?: boolean;
}

export function PinPad({ value, onChange, inputRef, error, hint, disabled = false }: Props) {
  const type = (digit: string) => {
    if (!disabled && value.length < PIN_LENGTH) onChange(value + digit);
  };
  const erase = () => onChange(value.slice(0, -1));
  const described = [hint ? 'f-pin-hint' : '', error ? 'f-pin-error' : ''].filter(Boolean).join(' ');
  return (
    <div
      class={`field pin-field${error ? ' field-invalid' : ''}`}
      onKeyDown={(e) => {
        // Keys pressed while a pad button has the focus: the input handles its own.
        if ((e.target as HTMLElement).id === 'f-pin' || e.ctrlKey || e.metaKey || e.altKey) return;
        if (/^\d$/.test(e.key)) {
          e.preventDefault();
          type(e.key);
        } else if (e.key === 'Backspace' || e.key === 'Delete') {
          e.preventDefault();
          erase();
        }
      }}
    >
      <label for="f-pin">PIN (6 angka)</label>
      <div class="pin-entry">
        <input
          ref={inputRef}
          id="f-pin"
          name="pin"
          type="password"
          inputMode="numeric"
          pattern="[0-9]*"
          autocomplete="off"
          maxLength={PIN_LENGTH}
          class="pin-input"
          value={value}
          disabled={disabled}
          onInput={(e) => onChange(e.currentTarget.value.replace(/\D/g, '').slice(0, PIN_LENGTH))}
          aria-invalid={error ? 'true' : undefined}
          aria-describedby={described || undefined}
          required
        />
        <span class="pin-dots" aria-hidden="true" data-testid="pin-dots" data-filled={value.length}>
          {Array.from({ length: PIN_LENGTH }, (_, i) => (
            <span key={i} class={`pin-dot${i < value.length ? ' filled' : ''}`} />
          ))}
        </span>
      </div>
      {hint && (
        <p class="hint" id="f-pin-hint">
          {hint}
        </p>
      )}
      {error && (
        <p class="field-error" id="f-pin-error">
          {error}
        </p>
      )}
      <div class="pin-pad" role="group" aria-label="Tombol angka PIN">
        {KEYS.map((digit) => (
          <button key={digit} type="button" class="pin-key" onClick={() => type(digit)} disabled={disabled}>
            {digit}
          </button>
        ))}
        <button
          type="button"
          class="pin-key pin-key-word"
          onClick={() => onChange('')}
          disabled={disabled || value.length === 0}
          aria-label="Kosongkan PIN"
        >
          Ulang
        </button>
        <button type="button" class="pin-key" onClick={() => type('0')} disabled={disabled}>
          0
        </button>
        <button
          type="button"
          class="pin-key pin-key-word"
          onClick={erase}
          disabled={disabled || value.length === 0}
          aria-label="Hapus satu angka"
        >
          Hapus
        </button>
      </div>
    </div>
  );
}
