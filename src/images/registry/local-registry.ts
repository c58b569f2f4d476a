import { SerialQueue, isAlive, signalProcessGroup, silentLogger, systemClock, type Clock, type Db, type EventLog, type Logger } from '../../core/index.js';
import { buildImage, type BuildImageInput, type BuiltImage } from '../engine/build-image.js';
import type { CompiledEngine } from '../engine/model.js';
import { pushImage } from '../engine/image-ops.js';
import { applyLifecycle, type AppliedLifecycle } from './lifecycle/apply-lifecycle.js';
import { ensureRegistry, readRegistryInfo, type RegistryHandle } from './process/ensure-registry.js';
import { ImageStore, type RepositorySettings } from './store/image-store.js';

/** Options of {@link LocalRegistry}. */
export interface LocalRegistryOptions {
  /** The registry's state directory (`<data>/registry`): its config, `registry.json`, log and storage. */
  readonly stateDir: string;
  /** The control plane's database, with `imageMigrations` applied. */
  readonly db: Db;
  readonly events: EventLog;
  /** The container engine, found on first use (shared with the runtime's container tasks). */
  readonly engine: () => Promise<CompiledEngine>;
  /**
   * Image references (`host/repo@sha256:…` or `host/repo:tag`) that a task runs or an unfinished
   * deployment names, read before each lifecycle evaluation: those images never expire. @default none
   */
  readonly inUse?: () => Iterable<string>;
  /** How often every repository's lifecycle policy is applied; 0 turns the schedule off. @default 3600000 (1 h) */
  readonly lifecycleIntervalMs?: number;
  /** The registry binary. @default `findRegistryBinary()` */
  readonly binary?: string;
  /** @default systemClock */
  readonly clock?: Clock;
  /** @default silentLogger */
  readonly logger?: Logger;
}

/** What {@link LocalRegistry.push} pushed. */
export interface PushedImage {
  readonly repository: string;
  readonly digest: string;
  readonly tags: readonly string[];
  /** `<registry host>/<repository>@<digest>`. */
  readonly reference: string;
}

/**
 * The local registry as ECR shows it: the distribution registry on loopback (started on first need,
 * started again when it died, adopted after a control-plane restart), one repository per service with
 * its tag mutability and lifecycle policy in {@link ImageStore}, pushes by tag and digest, and the
 * lifecycle applied on push and on a schedule, never to an image in use. Every change is an
 * `image.*` event.
 */
export class LocalRegistry {
  /** Repositories, images, tags, scans and SBOMs. */
  readonly store: ImageStore;
  readonly #o: LocalRegistryOptions;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #queue = new SerialQueue();
  #handle: RegistryHandle | undefined;
  #timer: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(options: LocalRegistryOptions) {
    this.#o = options;
    this.#clock = options.clock ?? systemClock;
    this.#logger = options.logger ?? silentLogger;
    this.store = new ImageStore(options.db, this.#clock);
  }

  /** The container engine (found on first use). */
  engine(): Promise<CompiledEngine> {
    return this.#o.engine();
  }

  /**
   * The running registry: the one already answering, else the one `registry.json` names, else a new
   * one on the port it had before (so image references stay valid), so a registry that died is
   * started again by the next push.
   * @throws UnavailableError `SLW_ERR_IMAGES_REGISTRY_UNAVAILABLE` when none is installed or it does not come up.
   */
  ensure(): Promise<RegistryHandle> {
    return this.#queue.run(async () => {
      if (this.#handle !== undefined && (await this.#handle.client.ping())) return this.#handle;
      const before = readRegistryInfo(this.#o.stateDir);
      const port = before === undefined ? 0 : Number(new URL(before.url).port);
      this.#handle = await ensureRegistry({ stateDir: this.#o.stateDir, port, ...(this.#o.binary ? { binary: this.#o.binary } : {}), logger: this.#logger });
      return this.#handle;
    });
  }

