/**
 * A bar chart of amounts per day, hand-written SVG (no chart library). For assistive technology the SVG is
 * one image with a summary as its name, and the numbers themselves are in a visually hidden table.
 */
import { rupiah, shortDay, day as longDay } from '../format';

export interface Bar {
  day: string;
  amount: number;
}

const WIDTH = 720;
const HEIGHT = 240;
const PAD = { top: 12, right: 8, bottom: 28, left: 84 };

/** A round upper bound for the axis: 1, 2, 2.5 or 5 times a power of ten. */
export function niceMax(value: number): number {
  if (value <= 0) return 1_000;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) if (value <= step * power) return step * power;
  return 10 * power;
}

export function BarChart({ bars, title, id }: { bars: Bar[]; title: string; id: string }) {
  const max = niceMax(Math.max(0, ...bars.map((b) => b.amount)));
  const total = bars.reduce((sum, b) => sum + b.amount, 0);
  const best = bars.reduce<Bar | undefined>((top, b) => (!top || b.amount > top.amount ? b : top), undefined);
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const slot = bars.length > 0 ? plotW / bars.length : plotW;
  const barW = Math.max(2, slot * 0.7);
  const y = (amount: number) => PAD.top + plotH - (amount / max) * plotH;
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => f * max);
  const first = bars[0];
  const last = bars.at(-1);
  const summary =
    first && last
      ? `${title}, ${longDay(first.day)} sampai ${longDay(last.day)}: jumlah ${rupiah(total)}` +
        (best && best.amount > 0 ? `, tertinggi ${rupiah(best.amount)} pada ${longDay(best.day)}.` : '.')
      : `${title}: belum ada data.`;

  return (
    <figure class="chart">
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        role="img"
        aria-label={summary}
        preserveAspectRatio="xMidYMid meet"
        data-testid={`${id}-svg`}
      >
        {ticks.map((t) => (
          <g key={t} aria-hidden="true">
            <line x1={PAD.left} x2={WIDTH - PAD.right} y1={y(t)} y2={y(t)} class="grid" />
            <text x={PAD.left - 6} y={y(t) + 4} text-anchor="end" class="axis">
              {rupiah(t)}
            </text>
          </g>
        ))}
        {bars.map((b, i) => {
          const x = PAD.left + i * slot + (slot - barW) / 2;
          const top = y(b.amount);
          return (
            <rect
              key={b.day}
              x={x}
              y={top}
              width={barW}
              height={Math.max(0, PAD.top + plotH - top)}
              class="bar"
              data-day={b.day}
              data-amount={b.amount}
            >
              <title>
                {shortDay(b.day)}: {rupiah(b.amount)}
              </title>
            </rect>
          );
        })}
        {bars.map((b, i) =>
          (bars.length - 1 - i) % 5 === 0 ? (
            <text
              key={`l-${b.day}`}
              x={PAD.left + i * slot + slot / 2}
              y={HEIGHT - 8}
              text-anchor="middle"
              class="axis"
              aria-hidden="true"
            >
              {shortDay(b.day)}
            </text>
          ) : null,
        )}
      </svg>
      {/* The same words as the image's name: shown, but read once. */}
      <figcaption class="muted small" aria-hidden="true">
        {summary}
      </figcaption>
      <table class="sr-only">
        <caption>{title}</caption>
        <thead>
          <tr>
            <th scope="col">Tanggal</th>
            <th scope="col">Jumlah</th>
          </tr>
        </thead>
        <tbody>
          {bars.map((b) => (
            <tr key={b.day}>
              <th scope="row">{longDay(b.day)}</th>
              <td>{rupiah(b.amount)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
