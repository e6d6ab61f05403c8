/**
 * A date (or month) input whose chosen value is also written out in Indonesian beside it ("4 Desember 2026"),
 * so what the treasurer picked reads the same whatever language the browser shows its own picker in.
 */
import { BULAN, formatBulan } from '../../../../src/bulan';

/** "2026-12-04" → "4 Desember 2026"; anything else as it is. */
export function tanggal(value: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const month = match ? BULAN[Number(match[2]) - 1] : undefined;
  return match && month ? `${Number(match[3])} ${month} ${match[1]}` : value;
}

export function DateField({
  id,
  label,
  value,
  onValue,
  max,
  min,
  month = false,
}: {
  id: string;
  label: string;
  value: string;
  onValue: (value: string) => void;
  max?: string;
  min?: string;
  /** A month (YYYY-MM) instead of a day. */
  month?: boolean;
}) {
  const shown = month ? formatBulan(value) : tanggal(value);
  return (
    <div class="field date-field">
      <label for={id}>{label}</label>
      <span class="date-pair">
        <input
          id={id}
          type={month ? 'month' : 'date'}
          value={value}
          max={max}
          min={min}
          pattern={month ? '\\d{4}-\\d{2}' : undefined}
          aria-describedby={`${id}-words`}
          onInput={(e) => onValue(e.currentTarget.value)}
        />
        <output id={`${id}-words`} for={id} class="date-words" aria-live="polite">
          {value ? shown : 'belum dipilih'}
        </output>
      </span>
    </div>
  );
}
