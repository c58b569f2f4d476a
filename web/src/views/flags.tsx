import type { FlagDto, FlagListDto } from '../../../src/shared/index.js';
import { formatTime } from '../lib/format.js';
import { flagPath, showValue, summarizeRule } from '../lib/flag-format.js';
import { Link, navigate, useLocation } from '../lib/router.js';
import { useResource } from '../lib/use-resource.js';
import { ToggleButton } from '../components/flag-toggle.js';
import { EmptyState, PageHeader, ResourceState } from '../components/states.js';
import { StatusBadge } from '../components/status.js';
import { FlagDetail } from './flag-detail.js';

/** Feature flags: `/flags` lists every environment's flags, `/flags/<env>/<key>` opens one. */
export function FlagsView() {
  const { path } = useLocation();
  const m = /^\/flags\/([^/]+)\/([^/]+)$/.exec(path);
  if (m) return <FlagDetail environment={decodeURIComponent(m[1]!)} flagKey={decodeURIComponent(m[2]!)} />;
  return <FlagList />;
}

function FlagList() {
  const list = useResource<FlagListDto>('/api/v1/flags', { refreshOn: ['flag'] });
  const environments = list.data?.environments ?? [];
  return (
    <>
      <PageHeader title="Flags" subtitle="Each environment's feature flags as the control plane serves them over OFREP. Kill a flag to serve its default to everyone at once." />
      <ResourceState what="flags" loading={list.loading} error={list.error} missing={list.missing}>
        {environments.length === 0 ? (
          <EmptyState title="No flags">
            Declare flags in <code>slipway.config.ts</code> (<code>flags: {'{ … }'}</code>) and start with <code>slipway up</code>.
          </EmptyState>
        ) : (
          environments.map((env) => (
            <section key={env.name} className="card" aria-labelledby={`flags-${env.name}`}>
              <div className="card-head">
                <h2 id={`flags-${env.name}`}>{env.name}</h2>
                <span className="muted small">{env.flags.length === 1 ? '1 flag' : `${env.flags.length} flags`}</span>
              </div>
              {env.flags.length === 0 ? <p className="pad muted">No flags in {env.name}.</p> : <FlagTable environment={env.name} flags={env.flags} onDone={list.reload} />}
            </section>
          ))
        )}
      </ResourceState>
    </>
  );
}

function FlagTable({ environment, flags, onDone }: { environment: string; flags: readonly FlagDto[]; onDone: () => void }) {
  return (
    <div className="table-wrap">
      <table className="table" aria-label={`Flags in ${environment}`}>
        <thead>
          <tr>
            <th scope="col">Flag</th>
            <th scope="col">State</th>
            <th scope="col" className="num">
              Version
            </th>
            <th scope="col">Default</th>
            <th scope="col">Rules</th>
            <th scope="col">Changed</th>
            <th scope="col" aria-label="Actions" />
          </tr>
        </thead>
        <tbody>
          {flags.map((f) => (
            <tr key={f.key} className="clickable" data-flag={`${environment}/${f.key}`} onClick={() => navigate(flagPath(environment, f.key))}>
              <th scope="row">
                <Link to={flagPath(environment, f.key)} onClick={(e) => e.stopPropagation()} className="mono">
                  {f.key}
                </Link>
                {f.definition.description ? <div className="muted small">{f.definition.description}</div> : null}
              </th>
              <td>
                <StatusBadge state={f.enabled ? 'Enabled' : 'Disabled'} />
                {f.rollout !== undefined ? (
                  <span className="badge tone-progress rollout-badge" data-in-rollout={f.rollout.id} title={`rollout ${f.rollout.id}: ${f.rollout.percent} % served its new definition`}>
                    in rollout {f.rollout.percent} %
                  </span>
                ) : null}
              </td>
              <td className="num">{f.version}</td>
              <td className="mono">{showValue(f.definition.default)}</td>
              <td className="small">
                {f.definition.rules.length === 0 ? (
                  <span className="muted">none</span>
                ) : (
                  <ol className="rules">
                    {f.definition.rules.map((r, i) => (
                      <li key={i}>{summarizeRule(r)}</li>
                    ))}
                  </ol>
                )}
              </td>
              <td className="small">{formatTime(Date.parse(f.updatedAt))}</td>
              <td onClick={(e) => e.stopPropagation()}>
                <ToggleButton environment={environment} flag={f} onDone={onDone} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
