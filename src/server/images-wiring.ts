import path from 'node:path';
import type { Db, EventLog, Logger } from '../core/index.js';
import { isTerminal } from '../deployments/index.js';
import { LocalRegistry, imagesRoutes, type CompiledEngine } from '../images/index.js';
import type { RoutesPlugin } from './build-server.js';
import type { LocalRuntime } from './local-runtime.js';

/** Options of {@link startImages}. */
export interface ImagesWiringOptions {
  /** The data directory's root: the registry lives in `<root>/registry`. */
  readonly dataDir: string;
  readonly db: Db;
  readonly events: EventLog;
  readonly logger: Logger;
  /** The engine, shared with the runtime's container tasks. */
  readonly engine: () => Promise<CompiledEngine>;
  /** Where the images in use come from: running task sets and unfinished deployments. */
  readonly runtime: () => LocalRuntime | undefined;
  /** How often lifecycle policies are applied. @default 1 h */
  readonly lifecycleIntervalMs?: number;
}

/** The local registry as the control plane composes it. */
export interface ImagesWiring {
  readonly registry: LocalRegistry;
  readonly routes: RoutesPlugin;
  /** Starts the lifecycle schedule. */
  start(): void;
  close(options: { readonly stopRegistry: boolean }): Promise<void>;
}

/**
 * Composes the local registry: started on first need (an image action or a container build),
 * lifecycle policies on a schedule, and an image is "in use" while a task set runs it or an
 * unfinished deployment names it.
 */
export function startImages(o: ImagesWiringOptions): ImagesWiring {
  const registry = new LocalRegistry({
    stateDir: path.join(o.dataDir, 'registry'),
    db: o.db,
    events: o.events,
    engine: o.engine,
    logger: o.logger.child('registry'),
    ...(o.lifecycleIntervalMs !== undefined ? { lifecycleIntervalMs: o.lifecycleIntervalMs } : {}),
    inUse: () => {
      const rt = o.runtime();
      if (rt === undefined) return [];
      // A task set scaled to nothing with no task left (a rolled-back canary) no longer uses its image.
      const running = rt.supervisor.listTaskSets().flatMap((ts) => (ts.spec.container && (ts.desiredCount > 0 || ts.runningCount > 0) ? [ts.spec.container.image] : []));
      const deploying = rt.deployments.service.list({ limit: 1000 }).flatMap((d) => (!isTerminal(d.state) && d.image !== undefined ? [d.image] : []));
      return [...running, ...deploying];
    },
  });
  return {
    registry,
    routes: imagesRoutes(registry),
    start: () => registry.start(),
    close: (options) => registry.close({ stopRegistry: options.stopRegistry }),
  };
}
