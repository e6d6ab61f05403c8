/**
 * The last step before money moves by a treasurer's hand (settling a waiting payment, correcting a deposit):
 * the money effect in words, then "Ya, …" or "Batal".
 */
import type { ComponentChildren } from 'preact';

export function ConfirmEffect(props: {
  id: string;
  effect: ComponentChildren;
  confirmLabel: string;
  busy: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  return (
    <div class="alert alert-warning confirm" role="alertdialog" aria-labelledby={props.id}>
      <p id={props.id}>{props.effect}</p>
      <p class="actions">
        <button
          type="button"
          class="button primary"
          onClick={props.onConfirm}
          disabled={props.busy}
          aria-busy={props.busy}
        >
          {props.busy ? 'Menyimpan…' : props.confirmLabel}
        </button>
        <button type="button" class="button secondary" onClick={props.onCancel} disabled={props.busy}>
          Batal
        </button>
      </p>
    </div>
  );
}
