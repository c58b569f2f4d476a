import type { EvaluationContext as OpenFeatureContext, JsonValue, Provider, ProviderMetadata, ResolutionDetails } from '@openfeature/server-sdk';
import { evaluateStoredFlag } from '../evaluate-stored.js';
import type { EvaluationContext } from '../model.js';
import { FLAG_IMPRESSIONS_PATH, FLAG_SNAPSHOT_PATH, type FlagSnapshot } from '../ofrep/routes.js';
import type { StoredFlag } from '../store/model.js';
import { recordEvaluationOnSpan } from './record-on-span.js';

/** Options of {@link SlipwayProvider}. */
export interface SlipwayProviderOptions {
  /** The control plane's base URL (what OFREP providers take as `baseUrl`). @default process.env.SLIPWAY_FLAGS_URL */
  readonly url?: string;
  /** The task's read-only flag token. @default process.env.SLIPWAY_FLAGS_TOKEN */
  readonly token?: string;
  /** How long each long poll for a changed snapshot is held by the server, ms (at most 30 000). @default 25000 */
  readonly waitMs?: number;
  /** How often the evaluations made are reported as impressions, ms. @default 10000 */
  readonly impressionIntervalMs?: number;
  /** Told of failures in the background (a poll or a report that failed); evaluation goes on with the last snapshot. @default ignore */
  readonly onError?: (err: unknown) => void;
  /** The fetch to use (tests). @default globalThis.fetch */
  readonly fetch?: typeof fetch;
}

type FlagType = 'boolean' | 'string' | 'number' | 'object';

/**
 * An OpenFeature provider for Node that evaluates slipway's flags in process: it holds the
 * environment's snapshot (`GET /flags/v1/snapshot`, kept current by a long poll that answers as
 * soon as a flag changes), evaluates with the same code and the same bucketing as the control
 * plane's OFREP endpoint — so a service gets the same variant whichever it uses — and makes no
 * network call per evaluation. Evaluations are counted and reported as impressions every
 * `impressionIntervalMs`. A poll that fails keeps the last snapshot and retries with back-off;
 * an unknown flag is `FLAG_NOT_FOUND` with the caller's default, never an exception.
 *
 * ```ts
 * import { OpenFeature } from '@openfeature/server-sdk';
 * import { SlipwayProvider } from 'slipway/openfeature';
 * await OpenFeature.setProviderAndWait(new SlipwayProvider());
 * const on = await OpenFeature.getClient().getBooleanValue('newCheckout', false, { targetingKey: userId });
 * ```
 */
export class SlipwayProvider implements Provider {
  /** The provider's name, as OpenFeature reports it. */
  readonly metadata: ProviderMetadata = { name: 'slipway' };
  /** A server-side provider. */
  readonly runsOn = 'server' as const;
  readonly #url: string;
  readonly #token: string;
  readonly #o: SlipwayProviderOptions;
  readonly #fetch: typeof fetch;
  #environment = '';
  #flags = new Map<string, StoredFlag>();
  #etag: string | undefined;
  #closed = false;
  #abort = new AbortController();
  #poll: Promise<void> | undefined;
  #timer: ReturnType<typeof setInterval> | undefined;
  readonly #counts = new Map<string, { flag: string; variant: string; reason: string; count: number }>();

  /** @throws Error when no URL or token is given or found in the environment */
  constructor(options: SlipwayProviderOptions = {}) {
    const url = options.url ?? process.env.SLIPWAY_FLAGS_URL;
    const token = options.token ?? process.env.SLIPWAY_FLAGS_TOKEN;
    if (url === undefined || url === '') throw new Error('SlipwayProvider: no url (set SLIPWAY_FLAGS_URL, which slipway gives every task)');
    if (token === undefined || token === '') throw new Error('SlipwayProvider: no token (set SLIPWAY_FLAGS_TOKEN, which slipway gives every task)');
    this.#url = url.replace(/\/+$/, '');
    this.#token = token;
    this.#o = options;
    this.#fetch = options.fetch ?? globalThis.fetch;
  }

  /** The environment the snapshot is of ('' before the first one). */
  get environment(): string {
    return this.#environment;
  }

