/** One `${...}` reference found in an env value. */
export type EnvReference = { ok: true; service: string } | { ok: false; text: string };

const PLACEHOLDER = /\$\{([^}]*)\}/g;
const SERVICE_URL = /^services\.([^.\s]+)\.url$/;

/**
 * Finds the `${...}` placeholders of an env value. The only form is `${services.<name>.url}`;
 * any other is returned as not ok so that it can be reported.
 */
export function envReferences(value: string): EnvReference[] {
  const refs: EnvReference[] = [];
  for (const m of value.matchAll(PLACEHOLDER)) {
    const service = SERVICE_URL.exec(m[1]!.trim())?.[1];
    refs.push(service === undefined ? { ok: false, text: m[0] } : { ok: true, service });
  }
  return refs;
}

/** Replaces each `${services.<name>.url}` of an env value with `urlOf(name)`. */
export function interpolateEnv(value: string, urlOf: (service: string) => string): string {
  return value.replace(PLACEHOLDER, (whole, inner: string) => {
    const service = SERVICE_URL.exec(inner.trim())?.[1];
    return service === undefined ? whole : urlOf(service);
  });
}
