import crypto from 'node:crypto';
import { ConflictError, type ResolvedService } from '../shared/index.js';

/** Secret name → the version a revision's tasks get (`{ PAYMENT_API_KEY: 3 }`): names and versions, never values. */
export type SecretPins = Readonly<Record<string, number>>;

/**
 * Where the current version of a secret is read: the control plane fills it from its secret
 * store. Deployments and revisions pin versions, never read values.
 */
export interface SecretVersions {
  /** The current version of a secret, or undefined when it is not set. */
  currentVersion(name: string): number | undefined;
}

/**
 * The current version of each secret a service declares. A secret that is not set is refused
 * (`SLW_ERR_DEPLOY_SECRET_NOT_SET`), naming it and how to set it: a task without it would not run
 * as its definition says.
 */
export function pinSecrets(svc: Pick<ResolvedService, 'name' | 'secrets'>, environment: string, versions: SecretVersions | undefined): SecretPins {
  const pins: Record<string, number> = {};
  const missing: string[] = [];
  for (const name of svc.secrets) {
    const version = versions?.currentVersion(name);
    if (version === undefined) missing.push(name);
    else pins[name] = version;
  }
  if (missing.length > 0) {
    const list = missing.join(', ');
    const how = missing.map((n) => `\`slipway secrets set ${n}\``).join(', ');
    throw new ConflictError(
      'SLW_ERR_DEPLOY_SECRET_NOT_SET',
      `service ${svc.name} (in ${environment}) declares secret${missing.length > 1 ? 's' : ''} ${list}, which ${missing.length > 1 ? 'are' : 'is'} not set; set ${missing.length > 1 ? 'them' : 'it'} with ${how} (the value is read from stdin)`,
    );
  }
  return pins;
}

/** Whether two pin sets name the same versions of the same secrets. */
export function samePins(a: SecretPins, b: SecretPins): boolean {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => a[k] === b[k]);
}

// `<code revision>.s<8 hex>`: the suffix a revision gets when it runs the same code with other secret versions.
const PINS_SUFFIX = /\.s[0-9a-f]{8}$/;

/** The code revision of a revision id: without the secret-versions suffix a rotation added. */
export function baseRevision(revision: string): string {
  return revision.replace(PINS_SUFFIX, '');
}

/**
 * The revision id of the code revision `revision` run with `pins`, when `revision` already names
 * a revision of the service running other versions (a rotation): `<code revision>.s<hash of the
 * pins>`. The same code with the same versions always gets the same id.
 */
export function revisionWithPins(revision: string, pins: SecretPins): string {
  const canonical = Object.keys(pins)
    .sort()
    .map((k) => `${k}@${pins[k]}`)
    .join(',');
  return `${baseRevision(revision)}.s${crypto.createHash('sha256').update(canonical).digest('hex').slice(0, 8)}`;
}
