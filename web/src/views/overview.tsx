import { formatCount, formatDuration, formatPercent, shortRev } from '../lib/format.js';
import { Link } from '../lib/router.js';
import type { AlarmDto, AlarmListDto, DoraReportDto, DoraResponseDto, EnvironmentStatusDto, ServiceStatusDto, StatusDto } from '../../../src/shared/index.js';
import { useResource } from '../lib/use-resource.js';
import { HealthDot, StatusBadge, stateLabel } from '../components/status.js';
import { EmptyState, Loading, PageHeader, ResourceState } from '../components/states.js';
import { TrafficBar } from '../components/traffic-bar.js';

/** The health of a service from its tasks: Healthy, Starting, Degraded, Unhealthy or No tasks. */
export function serviceHealth(service: ServiceStatusDto): string {
  const tasks = service.revisions.flatMap((r) => r.tasks).filter((t) => t.state !== 'Stopped');
  if (tasks.length === 0) return 'NoTasks';
  const healthy = tasks.filter((t) => t.state === 'Healthy').length;
  if (healthy === tasks.length) return 'Healthy';
  if (tasks.some((t) => t.state === 'Unhealthy' || t.state === 'Failed')) return healthy > 0 ? 'Degraded' : 'Unhealthy';
  return 'Starting';
}

/** Environments × services: revisions, task health, traffic split, alarms; DORA on top. */
export function OverviewView() {
  const status = useResource<StatusDto>('/api/v1/status', { refreshOn: ['task', 'service', 'router', 'deployment', 'controlplane'] });
  const alarms = useResource<AlarmListDto>('/api/v1/alarms', { refreshOn: ['alarm'] });
  const dora = useResource<DoraResponseDto>('/api/v1/dora', { refreshOn: ['deployment', 'incident'] });
  const alarmList = alarms.data?.alarms ?? [];
  // The tiles show the 30-day window, the middle of the three the API reports by default.
  const doraWindow = dora.data?.windows.find((w) => w.window === '30d') ?? dora.data?.windows[0];
  const envs = status.data?.runtime?.environments ?? [];
  const tasks = envs.flatMap((e) => e.services.flatMap((s) => s.revisions.flatMap((r) => r.tasks)));
  const healthy = tasks.filter((t) => t.state === 'Healthy').length;

  return (
    <>
      <PageHeader
        title={status.data?.app?.name ?? 'Overview'}
        subtitle={
          status.data ? (
            <>
              {envs.length} environment{envs.length === 1 ? '' : 's'} · {healthy}/{tasks.length} tasks healthy
              {` · slipway ${status.data.server.version}`}
            </>
          ) : undefined
        }
      />
      <DoraTiles dora={doraWindow?.overall} missing={dora.missing || dora.error !== undefined} loading={dora.loading} />
      <ResourceState what="status" loading={status.loading} error={status.error} missing={status.missing}>
        {envs.length === 0 ? (
          <EmptyState title="No application is running">
            Start one with <code>slipway up</code> in a folder with a <code>slipway.config.ts</code>.
          </EmptyState>
        ) : (
          envs.map((env) => <EnvironmentCard key={env.name} env={env} alarms={alarmList.filter((a) => a.environment === null || a.environment === env.name)} />)
        )}
      </ResourceState>
      <AlarmsCard alarms={alarmList} missing={alarms.missing} loading={alarms.loading} />
    </>
  );
}

