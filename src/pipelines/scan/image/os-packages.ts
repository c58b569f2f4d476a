/** A package of the image's operating system or of its npm dependencies. */
export interface ImagePackage {
  /** `deb`, `apk` or `npm`, as in a package URL. */
  readonly type: 'deb' | 'apk' | 'npm';
  readonly name: string;
  readonly version: string;
  /** The architecture of an OS package, when recorded. */
  readonly arch?: string;
  /** Where it was found in the image (the database file, or the package's `package.json`). */
  readonly path: string;
}

/** The installed packages of a dpkg database (`var/lib/dpkg/status`): stanzas whose Status is `install ok installed`. */
export function parseDpkgStatus(text: string, file = 'var/lib/dpkg/status'): ImagePackage[] {
  const out: ImagePackage[] = [];
  for (const stanza of text.split(/\n\s*\n/)) {
    const fields = new Map<string, string>();
    for (const line of stanza.split('\n')) {
      const m = /^([A-Za-z][\w-]*):\s?(.*)$/.exec(line);
      if (m) fields.set(m[1]!.toLowerCase(), m[2]!.trim());
    }
    const name = fields.get('package');
    const version = fields.get('version');
    if (name === undefined || version === undefined || !(fields.get('status') ?? '').endsWith(' installed')) continue;
    const arch = fields.get('architecture');
    out.push({ type: 'deb', name, version, ...(arch !== undefined ? { arch } : {}), path: file });
  }
  return out;
}

/** The installed packages of an Alpine database (`lib/apk/db/installed`): `P:` name, `V:` version, `A:` arch per stanza. */
export function parseApkInstalled(text: string, file = 'lib/apk/db/installed'): ImagePackage[] {
  const out: ImagePackage[] = [];
  for (const stanza of text.split(/\n\s*\n/)) {
    const f = new Map(stanza.split('\n').filter((l) => /^[A-Za-z]:/.test(l)).map((l) => [l[0]!, l.slice(2).trim()] as const));
    const name = f.get('P');
    const version = f.get('V');
    if (name === undefined || version === undefined) continue;
    const arch = f.get('A');
    out.push({ type: 'apk', name, version, ...(arch !== undefined ? { arch } : {}), path: file });
  }
  return out;
}

/** Matches the `package.json` of an installed npm package: `…/node_modules/<name>/package.json` or `…/node_modules/@scope/<name>/package.json`. */
const NPM_MANIFEST = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/@][^/]*)\/package\.json$/;

/** The npm package a `package.json` in `node_modules` declares, or undefined for any other file or an unreadable one. */
export function npmPackageAt(file: string, content: Buffer): ImagePackage | undefined {
  const m = NPM_MANIFEST.exec(file);
  if (!m) return undefined;
  try {
    const pkg = JSON.parse(content.toString('utf8')) as { name?: unknown; version?: unknown };
    if (typeof pkg.version !== 'string') return undefined;
    return { type: 'npm', name: typeof pkg.name === 'string' ? pkg.name : m[1]!, version: pkg.version, path: file };
  } catch {
    return undefined;
  }
}
