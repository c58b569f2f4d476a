import { SlipwayError, UnavailableError } from '../../../shared/index.js';

/** Manifest media types a pull accepts, so the registry answers with the digest it stored (OCI or Docker, single or list). */
export const MANIFEST_ACCEPT = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

/**
 * A client of the OCI distribution API (`/v2/…`) of one registry: what the lifecycle and the
 * control plane need — repositories, tags, the digest behind a tag, and deleting a manifest.
 * A registry that does not answer throws `SLW_ERR_IMAGES_REGISTRY_UNAVAILABLE` (retryable).
 */
export class RegistryClient {
  readonly #url: string;
  readonly #timeoutMs: number;

  /**
   * @param url the registry's base URL, e.g. `http://127.0.0.1:5000`
   * @param timeoutMs how long one request may take @default 5000
   */
  constructor(url: string, timeoutMs = 5000) {
    this.#url = url.replace(/\/+$/, '');
    this.#timeoutMs = timeoutMs;
  }

  /** The registry's base URL. */
  get url(): string {
    return this.#url;
  }

  /** `host:port`, as image references name the registry. */
  get host(): string {
    return new URL(this.#url).host;
  }

  /** Whether the registry answers the API's version check (`GET /v2/` → 200). */
  async ping(): Promise<boolean> {
    try {
      const r = await this.#fetch('/v2/', {});
      await r.body?.cancel();
      return r.status === 200;
    } catch {
      return false;
    }
  }

  /** Every repository (`GET /v2/_catalog`, all pages). */
  async repositories(): Promise<string[]> {
    const out: string[] = [];
    let next: string | undefined = '/v2/_catalog?n=1000';
    while (next !== undefined) {
      const r = await this.#fetch(next, {});
      const body = (await this.#json(r, 'list repositories')) as { repositories?: string[] | null };
      out.push(...(body.repositories ?? []));
      next = nextPage(r.headers.get('link'));
    }
    return out;
  }

  /** The tags of a repository; empty when it has none or does not exist. */
  async tags(repository: string): Promise<string[]> {
    const r = await this.#fetch(`/v2/${repository}/tags/list`, {});
    if (r.status === 404) {
      await r.body?.cancel();
      return [];
    }
    const body = (await this.#json(r, `list the tags of ${repository}`)) as { tags?: string[] | null };
    return body.tags ?? [];
  }

  /** The manifest digest a tag (or digest) names, or undefined when there is none. */
  async digestOf(repository: string, reference: string): Promise<string | undefined> {
    const r = await this.#fetch(`/v2/${repository}/manifests/${reference}`, { method: 'HEAD', headers: { accept: MANIFEST_ACCEPT } });
    if (r.status === 404) return undefined;
    if (r.status !== 200) throw new SlipwayError('SLW_ERR_IMAGES_REGISTRY_UNAVAILABLE', `the registry answered ${r.status} for ${repository}:${reference}`, { retryable: true });
    return r.headers.get('docker-content-digest') ?? undefined;
  }

  /** Deletes a manifest by digest (every tag on it goes with it). False when it was already gone. */
  async deleteManifest(repository: string, digest: string): Promise<boolean> {
    const r = await this.#fetch(`/v2/${repository}/manifests/${digest}`, { method: 'DELETE' });
    await r.body?.cancel();
    if (r.status === 202) return true;
    if (r.status === 404) return false;
    throw new SlipwayError('SLW_ERR_IMAGES_REGISTRY_UNAVAILABLE', `the registry refused to delete ${repository}@${digest} (${r.status}; is storage.delete enabled?)`, { retryable: r.status >= 500 });
  }

  async #fetch(pathAndQuery: string, init: RequestInit): Promise<Response> {
    try {
      return await fetch(`${this.#url}${pathAndQuery}`, { ...init, signal: AbortSignal.timeout(this.#timeoutMs) });
    } catch (err) {
      throw new UnavailableError('SLW_ERR_IMAGES_REGISTRY_UNAVAILABLE', `the registry at ${this.#url} does not answer: ${(err as Error).message}`);
    }
  }

  async #json(r: Response, what: string): Promise<unknown> {
    if (r.status !== 200) {
      await r.body?.cancel();
      throw new SlipwayError('SLW_ERR_IMAGES_REGISTRY_UNAVAILABLE', `could not ${what}: the registry answered ${r.status}`, { retryable: r.status >= 500 });
    }
    return r.json();
  }
}

/** The next page of a paginated answer, from its `Link: </v2/…>; rel="next"` header. */
function nextPage(link: string | null): string | undefined {
  const m = link === null ? null : /<([^>]+)>;\s*rel="next"/.exec(link);
  return m?.[1];
}