  /** `host:port` of the registry, when it has been started or adopted. */
  get host(): string | undefined {
    if (this.#handle !== undefined) return this.#handle.client.host;
    const info = readRegistryInfo(this.#o.stateDir);
    return info === undefined ? undefined : new URL(info.url).host;
  }

  /** Creates a repository or updates its settings, as `aws ecr create-repository` / `put-lifecycle-policy` would. */
  putRepository(name: string, settings: RepositorySettings = {}): void {
    this.store.putRepository(name, settings);
  }

  /**
   * Pushes a local image to `repository` under `tags` and records it: refused before anything is
   * pushed when an immutable repository has one of the tags on another image; recorded (tags moved
   * onto it) only once the registry stored it, so a failed push changes nothing.
   * @throws ConflictError `SLW_ERR_IMAGES_TAG_IMMUTABLE`; SlipwayError `SLW_ERR_IMAGES_PUSH_FAILED`; UnavailableError when the registry is down.
   */
  async push(input: { readonly engine: CompiledEngine; readonly localRef: string; readonly imageId: string; readonly repository: string; readonly tags: readonly string[]; readonly service?: string; readonly runId?: number }): Promise<PushedImage> {
    const { repository, tags } = input;
    this.store.checkPushable(repository, undefined, tags, input.imageId);
    const registry = await this.ensure();
    let digest = '';
    for (const tag of tags) digest = await pushImage(input.engine, input.localRef, `${registry.client.host}/${repository}:${tag}`);
    this.store.recordPush(repository, digest, tags, input.imageId);
    const reference = `${registry.client.host}/${repository}@${digest}`;
    this.#o.events.append({ type: 'image.pushed', subject: `image/${repository}`, data: { repository, digest, tags: [...tags], reference, ...where(input) } });
    return { repository, digest, tags, reference };
  }

  /** Builds a service's image with the engine and records it (`image.built`). A failed build throws `SLW_ERR_IMAGES_BUILD_FAILED`. */
  async build(engine: CompiledEngine, input: BuildImageInput & { readonly repository: string; readonly service?: string; readonly runId?: number }): Promise<BuiltImage> {
    const { repository, service, runId, ...build } = input;
    const built = await buildImage(engine, build);
    this.#o.events.append({ type: 'image.built', subject: `image/${repository}`, data: { repository, imageId: built.imageId, durationMs: built.durationMs, ...where({ service, runId }) } });
    return built;
  }

  /**
   * Records an image's scan (`image.scanned`); once pushed (`digest`), the scan and its SBOM are
   * stored beside the image.
   */
  recordScan(input: {
    readonly repository: string;
    readonly imageId: string;
    readonly digest?: string;
    readonly scan: { readonly status: 'Passed' | 'Failed' | 'NotScanned'; readonly secrets: readonly unknown[]; readonly packageCount: number; readonly audit: { readonly status: string } };
    readonly sbom?: string;
    readonly service?: string;
    readonly runId?: number;
  }): void {
    if (input.digest !== undefined) this.store.recordScan(input.repository, input.digest, input.scan, input.sbom);
    this.#o.events.append({
      type: 'image.scanned',
      subject: `image/${input.repository}`,
      data: {
        repository: input.repository,
        imageId: input.imageId,
        ...(input.digest !== undefined ? { digest: input.digest } : {}),
        status: input.scan.status,
        secrets: input.scan.secrets.length,
        packages: input.scan.packageCount,
        audit: input.scan.audit.status,
        ...where(input),
      },
    });
  }

  /** Records a push a build made itself (`docker push` in a buildspec), after the registry stored it. */
  recordPushed(push: { readonly repository: string; readonly digest: string; readonly tag: string; readonly runId?: number }): void {
    if (this.store.repository(push.repository) === undefined) this.store.putRepository(push.repository);
    this.store.recordPush(push.repository, push.digest, [push.tag]);
    const host = this.host ?? '';
    this.#o.events.append({ type: 'image.pushed', subject: `image/${push.repository}`, data: { repository: push.repository, digest: push.digest, tags: [push.tag], reference: `${host}/${push.repository}@${push.digest}`, ...where(push) } });
  }

