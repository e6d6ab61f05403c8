/** The frame of every signed-in screen: who and where, the navigation, live status and logout. */
import type { ComponentChildren } from 'preact';
import { useLiveState } from '../live-context';
import { href } from '../router';
import { session } from '../session';

export interface NavItem {
  path: string;
  label: string;
}

const LIVE_LABELS = {
  connecting: 'Menghubungkan…',
  open: 'Langsung',
  retrying: 'Terputus, menyambung lagi…',
  closed: 'Terputus',
} as const;

export function LiveIndicator() {
  const state = useLiveState();
  return (
    <span class={`live live-${state}`} role="status" aria-live="polite">
      <span class="dot" aria-hidden="true" />
      {LIVE_LABELS[state]}
    </span>
  );
}

export function Shell({
  koperasi,
  user,
  nav,
  current,
  children,
  live = true,
  wide = false,
  help,
  banner,
}: {
  koperasi: string;
  user: string;
  nav: NavItem[];
  current: string;
  children: ComponentChildren;
  /** Show the live-connection indicator (off where the app has no live stream). */
  live?: boolean;
  /** Use the full width of a desktop screen (wide tables). */
  wide?: boolean;
  /** Whom to ask, in the header (the member's "Bantuan"). */
  help?: ComponentChildren;
  /** A notice above everything else (the member's offline banner). */
  banner?: ComponentChildren;
}) {
  return (
    <>
      <a
        class="skip"
        href="#main"
        onClick={(e) => {
          e.preventDefault();
          document.getElementById('main')?.focus();
        }}
      >
        Lewati ke isi
      </a>
      <header class="topbar">
        <div class="brand">
          <span class="logo" aria-hidden="true">
            P
          </span>
          <span>
            <strong>Pintu</strong>
            <span class="muted small block">{koperasi}</span>
          </span>
        </div>
        <div class="who">
          <span class="small">{user}</span>
          {live && <LiveIndicator />}
          {help}
          <button type="button" class="button link" onClick={() => session.set(null)}>
            Keluar
          </button>
        </div>
      </header>
      {banner}
      <nav class={`tabs${wide ? ' wide' : ''}`} aria-label="Menu utama">
        <ul>
          {nav.map((item) => (
            <li key={item.path}>
              <a
                href={href(...item.path.split('/').filter(Boolean))}
                aria-current={item.path === current ? 'page' : undefined}
              >
                {item.label}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main" tabIndex={-1} class={wide ? 'wide' : undefined}>
        {children}
      </main>
    </>
  );
}