  /** The flags of the snapshot held now. */
  get flags(): readonly StoredFlag[] {
    return [...this.#flags.values()];
  }

  /** Reads the first snapshot (OpenFeature waits for it), then keeps it current in the background. */
  async initialize(): Promise<void> {
    if (!(await this.#read(0))) throw new Error('SlipwayProvider: the first snapshot was not served');
    this.#poll = this.#loop();
    this.#timer = setInterval(() => void this.flushImpressions().catch((err: unknown) => this.#o.onError?.(err)), this.#o.impressionIntervalMs ?? 10_000);
    this.#timer.unref();
  }

  /** Stops polling and reports the evaluations not reported yet. */
  async onClose(): Promise<void> {
    this.#closed = true;
    this.#abort.abort();
    clearInterval(this.#timer);
    await this.#poll;
    await this.flushImpressions().catch((err: unknown) => this.#o.onError?.(err));
  }

  /** OpenFeature's boolean resolution. */
  resolveBooleanEvaluation(flagKey: string, defaultValue: boolean, context: OpenFeatureContext): Promise<ResolutionDetails<boolean>> {
    return Promise.resolve(this.evaluate(flagKey, defaultValue, context, 'boolean'));
  }

  /** OpenFeature's string resolution. */
  resolveStringEvaluation(flagKey: string, defaultValue: string, context: OpenFeatureContext): Promise<ResolutionDetails<string>> {
    return Promise.resolve(this.evaluate(flagKey, defaultValue, context, 'string'));
  }

  /** OpenFeature's number resolution. */
  resolveNumberEvaluation(flagKey: string, defaultValue: number, context: OpenFeatureContext): Promise<ResolutionDetails<number>> {
    return Promise.resolve(this.evaluate(flagKey, defaultValue, context, 'number'));
  }

  /** OpenFeature's object (JSON) resolution. */
  resolveObjectEvaluation<T extends JsonValue>(flagKey: string, defaultValue: T, context: OpenFeatureContext): Promise<ResolutionDetails<T>> {
    return Promise.resolve(this.evaluate(flagKey, defaultValue, context, 'object'));
  }

  /**
   * Evaluates a flag synchronously against the snapshot held: the value and its variant and
   * reason, or the caller's default with OpenFeature's error code (`FLAG_NOT_FOUND`,
   * `TYPE_MISMATCH`, `TARGETING_KEY_MISSING`…). Counted as an impression, and recorded on the
   * active OpenTelemetry span (flag key and variant) so that experiments attribute the request.
   */
  evaluate<T>(flagKey: string, defaultValue: T, context: OpenFeatureContext, type: FlagType = typeOf(defaultValue)): ResolutionDetails<T> {
    const stored = this.#flags.get(flagKey);
    const result = evaluateStoredFlag(this.#environment, flagKey, stored, context as EvaluationContext);
    if (!result.ok) {
      if (stored !== undefined) this.#count(flagKey, '', 'ERROR');
      return { value: defaultValue, reason: 'ERROR', errorCode: result.errorCode as ResolutionDetails<T>['errorCode'], errorMessage: result.errorDetails };
    }
    if (typeOf(result.value) !== type) {
      this.#count(flagKey, '', 'ERROR');
      return { value: defaultValue, reason: 'ERROR', errorCode: 'TYPE_MISMATCH' as ResolutionDetails<T>['errorCode'], errorMessage: `flag ${JSON.stringify(flagKey)} is ${typeOf(result.value)}, asked for ${type}` };
    }
    this.#count(flagKey, result.variant, result.reason);
    recordEvaluationOnSpan(flagKey, result.variant, result.value);
    return { value: result.value as T, variant: result.variant, reason: result.reason, flagMetadata: { version: stored!.version, environment: this.#environment } };
  }

  /** Reports the evaluations counted since the last report (`POST /flags/v1/impressions`). */
  async flushImpressions(): Promise<void> {
    if (this.#counts.size === 0) return;
    const impressions = [...this.#counts.values()];
    this.#counts.clear();
    const res = await this.#fetch(`${this.#url}${FLAG_IMPRESSIONS_PATH}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${this.#token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ impressions }),
    });
    await res.body?.cancel();
    if (!res.ok) throw new Error(`SlipwayProvider: impressions refused: HTTP ${res.status}`);
  }

  #count(flag: string, variant: string, reason: string): void {
    const id = `${flag}\u0000${variant}\u0000${reason}`;
    const entry = this.#counts.get(id);
    if (entry === undefined) this.#counts.set(id, { flag, variant, reason, count: 1 });
    else entry.count += 1;
  }

  /** Reads the snapshot if it changed (holding the request up to `waitMs`); whether one is held. */
  async #read(waitMs: number): Promise<boolean> {
    const headers: Record<string, string> = { authorization: `Bearer ${this.#token}` };
    if (this.#etag !== undefined) headers['if-none-match'] = this.#etag;
    const res = await this.#fetch(`${this.#url}${FLAG_SNAPSHOT_PATH}?waitMs=${waitMs}`, { headers, signal: this.#abort.signal });
    if (res.status === 304) {
      await res.body?.cancel();
      return true;
    }
    if (!res.ok) {
      await res.body?.cancel();
      throw new Error(`SlipwayProvider: snapshot refused: HTTP ${res.status}`);
    }
    const body = (await res.json()) as FlagSnapshot;
    this.#environment = body.environment;
    this.#flags = new Map(body.flags.map((f) => [f.flag.key, f]));
    this.#etag = res.headers.get('etag') ?? undefined;
    return true;
  }

  async #loop(): Promise<void> {
    let backoffMs = 500;
    while (!this.#closed) {
      try {
        await this.#read(this.#o.waitMs ?? 25_000);
        backoffMs = 500;
      } catch (err) {
        if (this.#closed) return;
        this.#o.onError?.(err);
        await new Promise((resolve) => setTimeout(resolve, backoffMs).unref());
        backoffMs = Math.min(backoffMs * 2, 30_000);
      }
    }
  }
}

function typeOf(value: unknown): FlagType {
  const t = typeof value;
  return t === 'boolean' || t === 'string' || t === 'number' ? t : 'object';
}
