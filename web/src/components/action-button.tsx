import { useState } from 'react';
import { api, ApiError } from '../lib/api.js';

/** A button that POSTs to the API, shows progress, and reports a refusal next to itself. */
export function ActionButton({ label, path, body, variant, disabled, confirm, onDone }: { label: string; path: string; body?: unknown; variant?: 'primary' | 'danger' | 'ok'; disabled?: boolean; confirm?: string; onDone?: () => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const run = () => {
    if (confirm && !window.confirm(confirm)) return;
    setBusy(true);
    setError(undefined);
    api(path, { method: 'POST', body: body ?? {} }).then(
      () => {
        setBusy(false);
        onDone?.();
      },
      (err: unknown) => {
        setBusy(false);
        setError(err instanceof ApiError && err.routeMissing ? 'not available on this server yet' : err instanceof Error ? err.message : String(err));
      },
    );
  };
  return (
    <span className="action">
      <button type="button" className={`btn${variant ? ` btn-${variant}` : ''}`} disabled={disabled || busy} onClick={run}>
        {busy ? `${label}…` : label}
      </button>
      {error ? (
        <span className="error-text small" role="alert">
          {error}
        </span>
      ) : null}
    </span>
  );
}
