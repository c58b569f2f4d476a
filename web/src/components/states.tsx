import type { ReactNode } from 'react';
import { ApiError } from '../lib/api.js';

/** A calm placeholder: nothing to show yet, and why. */
export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="empty" role="status">
      <p className="empty-title">{title}</p>
      {children ? <div className="empty-body">{children}</div> : null}
    </div>
  );
}

/** Loading, an error, or "this API has not landed" for a resource; renders children once there is data. */
export function ResourceState({ what, loading, error, missing, children }: { what: string; loading: boolean; error: Error | undefined; missing: boolean; children: ReactNode }) {
  if (missing) {
    return (
      <EmptyState title={`No ${what} on this server yet`}>
        This control plane does not serve {what} yet. The view fills in as soon as it does.
      </EmptyState>
    );
  }
  if (error && !(error instanceof ApiError && error.status === 401)) {
    return (
      <div className="error-box" role="alert">
        <strong>Could not load {what}.</strong> {error.message}
      </div>
    );
  }
  if (loading) return <Loading />;
  return <>{children}</>;
}

/** A quiet loading line. */
export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <p className="loading" aria-live="polite">
      {label}
    </p>
  );
}

/** A view's title row, with controls on the right. */
export function PageHeader({ title, subtitle, children }: { title: string; subtitle?: ReactNode; children?: ReactNode }) {
  return (
    <header className="page-header">
      <div>
        <h1>{title}</h1>
        {subtitle ? <p className="subtitle">{subtitle}</p> : null}
      </div>
      {children ? <div className="page-actions">{children}</div> : null}
    </header>
  );
}
