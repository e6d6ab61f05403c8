/** The signed-in session: the access token and role, in sessionStorage (gone when the tab closes). */
import { ROLES, type Role } from './types';

export interface Session {
  token: string;
  role: Role;
  /** Epoch ms after which the token is no longer accepted. */
  expiresAt: number;
}

const KEY = 'pintu.session';
const listeners = new Set<(session: Session | null) => void>();

function read(): Session | null {
  try {
    const raw = sessionStorage.getItem(KEY);
    if (!raw) return null;
    const parsed = JSON.parse(raw) as Partial<Session>;
    if (typeof parsed.token !== 'string' || !ROLES.includes(parsed.role as Role)) return null;
    if (typeof parsed.expiresAt !== 'number' || parsed.expiresAt <= Date.now()) return null;
    return { token: parsed.token, role: parsed.role as Role, expiresAt: parsed.expiresAt };
  } catch {
    return null;
  }
}

let current: Session | null = read();

export const session = {
  get: (): Session | null => current,
  token: (): string | undefined => current?.token,
  set(next: Session | null): void {
    current = next;
    try {
      if (next) sessionStorage.setItem(KEY, JSON.stringify(next));
      else sessionStorage.removeItem(KEY);
    } catch {
      // storage unavailable (private mode): the session lives in memory only
    }
    for (const listener of listeners) listener(next);
  },
  onChange(listener: (session: Session | null) => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};

/** Why the last session ended, shown once on the login screen. */
let endedBecause: string | undefined;
export const sessionEnd = {
  set: (reason: string) => (endedBecause = reason),
  take: (): string | undefined => {
    const reason = endedBecause;
    endedBecause = undefined;
    return reason;
  },
};
