/** Hash routing: "#/bayar/PLN_PREPAID" → ["bayar", "PLN_PREPAID"]. Works from any path the server falls back on. */
import { useEffect, useState } from 'preact/hooks';

export function parts(hash = location.hash): string[] {
  return hash
    .replace(/^#\/?/, '')
    .split('?')[0]!
    .split('/')
    .filter(Boolean)
    .map((part) => decodeURIComponent(part));
}

export const href = (...segments: string[]): string =>
  `#/${segments.map((s) => encodeURIComponent(s)).join('/')}`;

export function navigate(...segments: string[]): void {
  const target = href(...segments);
  if (location.hash === target) return;
  location.hash = target;
}

export function useRoute(): string[] {
  const [route, setRoute] = useState(parts);
  useEffect(() => {
    const update = () => setRoute(parts());
    window.addEventListener('hashchange', update);
    return () => window.removeEventListener('hashchange', update);
  }, []);
  return route;
}
