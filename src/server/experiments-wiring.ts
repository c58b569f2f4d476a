import { systemClock, type Clock, type Db, type EventLog, type Logger } from '../core/index.js';
import { createExperiments, experimentRoutes, type ControlSwitch, type Experiments } from '../experiments/index.js';
import type { FlagStore } from '../flags/index.js';
import type { ResolvedApp } from '../shared/index.js';
import type { Telemetry } from '../telemetry/index.js';
import type { RoutesPlugin } from './build-server.js';

/** The environment a span's resource names, in the semantic conventions' newer or older spelling. */
function environmentOf(resource: Readonly<Record<string, unknown>>): string | undefined {
  const env = resource['deployment.environment.name'] ?? resource['deployment.environment'];
  return typeof env === 'string' ? env : undefined;
}

/** The environment and service of a service's log group, `/slipway/<environment>/<service>`. */
function serviceOf(group: string): { environment: string | undefined; service: string | undefined } {
  const m = /^\/slipway\/([^/]+)\/([^/]+)$/.exec(group);
  return m === null || m[1] === 'default' ? { environment: undefined, service: m?.[2] } : { environment: m[1], service: m[2] };
}

/** Options of {@link startExperiments}. */
export interface ExperimentsWiringOptions {
  readonly db: Db;
  readonly events: EventLog;
  /** The live app model. */
  readonly app: () => ResolvedApp | undefined;
  readonly telemetry: Pick<Telemetry, 'findSpans' | 'findLogs'>;
  readonly flags: FlagStore;
  readonly logger: Logger;
  /** @default the system clock */
  readonly clock?: Clock;
  /** How often running experiments are evaluated, ms. @default 10000 */
  readonly intervalMs?: number;
}

/** Experiments, wired into the control plane. */
export interface ExperimentsWiring {
  readonly experiments: Experiments;
  readonly routes: RoutesPlugin;
  start(): void;
  close(): void;
}

/**
 * Makes a flag serve one value to everyone through the flag store: disabled when its default is
 * that value (the kill switch, reversible with `slipway flags enable`), otherwise a new version
 * with that default and no rules. Either way a `flag.changed` event names the actor.
 */
export function flagStoreControlSwitch(store: FlagStore): ControlSwitch {
  return {
    serveControl: (environment, key, control, actor) => {
      const stored = store.tryGet(environment, key);
      if (stored === undefined) return false;
      if (stored.flag.defaultValue === control) {
        if (stored.enabled) store.setEnabled(environment, key, false, { actor });
        return true;
      }
      store.put(environment, { ...stored.flag, defaultValue: control, rules: [] }, { actor });
      return true;
    },
  };
}

/**
 * Creates the experiments context: state in the control plane's database, spans from telemetry,
 * attribution with the flag definition each environment serves, `experiment.*` events in the log,
 * and a stop that makes the flag serve the control through the flag store.
 */
export function startExperiments(o: ExperimentsWiringOptions): ExperimentsWiring {
  const logger = o.logger.child('experiments');
  const experiments = createExperiments({
    db: o.db,
    app: o.app,
    telemetry: {
      spans: (q) => {
        const r = o.telemetry.findSpans(q);
        return { truncated: r.truncated, spans: r.spans.map((s) => ({ traceId: s.traceId, name: s.name, service: s.service, environment: environmentOf(s.resource), startMs: s.startTimeMs, durationMs: s.durationMs, error: s.statusCode === 'Error', attributes: s.attributes, events: s.events })) };
      },
      logs: (q) => {
        const r = o.telemetry.findLogs({ ...q, tracedOnly: true });
        return { truncated: r.truncated, logs: r.logs.map((l) => ({ traceId: l.traceId!, timeMs: l.timeMs, name: typeof l.fields['event.name'] === 'string' ? l.fields['event.name'] : l.message, ...serviceOf(l.group), attributes: l.fields })) };
      },
    },
    flagOf: (environment, key) => o.flags.tryGet(environment, key)?.flag,
    control: flagStoreControlSwitch(o.flags),
    appendEvent: (e) => void o.events.append(e),
    clock: o.clock ?? systemClock,
    ...(o.intervalMs !== undefined ? { intervalMs: o.intervalMs } : {}),
    onError: (err, experiment) => logger.error('experiment was not evaluated', { experiment, err }),
  });
  return {
    experiments,
    routes: (app) => experimentRoutes(experiments)(app),
    start: () => experiments.start(),
    close: () => experiments.close(),
  };
}
