import { lazy, Suspense, useEffect, useState, type ComponentType, type LazyExoticComponent } from 'react';
import { onUnauthorized } from './lib/api.js';
import { liveEvents, useStreamState } from './lib/live-events.js';
import { Link, useLocation } from './lib/router.js';
import { Loading } from './components/states.js';
import { LoginView, SignedOut } from './views/login.js';

interface Route {
  readonly path: string;
  readonly label: string;
  readonly view: LazyExoticComponent<ComponentType>;
  /** Also serves the paths under it, e.g. `/incidents/7`. */
  readonly nested?: boolean;
}

// One chunk per view: the first load carries only the shell and the view it opens.
const ROUTES: readonly Route[] = [
  { path: '/', label: 'Overview', view: lazy(() => import('./views/overview.js').then((m) => ({ default: m.OverviewView }))) },
  { path: '/pipelines', label: 'Pipelines', view: lazy(() => import('./views/pipelines.js').then((m) => ({ default: m.PipelinesView }))) },
  { path: '/iac', label: 'Infrastructure', view: lazy(() => import('./views/iac.js').then((m) => ({ default: m.IacView }))) },
  { path: '/deployments', label: 'Deployments', view: lazy(() => import('./views/deployments.js').then((m) => ({ default: m.DeploymentsView }))) },
  { path: '/flags', label: 'Flags', nested: true, view: lazy(() => import('./views/flags.js').then((m) => ({ default: m.FlagsView }))) },
  { path: '/experiments', label: 'Experiments', nested: true, view: lazy(() => import('./views/experiments.js').then((m) => ({ default: m.ExperimentsView }))) },
  { path: '/incidents', label: 'Incidents', nested: true, view: lazy(() => import('./views/incidents.js').then((m) => ({ default: m.IncidentsView }))) },
  { path: '/service-map', label: 'Service map', view: lazy(() => import('./views/service-map.js').then((m) => ({ default: m.ServiceMapView }))) },
  { path: '/traces', label: 'Traces', view: lazy(() => import('./views/traces.js').then((m) => ({ default: m.TracesView }))) },
  { path: '/pages', label: 'Pages', view: lazy(() => import('./views/pages.js').then((m) => ({ default: m.PagesView }))) },
  { path: '/metrics', label: 'Metrics', view: lazy(() => import('./views/metrics.js').then((m) => ({ default: m.MetricsView }))) },
  { path: '/logs', label: 'Logs', view: lazy(() => import('./views/logs.js').then((m) => ({ default: m.LogsView }))) },
  { path: '/dashboards', label: 'Dashboards', view: lazy(() => import('./views/dashboards.js').then((m) => ({ default: m.DashboardsView }))) },
  { path: '/events', label: 'Events', view: lazy(() => import('./views/events.js').then((m) => ({ default: m.EventsView }))) },
];

/** The dashboard: the login page, or the shell with its navigation and the current view. */
export function App() {
  const { path } = useLocation();
  if (path === '/login') return <LoginView />;
  return <Shell path={path} />;
}

function Shell({ path }: { path: string }) {
  const [signedOut, setSignedOut] = useState(false);
  useEffect(() => onUnauthorized(() => setSignedOut(true)), []);
  useEffect(() => {
    liveEvents.start();
    return () => liveEvents.stop();
  }, []);
  const route = ROUTES.find((r) => r.path === path || (r.nested === true && path.startsWith(`${r.path}/`)));
  const View = route?.view;
  return (
    <div className="shell">
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <Link to="/" className="brand" aria-label="slipway home">
          <svg viewBox="0 0 16 16" width="18" height="18" aria-hidden="true">
            <path d="M1 12 L8 3 L15 12 Z" fill="currentColor" />
          </svg>
          slipway
        </Link>
        <StreamIndicator />
      </header>
      <nav className="sidenav" aria-label="Views">
        <ul>
          {ROUTES.map((r) => (
            <li key={r.path}>
              <Link to={r.path} aria-current={r === route ? 'page' : undefined}>
                {r.label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main" className="main">
        {signedOut ? (
          <SignedOut />
        ) : View ? (
          <Suspense fallback={<Loading />}>
            <View />
          </Suspense>
        ) : (
          <div className="empty" role="status">
            <p className="empty-title">No page at {path}</p>
            <Link to="/">Go to the overview</Link>
          </div>
        )}
      </main>
    </div>
  );
}

function StreamIndicator() {
  const state = useStreamState();
  const text = state === 'live' ? 'Live' : state === 'connecting' ? 'Connecting…' : 'Offline — reconnecting';
  return (
    <span className={`stream stream-${state}`} role="status" aria-live="polite" title="Event stream">
      <span className="stream-dot" aria-hidden="true" />
      {text}
    </span>
  );
}
