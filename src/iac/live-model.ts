import type { ResolvedApp, ResolvedEnvironment, ResolvedService } from '../shared/index.js';

/** The scope of the app-wide resources (topics, alarms, the pipeline, dashboards, flags). */
export const APP_SCOPE = 'app';

/** The scope of an environment's resources (the environment, its listener, its services). */
export const envScope = (environment: string): string => `env/${environment}`;

/** The scope a resource id belongs to. */
export function scopeOf(resourceId: string): string {
  const [type, env] = resourceId.split('/');
  return type === 'env' || type === 'service' || type === 'listener' || type === 'flag' ? envScope(env!) : APP_SCOPE;
}

/**
 * The model the control plane runs, composed from the applied model of each scope: each
 * environment as its own last applied commit defines it (its settings and the services it runs,
 * see `servicesIn`), and the app-wide parts from the last applied model of the app scope.
 *
 * Every component of the control plane holds {@link view}, one object whose fields always read
 * the current composition; an apply replaces a scope's model and the next read sees it. Nothing
 * restarts. Components that derive state from the model once (the alarm engine, the router's
 * listeners) are told through {@link onChange}.
 */
export class LiveModel {
  readonly #models = new Map<string, ResolvedApp>();
  #composed: ResolvedApp;
  readonly #listeners: ((scope: string) => void)[] = [];
  /** The live model as a `ResolvedApp`: read its fields at the moment of use, never copy them. */
  readonly view: ResolvedApp;

  constructor(initial: ReadonlyMap<string, ResolvedApp>) {
    for (const [scope, model] of initial) this.#models.set(scope, model);
    if (!this.#models.has(APP_SCOPE)) throw new Error('a live model needs the app scope');
    this.#composed = this.#compose();
    const current = (): ResolvedApp => this.#composed;
    this.view = {
      get name() {
        return current().name;
      },
      get services() {
        return current().services;
      },
      get environments() {
        return current().environments;
      },
      get pipeline() {
        return current().pipeline;
      },
      get alarms() {
        return current().alarms;
      },
      get notifications() {
        return current().notifications;
      },
      get flags() {
        return current().flags;
      },
      get flagsByEnvironment() {
        return current().flagsByEnvironment;
      },
      get segments() {
        return current().segments;
      },
      get experiments() {
        return current().experiments;
      },
      get artifacts() {
        return current().artifacts;
      },
      get dashboards() {
        return current().dashboards;
      },
      get telemetry() {
        return current().telemetry;
      },
      get oncall() {
        return current().oncall;
      },
    };
  }

  /** The model a scope runs, if it exists. */
  model(scope: string): ResolvedApp | undefined {
    return this.#models.get(scope);
  }

  /** The scopes that exist: `app` and one `env/<name>` per environment. */
  scopes(): string[] {
    return [...this.#models.keys()].sort();
  }

  /** The environments that run, by name. */
  environments(): string[] {
    return this.scopes()
      .filter((s) => s.startsWith('env/'))
      .map((s) => s.slice('env/'.length));
  }

  /** Makes a scope run a model (`undefined`: the scope goes away, an environment removed). */
  set(scope: string, model: ResolvedApp | undefined): void {
    if (model === undefined) {
      if (scope === APP_SCOPE) throw new Error('the app scope cannot be removed');
      this.#models.delete(scope);
    } else this.#models.set(scope, model);
    this.#composed = this.#compose();
    for (const l of this.#listeners) l(scope);
  }

  /** Calls `listener` after each change of a scope's model. */
  onChange(listener: (scope: string) => void): void {
    this.#listeners.push(listener);
  }

  #compose(): ResolvedApp {
    const app = this.#models.get(APP_SCOPE)!;
    const environments: Record<string, ResolvedEnvironment> = {};
    const services: Record<string, ResolvedService> = { ...app.services };
    for (const [scope, model] of this.#models) {
      if (scope === APP_SCOPE) continue;
      const name = scope.slice('env/'.length);
      const env = model.environments[name];
      if (env === undefined) continue;
      environments[name] = Object.freeze({ ...env, services: model.services });
      for (const [s, def] of Object.entries(model.services)) if (!Object.hasOwn(services, s)) services[s] = def;
    }
    // Environments in the order the app model declares them, then any the app scope no longer has.
    const order = [...Object.keys(app.environments).filter((e) => Object.hasOwn(environments, e)), ...Object.keys(environments).filter((e) => !Object.hasOwn(app.environments, e))];
    return Object.freeze({ ...app, services: Object.freeze(services), environments: Object.freeze(Object.fromEntries(order.map((e) => [e, environments[e]!]))) });
  }
}
