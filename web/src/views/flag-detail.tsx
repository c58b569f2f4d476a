import { useEffect, useState, type ReactNode } from 'react';
import type { FlagDetailDto, FlagDefinitionDto, MetricQueryResultDto } from '../../../src/shared/index.js';
import { api, qs } from '../lib/api.js';
import { formatCount, formatPercent, formatTime } from '../lib/format.js';
import { servedVariants, showValue, summarizeRule } from '../lib/flag-format.js';
import { Link } from '../lib/router.js';
import { useLiveEvents } from '../lib/live-events.js';
import { useResource } from '../lib/use-resource.js';
import { PageHeader, ResourceState } from '../components/states.js';
import { ToggleButton } from '../components/flag-toggle.js';
import { StatusBadge } from '../components/status.js';
import { FlagExperiments } from './flag-experiments.js';
import { FlagRolloutProgress } from './flag-rollout.js';

/** The impressions metric (`IMPRESSIONS_METRIC` of the flags context) and the window the page counts. */
const IMPRESSIONS = 'feature_flag.impressions';
const WINDOW = '1h';
// Impressions are flushed into telemetry every 10 s and have no event: the counts are read again on this period.
const REFRESH_MS = 10_000;

/** One flag in one environment: its state, definition, evaluations per variant and version history. */
export function FlagDetail({ environment, flagKey }: { environment: string; flagKey: string }) {
  const subject = `flag/${environment}/${flagKey}`;
  const base = `/api/v1/flags/${encodeURIComponent(environment)}/${encodeURIComponent(flagKey)}`;
  const detail = useResource<FlagDetailDto>(base, { refreshOn: ['flag'], when: (e) => e.subject === subject });
  const d = detail.data;
  return (
    <>
      <PageHeader title={`Flag ${flagKey}`} subtitle={<Link to="/flags">← All flags</Link>}>
        {d ? <ToggleButton environment={environment} flag={d} onDone={detail.reload} /> : null}
      </PageHeader>
      <ResourceState what="flags" loading={detail.loading} error={detail.error} missing={detail.missing}>
        {d ? (
          <>
            <Facts flag={d} />
            <FlagRolloutProgress environment={environment} flagKey={flagKey} />
            <FlagExperiments environment={environment} flagKey={flagKey} />
            <Definition definition={d.definition} />
            <Evaluations environment={environment} flagKey={flagKey} definition={d.definition} />
            <History flag={d} />
          </>
        ) : null}
      </ResourceState>
    </>
  );
}

function Facts({ flag: d }: { flag: FlagDetailDto }) {
  const fact = (label: string, value: ReactNode) => (
    <div>
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  );
  return (
    <section className="card" aria-label="Flag facts">
      <dl className="facts">
        {fact('Environment', d.environment)}
        {fact('State', <StatusBadge state={d.enabled ? 'Enabled' : 'Disabled'} />)}
        {fact('Version', d.version)}
        {fact('Default', <span className="mono">{showValue(d.definition.default)}</span>)}
        {fact('Changed', formatTime(Date.parse(d.updatedAt)))}
        {fact('Description', d.definition.description ?? '—')}
      </dl>
    </section>
  );
}

