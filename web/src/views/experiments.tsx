import type { ExperimentDetailDto, ExperimentDto, ExperimentListDto } from '../../../src/shared/index.js';
import { experimentPath, showMetric } from '../lib/experiment-format.js';
import { flagPath } from '../lib/flag-format.js';
import { formatTime } from '../lib/format.js';
import { Link, navigate, useLocation } from '../lib/router.js';
import { useResource } from '../lib/use-resource.js';
import { EmptyState, PageHeader, ResourceState } from '../components/states.js';
import { StatusBadge } from '../components/status.js';
import { ExperimentDetail } from './experiment-detail.js';

/** A/B experiments: `/experiments` lists them per environment, `/experiments/<env>/<name>` opens one. */
export function ExperimentsView() {
  const { path } = useLocation();
  const m = /^\/experiments\/([^/]+)\/([^/]+)$/.exec(path);
  if (m) return <ExperimentDetail environment={decodeURIComponent(m[1]!)} name={decodeURIComponent(m[2]!)} />;
  return <ExperimentList />;
}

function ExperimentList() {
  const list = useResource<ExperimentListDto>('/api/v1/experiments', { refreshOn: ['experiment'] });
  const experiments = list.data?.experiments ?? [];
  const environments = [...new Set(experiments.map((e) => e.environment))];
  return (
    <>
      <PageHeader title="Experiments" subtitle="Each environment's A/B experiments: the variants of a flag compared on one metric from the services' telemetry." />
      <ResourceState what="experiments" loading={list.loading} error={list.error} missing={list.missing}>
        {experiments.length === 0 ? (
          <EmptyState title="No experiments">
            Declare one in <code>slipway.config.ts</code> (<code>experiments: {'{ … }'}</code>, on a flag) and start with <code>slipway up</code>.
          </EmptyState>
        ) : (
          environments.map((env) => {
            const rows = experiments.filter((e) => e.environment === env);
            return (
              <section key={env} className="card" aria-labelledby={`experiments-${env}`}>
                <div className="card-head">
                  <h2 id={`experiments-${env}`}>{env}</h2>
                  <span className="muted small">{rows.length === 1 ? '1 experiment' : `${rows.length} experiments`}</span>
                </div>
                <ExperimentTable environment={env} experiments={rows} />
              </section>
            );
          })
        )}
      </ResourceState>
    </>
  );
}

function ExperimentTable({ environment, experiments }: { environment: string; experiments: readonly ExperimentDto[] }) {
  return (
    <div className="table-wrap">
      <table className="table" aria-label={`Experiments in ${environment}`}>
        <thead>
          <tr>
            <th scope="col">Experiment</th>
            <th scope="col">Flag</th>
            <th scope="col">State</th>
            <th scope="col">Verdict</th>
            <th scope="col">Primary metric</th>
            <th scope="col" className="num">
              Exposures
            </th>
            <th scope="col">Started</th>
          </tr>
        </thead>
        <tbody>
          {experiments.map((e) => (
            <tr key={e.name} className="clickable" data-experiment={`${environment}/${e.name}`} onClick={() => navigate(experimentPath(environment, e.name))}>
              <th scope="row">
                <Link to={experimentPath(environment, e.name)} onClick={(ev) => ev.stopPropagation()} className="mono">
                  {e.name}
                </Link>
                {e.description ? <div className="muted small">{e.description}</div> : null}
              </th>
              <td>
                <Link to={flagPath(environment, e.flag)} onClick={(ev) => ev.stopPropagation()} className="mono">
                  {e.flag}
                </Link>
              </td>
              <td>
                <StatusBadge state={e.state} title={e.reason} />
              </td>
              <td>
                <StatusBadge state={e.verdict} />
                {e.winner !== undefined ? <span className="small"> {e.winner}</span> : null}
              </td>
              <td className="small">{showMetric(e.primary)}</td>
              <td className="num" data-exposures>
                <Exposures experiment={e} />
              </td>
              <td className="small">{formatTime(Date.parse(e.startedAt))}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The exposures of every variant together, from the experiment's result (the list does not carry counts). */
function Exposures({ experiment: e }: { experiment: ExperimentDto }) {
  const detail = useResource<ExperimentDetailDto>(`/api/v1/experiments/${encodeURIComponent(e.environment)}/${encodeURIComponent(e.name)}`, {
    refreshOn: ['experiment'],
    when: (ev) => ev.subject === `experiment/${e.environment}/${e.name}`,
  });
  if (detail.data === undefined) return <>{detail.error ? '—' : '…'}</>;
  return <>{detail.data.result.variants.reduce((n, v) => n + v.exposures, 0)}</>;
}
