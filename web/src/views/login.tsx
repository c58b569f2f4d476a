import { useEffect, useState, type FormEvent } from 'react';
import { api, ApiError } from '../lib/api.js';
import { navigate } from '../lib/router.js';

// A one-time token may be exchanged once; StrictMode runs effects twice in development.
const spent = new Set<string>();

async function openSession(token: string): Promise<void> {
  await api('/api/v1/session', { method: 'POST', body: { token } });
}

function describe(err: unknown): string {
  if (err instanceof ApiError) {
    if (err.routeMissing) return 'This server does not offer browser sign-in yet.';
    if (err.status === 401 || err.status === 403) return 'This login link was already used or has expired. Ask `slipway up` for a new one.';
    return err.message;
  }
  return err instanceof Error ? err.message : String(err);
}

/**
 * `/login?token=…`: exchanges the one-time token `slipway up` printed for an
 * HttpOnly session cookie, takes the token out of the address bar and history,
 * then opens the overview.
 */
export function LoginView() {
  const [error, setError] = useState<string | undefined>();
  const [token] = useState(() => new URLSearchParams(location.search).get('token') ?? '');

  useEffect(() => {
    if (token === '') return;
    // The token must not linger in the address bar, the history or a Referer.
    history.replaceState(null, '', '/login');
    if (spent.has(token)) return;
    spent.add(token);
    openSession(token).then(
      () => navigate('/', { replace: true }),
      (err: unknown) => setError(describe(err)),
    );
  }, [token]);

  return (
    <div className="login">
      <div className="login-card">
        <h1>slipway</h1>
        {token !== '' && error === undefined ? <p aria-live="polite">Signing in…</p> : <SignInForm initialError={error} />}
      </div>
    </div>
  );
}

/** Shown in place of a view when the API answers 401. */
export function SignedOut() {
  return (
    <div className="login-inline">
      <h1>Sign in</h1>
      <SignInForm />
    </div>
  );
}

function SignInForm({ initialError }: { initialError?: string }) {
  const [value, setValue] = useState('');
  const [error, setError] = useState(initialError);
  const [busy, setBusy] = useState(false);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const raw = value.trim();
    const token = raw.includes('token=') ? (new URL(raw, location.origin).searchParams.get('token') ?? '') : raw;
    if (token === '') return;
    setBusy(true);
    openSession(token).then(
      () => {
        location.assign('/');
      },
      (err: unknown) => {
        setBusy(false);
        setError(describe(err));
      },
    );
  };
  return (
    <form onSubmit={submit} className="stack">
      <p className="muted">
        Open the one-time login link that <code>slipway up</code> printed, or paste it here.
      </p>
      <label className="field">
        <span>Login link or token</span>
        <input type="password" autoComplete="off" value={value} onChange={(e) => setValue(e.target.value)} required />
      </label>
      {error ? (
        <p className="error-text" role="alert">
          {error}
        </p>
      ) : null}
      <button type="submit" className="btn btn-primary" disabled={busy}>
        {busy ? 'Signing in…' : 'Sign in'}
      </button>
    </form>
  );
}