  /** The digests in use now: every `@sha256:` reference, and the digest behind every tag reference of this registry. */
  inUseDigests(): Set<string> {
    const out = new Set<string>();
    for (const ref of this.#o.inUse?.() ?? []) {
      const at = ref.indexOf('@sha256:');
      if (at >= 0) {
        out.add(ref.slice(at + 1));
        continue;
      }
      const slash = ref.indexOf('/');
      const colon = ref.lastIndexOf(':');
      if (slash < 0 || colon <= slash) continue;
      const digest = this.store.digestOfTag(ref.slice(slash + 1, colon), ref.slice(colon + 1));
      if (digest !== undefined) out.add(digest);
    }
    return out;
  }

  /**
   * Applies a repository's lifecycle policy now (after a push, and on the schedule): expired images
   * are deleted from the registry, then marked; images in use are kept. A registry that is down
   * expires nothing (tried again next time).
   */
  async applyLifecycle(repository: string): Promise<AppliedLifecycle> {
    if (this.store.repository(repository)?.lifecyclePolicy === undefined) return { expired: [], keptInUse: [], failed: [] };
    const registry = await this.ensure();
    const out = await applyLifecycle({ store: this.store, registry: registry.client, repository, inUse: this.inUseDigests(), nowMs: this.#clock.now() });
    for (const d of out.expired) {
      this.#o.events.append({ type: 'image.expired', subject: `image/${repository}`, data: { repository, digest: d.image.digest, tags: [...d.image.tags], rule: `rule ${d.rulePriority}: ${d.reason}` } });
    }
    for (const f of out.failed) this.#logger.warn('an image the lifecycle policy expires could not be deleted; tried again next time', { repository, digest: f.image.digest, error: f.error });
    return out;
  }

  /** Applies every repository's policy once; one repository's failure does not stop the others, and nothing throws. */
  async applyAllLifecycles(): Promise<void> {
    for (const repo of this.store.repositories()) {
      if (this.#closed) return;
      if (repo.lifecyclePolicy === undefined) continue;
      try {
        await this.applyLifecycle(repo.name);
      } catch (err) {
        this.#logger.warn('lifecycle policy not applied', { repository: repo.name, err });
      }
    }
  }

  /** Starts applying every lifecycle policy every `lifecycleIntervalMs` (one pass at a time; a pass never throws). */
  start(): void {
    const every = this.#o.lifecycleIntervalMs ?? 3_600_000;
    if (every <= 0 || this.#timer !== undefined) return;
    const tick = () => {
      this.#timer = setTimeout(() => {
        void this.applyAllLifecycles()
          .catch((err: unknown) => this.#logger.error('lifecycle pass failed', { err }))
          .finally(() => {
            if (!this.#closed) tick();
          });
      }, every);
      this.#timer.unref();
    };
    tick();
  }

  /** Stops the schedule; with `stopRegistry`, stops the registry process too (images then stop being pullable). */
  async close(options: { readonly stopRegistry?: boolean } = {}): Promise<void> {
    this.#closed = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    if (!options.stopRegistry) return;
    if (this.#handle !== undefined) return this.#handle.stop();
    // Adopted by an earlier control plane and not used since: still ours to stop.
    const info = readRegistryInfo(this.#o.stateDir);
    if (info !== undefined && isAlive(info.pid)) signalProcessGroup(info.pid, 'SIGTERM');
  }
}

function where(input: { readonly service?: string | undefined; readonly runId?: number | undefined }): { service?: string; runId?: number } {
  return { ...(input.service !== undefined ? { service: input.service } : {}), ...(input.runId !== undefined ? { runId: input.runId } : {}) };
}