function Definition({ definition }: { definition: FlagDefinitionDto }) {
  return (
    <section className="card" aria-labelledby="flag-rules">
      <div className="card-head">
        <h2 id="flag-rules">Rules</h2>
        <span className="muted small">first match wins; otherwise the default</span>
      </div>
      {definition.rules.length === 0 ? (
        <p className="pad muted">No rules: everyone gets {showValue(definition.default)}.</p>
      ) : (
        <ol className="pad rules plain" aria-label="Rules">
          {definition.rules.map((r, i) => (
            <li key={i} data-rule={i + 1}>
              <span className="mono small">rule-{i + 1}</span> {summarizeRule(r)}
            </li>
          ))}
        </ol>
      )}
      {definition.variants !== null ? (
        <div className="table-wrap">
          <table className="table kv" aria-label="Variants">
            <tbody>
              {Object.entries(definition.variants).map(([name, payload]) => (
                <tr key={name}>
                  <th scope="row" className="mono">
                    {name}
                  </th>
                  <td className="mono small">{JSON.stringify(payload)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}

/** Evaluations in the window per variant (and failed ones), from the impressions in telemetry. */
function Evaluations({ environment, flagKey, definition }: { environment: string; flagKey: string; definition: FlagDefinitionDto }) {
  const variants = servedVariants(definition);
  const [counts, setCounts] = useState<Readonly<Record<string, number>> | undefined>();
  const [generation, setGeneration] = useState(0);
  useLiveEvents(['flag'], (e) => e.subject === `flag/${environment}/${flagKey}` && setGeneration((g) => g + 1));
  const key = variants.join(',');
  useEffect(() => {
    let cancelled = false;
    const sum = (dims: Record<string, string>) =>
      api<MetricQueryResultDto>(`/api/v1/metrics/query${qs({ name: IMPRESSIONS, stat: 'Sum', period: WINDOW, since: WINDOW, 'dim.environment': environment, 'dim.feature_flag.key': flagKey, ...dims })}`).then(
        (r) => r.values.reduce<number>((n, v) => n + (v ?? 0), 0),
        () => 0,
      );
    const load = () =>
      void Promise.all([...variants.map((v) => sum({ 'dim.feature_flag.result.variant': v })), sum({ 'dim.feature_flag.result.reason': 'ERROR' })]).then((values) => {
        if (cancelled) return;
        setCounts(Object.fromEntries([...variants.map((v, i) => [v, values[i] ?? 0] as const), ['(error)', values.at(-1) ?? 0] as const]));
      });
    load();
    const timer = setInterval(load, REFRESH_MS);
    return () => {
      cancelled = true;
      clearInterval(timer);
    };
    // `key` stands for the variants, so a re-read definition with the same variants does not re-query.
  }, [environment, flagKey, key, generation]);
  const total = counts === undefined ? 0 : Object.values(counts).reduce((a, b) => a + b, 0);
  const valueOf = (variant: string): string => {
    if (variant === '(error)') return 'the caller’s default';
    if (definition.variants !== null) return JSON.stringify(definition.variants[variant]);
    if (variant === 'default') return showValue(definition.default);
    const rule = definition.rules[Number(variant.slice('rule-'.length)) - 1];
    return rule === undefined ? '—' : showValue(rule.value);
  };
  return (
    <section className="card" aria-labelledby="flag-evaluations">
      <div className="card-head">
        <h2 id="flag-evaluations">Evaluations</h2>
        <span className="muted small">last hour, from the {IMPRESSIONS} metric (flushed every 10 s)</span>
      </div>
      <div className="table-wrap">
        <table className="table" aria-label="Evaluations per variant">
          <thead>
            <tr>
              <th scope="col">Variant</th>
              <th scope="col">Value</th>
              <th scope="col" className="num">
                Evaluations
              </th>
              <th scope="col" className="num">
                Share
              </th>
            </tr>
          </thead>
          <tbody>
            {[...variants, '(error)'].map((v) => (
              <tr key={v} data-variant={v}>
                <th scope="row" className="mono">
                  {v}
                </th>
                <td className="mono small">{valueOf(v)}</td>
                <td className="num" data-count>
                  {counts === undefined ? '…' : formatCount(counts[v] ?? 0)}
                </td>
                <td className="num">{counts === undefined || total === 0 ? '—' : formatPercent((counts[v] ?? 0) / total)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function History({ flag: d }: { flag: FlagDetailDto }) {
  return (
    <section className="card" aria-labelledby="flag-history">
      <div className="card-head">
        <h2 id="flag-history">History</h2>
        <span className="muted small">newest first</span>
      </div>
      <div className="table-wrap">
        <table className="table" aria-label="Versions">
          <thead>
            <tr>
              <th scope="col" className="num">
                Version
              </th>
              <th scope="col">Change</th>
              <th scope="col">By</th>
              <th scope="col">When</th>
              <th scope="col">State</th>
              <th scope="col">Definition</th>
            </tr>
          </thead>
          <tbody>
            {d.history.map((v) => (
              <tr key={v.version} data-version={v.version}>
                <td className="num">{v.version}</td>
                <td>{v.change}</td>
                <td>{v.actor}</td>
                <td className="small">{formatTime(Date.parse(v.time))}</td>
                <td>
                  <StatusBadge state={v.enabled ? 'Enabled' : 'Disabled'} />
                </td>
                <td className="small">
                  default <span className="mono">{showValue(v.definition.default)}</span>
                  {v.definition.rules.map((r, i) => (
                    <div key={i}>
                      <span className="mono">rule-{i + 1}</span> {summarizeRule(r)}
                    </div>
                  ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
