/** Product category icons as inline SVG (emoji fonts are missing on some phones and in headless browsers). */
import type { Product } from '../types';

const PATHS: Record<Product['category'], string> = {
  electricity: 'M13 2 4 14h7l-1 8 9-12h-7l1-8z',
  water: 'M12 2.5c-3.5 4.6-6.5 8.3-6.5 11.5a6.5 6.5 0 0 0 13 0c0-3.2-3-6.9-6.5-11.5z',
  health: 'M9 3h6v6h6v6h-6v6H9v-6H3V9h6z',
};

export function CategoryIcon({ category }: { category: Product['category'] }) {
  return (
    <span class={`icon icon-${category}`} aria-hidden="true">
      <svg viewBox="0 0 24 24" width="22" height="22" focusable="false">
        <path d={PATHS[category]} fill="currentColor" />
      </svg>
    </span>
  );
}
