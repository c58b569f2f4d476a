import path from 'node:path';
import type { EventLog, Logger } from '../core/index.js';
import type { ContainerImages, ImageRequest } from '../deployments/index.js';
import { buildImage, imageExists, lazyEngine, localImageName, pullImage, type CompiledEngine } from '../images/index.js';
import { CONTAINER_LABELS, serviceSubject, type ContainerSpec } from '../runtime/index.js';
import type { ResolvedService } from '../shared/index.js';

/** Options of {@link localContainerImages}. */
export interface LocalContainerImagesOptions {
  /** The app's name: images are `localhost/slipway/<app>/<service>:<revision>`. */
  readonly app: string;
  readonly logger: Logger;
  /** Where a revision started without the limits its service asks for is reported (`service.limits.not_applied`). @default the log only */
  readonly events?: EventLog;
  /** The engine, found on first use and shared (see `lazyEngine`). @default its own `lazyEngine()` */
  readonly engine?: () => Promise<CompiledEngine>;
}

/**
 * Container images for `slipway up`: a revision's image is the one its deployment names (pulled
 * from the registry a build pushed it to), or else built from the service's Dockerfile in
 * the revision's source folder — once per control plane (environments starting the same revision
 * share the build), and again after a restart, since a working copy's revision can change under the
 * same name (the engine's layer cache makes an unchanged rebuild quick). Tasks run with the engine
 * found on first use, limited by the service's `cpu` and `memory`. The engine is looked for only
 * when a container service starts.
 */
export function localContainerImages(o: LocalContainerImagesOptions): ContainerImages {
  const find = o.engine ?? lazyEngine();
  const builds = new Map<string, Promise<void>>();
  const build = (e: CompiledEngine, req: ImageRequest, svc: ResolvedService, name: string): Promise<void> => {
    const key = `${req.service}\0${req.revision}\0${req.sourceDir}`;
    let b = builds.get(key);
    if (b === undefined) {
      b = (async () => {
        const image = svc.image!;
        const log = o.logger.child(`image ${req.service}`);
        const built = await buildImage(e, {
          contextDir: path.resolve(req.sourceDir, image.context),
          dockerfile: path.resolve(req.sourceDir, image.dockerfile),
          ...(image.target !== undefined ? { target: image.target } : {}),
          buildArgs: image.buildArgs,
          platforms: image.platforms,
          tags: [name],
          labels: { [CONTAINER_LABELS.app]: o.app, [CONTAINER_LABELS.service]: req.service, [CONTAINER_LABELS.revision]: req.revision },
          onLine: (line) => log.debug(line),
        });
        o.logger.info('built image', { service: req.service, revision: req.revision, image: name, imageId: built.imageId, durationMs: built.durationMs });
      })();
      // A failed build is not remembered: the next start of the revision tries again.
      b.catch(() => builds.delete(key));
      builds.set(key, b);
    }
    return b;
  };
  return {
    async specFor(req: ImageRequest, svc: ResolvedService): Promise<ContainerSpec> {
      const e = await find();
      let name: string;
      if (req.image !== undefined) {
        // An image a build pushed: pulled once (plain HTTP from the loopback registry), then run as it is.
        name = req.image;
        if (!(await imageExists(e, name))) await pullImage(e, name);
      } else {
        name = localImageName(o.app, req.service, req.revision);
        await build(e, req, svc, name);
      }
      const cpus = svc.cpuUnits / 1024;
      // A limit the engine refused here would fail every start: the task runs without it, and says so.
      const cpuApplies = e.limits?.cpus ?? true;
      const memoryApplies = e.limits?.memory ?? true;
      const unapplied = cpuApplies && memoryApplies ? undefined : { ...(cpuApplies ? {} : { cpus }), ...(memoryApplies ? {} : { memoryMiB: svc.memoryMiB }), reason: e.limits?.reason ?? 'refused by the engine' };
      if (unapplied !== undefined) {
        o.logger.warn('container limits not applied', { service: req.service, revision: req.revision, ...unapplied });
        o.events?.append({
          type: 'service.limits.not_applied',
          subject: serviceSubject(req.environment, req.service),
          data: { environment: req.environment, service: req.service, revision: req.revision, cpus: unapplied.cpus ?? null, memoryMiB: unapplied.memoryMiB ?? null, reason: unapplied.reason },
        });
      }
      return {
        image: name,
        app: o.app,
        engine: { command: e.command, globalArgs: e.globalArgs, runArgs: e.runArgs },
        ...(cpuApplies ? { cpus } : {}),
        ...(memoryApplies ? { memoryMiB: svc.memoryMiB } : {}),
        ...(unapplied !== undefined ? { unappliedLimits: unapplied } : {}),
      };
    },
  };
}