function EnvironmentCard({ env, alarms }: { env: EnvironmentStatusDto; alarms: readonly AlarmDto[] }) {
  return (
    <section className="card" aria-labelledby={`env-${env.name}`}>
      <div className="card-head">
        <h2 id={`env-${env.name}`}>{env.name}</h2>
        {env.ingressPort ? (
          <a className="muted mono" href={`http://127.0.0.1:${env.ingressPort}/`} target="_blank" rel="noreferrer">
            ingress :{env.ingressPort}
          </a>
        ) : null}
      </div>
      <div className="table-wrap">
        <table className="table services">
          <thead>
            <tr>
              <th scope="col">Service</th>
              <th scope="col">Health</th>
              <th scope="col">Tasks</th>
              <th scope="col" className="col-traffic">
                Traffic
              </th>
              <th scope="col">Alarms</th>
            </tr>
          </thead>
          <tbody>
            {env.services.map((svc) => {
              const health = serviceHealth(svc);
              const svcAlarms = alarms.filter((a) => a.service === svc.name);
              return (
                <tr key={svc.name} data-service={`${env.name}/${svc.name}`} data-health={health}>
                  <th scope="row">
                    <span className="svc-name">{svc.name}</span>
                    <span className="muted small mono">{svc.revisions.filter((r) => r.weightPercent > 0).map((r) => shortRev(r.revision)).join(' · ') || 'no revision'}</span>
                  </th>
                  <td>
                    <StatusBadge state={health === 'NoTasks' ? 'No tasks' : health} />
                  </td>
                  <td>
                    <div className="dots">
                      {svc.revisions.flatMap((r) =>
                        r.tasks.map((t) => (
                          <HealthDot
                            key={t.id}
                            state={t.state}
                            label={`${svc.name} task ${t.id} (${shortRev(r.revision)}): ${stateLabel(t.state)}, pid ${t.pid ?? '—'}, port ${t.port}, up ${formatDuration(t.uptimeMs)}, ${t.restarts} restarts`}
                          />
                        )),
                      )}
                    </div>
                  </td>
                  <td className="col-traffic">
                    <TrafficBar revisions={svc.revisions} label={`Traffic of ${svc.name} in ${env.name}`} />
                  </td>
                  <td>
                    {svcAlarms.length === 0 ? (
                      <span className="muted">—</span>
                    ) : (
                      <div className="chips">
                        {svcAlarms.map((a) => (
                          <StatusBadge key={a.name} state={a.state} title={`${a.name}: ${a.reason || a.state}`} />
                        ))}
                      </div>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function DoraTiles({ dora, missing, loading }: { dora: DoraReportDto | undefined; missing: boolean; loading: boolean }) {
  if (loading || missing || !dora) return null;
  const tiles = [
    { label: 'Deployment frequency', value: dora.deploymentFrequency.perDay === null ? '—' : `${formatCount(dora.deploymentFrequency.perDay)}/day`, band: dora.deploymentFrequency.band },
    { label: 'Lead time for changes', value: formatDuration(dora.leadTime.medianMs), band: dora.leadTime.band },
    { label: 'Change failure rate', value: formatPercent(dora.changeFailureRate.ratio), band: dora.changeFailureRate.band },
    { label: 'Time to restore', value: formatDuration(dora.timeToRestore.medianMs), band: dora.timeToRestore.band },
  ];
  return (
    <section className="tiles" aria-label="DORA metrics">
      {tiles.map((t) => (
        <div key={t.label} className="tile">
          <span className="tile-label">{t.label}</span>
          <span className="tile-value">{t.value}</span>
          {t.band ? <StatusBadge state={t.band} /> : <span className="muted small">no data yet</span>}
        </div>
      ))}
    </section>
  );
}

function AlarmsCard({ alarms, missing, loading }: { alarms: readonly AlarmDto[]; missing: boolean; loading: boolean }) {
  if (missing) return null;
  return (
    <section className="card" aria-labelledby="alarms-title">
      <div className="card-head">
        <h2 id="alarms-title">Alarms</h2>
        <Link to="/events?type=alarm" className="muted">
          history
        </Link>
      </div>
      {loading ? (
        <Loading />
      ) : alarms.length === 0 ? (
        <p className="muted pad">No alarms are defined.</p>
      ) : (
        <ul className="alarm-list">
          {alarms.map((a) => (
            <li key={a.name}>
              <StatusBadge state={a.state} />
              <strong>{a.name}</strong>
              <span className="muted">{a.reason}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
