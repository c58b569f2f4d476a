import type { ExperimentListDto } from '../../../src/shared/index.js';
import { experimentPath } from '../lib/experiment-format.js';
import { Link } from '../lib/router.js';
import { useResource } from '../lib/use-resource.js';
import { StatusBadge } from '../components/status.js';

/** The experiments comparing this flag's variants in this environment, each linking to its page; nothing when there are none. */
export function FlagExperiments({ environment, flagKey }: { environment: string; flagKey: string }) {
  const list = useResource<ExperimentListDto>('/api/v1/experiments', { refreshOn: ['experiment'] });
  const mine = (list.data?.experiments ?? []).filter((e) => e.environment === environment && e.flag === flagKey);
  if (mine.length === 0) return null;
  return (
    <section className="card" aria-labelledby="flag-experiments">
      <div className="card-head">
        <h2 id="flag-experiments">Experiments on this flag</h2>
      </div>
      <ul className="alarm-list" aria-label="Experiments on this flag">
        {mine.map((e) => (
          <li key={e.name}>
            <Link to={experimentPath(environment, e.name)} className="mono">
              {e.name}
            </Link>
            <StatusBadge state={e.state} />
            <StatusBadge state={e.verdict} />
          </li>
        ))}
      </ul>
    </section>
  );
}
