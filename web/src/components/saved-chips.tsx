/** The member's saved numbers of one product as large chips: one tap fills the number (and months) and checks the bill. */
import type { SavedNumber } from '../types';

export function SavedChips({
  items,
  onPick,
  disabled = false,
}: {
  items: SavedNumber[];
  onPick: (saved: SavedNumber) => void;
  disabled?: boolean;
}) {
  if (items.length === 0) return null;
  return (
    <section class="saved-chips" aria-labelledby="saved-chips-title">
      <h3 id="saved-chips-title" class="h3">
        Nomor tersimpan
      </h3>
      <ul class="plain saved-chip-list">
        {items.map((s) => (
          <li key={s.id}>
            <button type="button" class="saved-chip" onClick={() => onPick(s)} disabled={disabled}>
              <strong>{s.nickname}</strong>
              <span class="saved-chip-no">
                {s.customerNo}
                {s.months ? ` · ${s.months} bulan` : ''}
              </span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
