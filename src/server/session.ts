import crypto from 'node:crypto';
import { secretsEqual } from '../core/index.js';

/** Name of the dashboard's session cookie. */
export const SESSION_COOKIE = 'slipway_session';

/** Options of {@link SessionStore}. */
export interface SessionStoreOptions {
  /** How long a one-time login link stays valid. @default 600000 (10 minutes) */
  readonly loginTtlMs?: number;
  /** How long a dashboard session lasts. @default 43200000 (12 hours) */
  readonly sessionTtlMs?: number;
  readonly now?: () => number;
}

/**
 * One-time login links and the dashboard sessions they open. A link's token
 * works once; exchanging it gives a random session id the browser keeps in an
 * HttpOnly cookie. Both live in memory: a restarted control plane asks for a
 * new login, which `slipway up` prints.
 */
export class SessionStore {
  readonly #logins = new Map<string, number>();
  readonly #sessions = new Map<string, number>();
  readonly #loginTtlMs: number;
  readonly #sessionTtlMs: number;
  readonly #now: () => number;

  constructor(options: SessionStoreOptions = {}) {
    this.#loginTtlMs = options.loginTtlMs ?? 600_000;
    this.#sessionTtlMs = options.sessionTtlMs ?? 43_200_000;
    this.#now = options.now ?? Date.now;
  }

  /** A new one-time login token. */
  createLoginToken(): string {
    const token = crypto.randomBytes(24).toString('base64url');
    this.#logins.set(token, this.#now() + this.#loginTtlMs);
    return token;
  }

  /** Consumes a login token; returns a new session id, or undefined when the token is unknown, used or expired. */
  exchange(token: string): string | undefined {
    let match: string | undefined;
    // Compare against every live token in constant time per comparison: no early exit on a prefix.
    for (const [candidate, expires] of this.#logins) {
      if (expires < this.#now()) this.#logins.delete(candidate);
      else if (secretsEqual(candidate, token)) match = candidate;
    }
    if (match === undefined) return undefined;
    this.#logins.delete(match);
    const session = crypto.randomBytes(32).toString('base64url');
    this.#sessions.set(session, this.#now() + this.#sessionTtlMs);
    return session;
  }

  /** Whether a session id is live. */
  verify(session: string): boolean {
    const expires = this.#sessions.get(session);
    if (expires === undefined) return false;
    if (expires < this.#now()) {
      this.#sessions.delete(session);
      return false;
    }
    return true;
  }

  /** Ends a session. */
  revoke(session: string): void {
    this.#sessions.delete(session);
  }
}

/** The value of one cookie in a Cookie header. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}
