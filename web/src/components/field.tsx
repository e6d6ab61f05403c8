/** A labelled form control with its hint and its own error, tied together for screen readers. */
import type { ComponentChildren, InputHTMLAttributes, PartialInputHTMLAttributes } from 'preact';

type Passed = 'inputMode' | 'autocomplete' | 'autocapitalize' | 'spellcheck' | 'required' | 'maxLength';

type InputProps = Pick<PartialInputHTMLAttributes<HTMLInputElement>, Passed> & {
  type?: 'text' | 'password' | 'tel';
  id?: string;
  label: ComponentChildren;
  name: string;
  value: string;
  onValue: (value: string) => void;
  hint?: ComponentChildren;
  error?: string;
};

export function Field({ label, name, value, onValue, hint, error, id, type = 'text', ...rest }: InputProps) {
  const inputId = id ?? `f-${name}`;
  const describedBy =
    [hint ? `${inputId}-hint` : '', error ? `${inputId}-error` : ''].filter(Boolean).join(' ') || undefined;
  const input: PartialInputHTMLAttributes<HTMLInputElement> = {
    ...rest,
    type,
    id: inputId,
    name,
    value,
    onInput: (e) => onValue(e.currentTarget.value),
    'aria-invalid': error ? 'true' : undefined,
    'aria-describedby': describedBy,
  };
  return (
    <div class={`field${error ? ' field-invalid' : ''}`}>
      <label for={inputId}>{label}</label>
      {/* preact's per-type input typings cannot follow a `type` chosen at run time */}
      <input {...(input as InputHTMLAttributes<HTMLInputElement>)} />
      {hint && (
        <p class="hint" id={`${inputId}-hint`}>
          {hint}
        </p>
      )}
      {error && (
        <p class="field-error" id={`${inputId}-error`}>
          {error}
        </p>
      )}
    </div>
  );
}
