import fs from 'node:fs';
import path from 'node:path';

/** A Debian package source the host's apt uses. */
export interface AptSource {
  readonly uri: string;
  readonly suites: readonly string[];
  readonly components: readonly string[];
}

/**
 * The apt sources of a `sources.list` (one-line `deb URI SUITE COMPONENTS…`) or deb822 `.sources`
 * text. `deb-src` entries, options in brackets and comments are skipped.
 */
export function parseAptSources(text: string): AptSource[] {
  const out: AptSource[] = [];
  // deb822: stanzas separated by blank lines, fields `Types:`, `URIs:`, `Suites:`, `Components:`.
  if (/^\s*URIs\s*:/im.test(text)) {
    for (const stanza of text.split(/\n\s*\n/)) {
      const field = (name: string) => new RegExp(`^${name}\\s*:\\s*(.+)$`, 'im').exec(stanza)?.[1]?.trim().split(/\s+/) ?? [];
      if (!field('Types').includes('deb')) continue;
      for (const uri of field('URIs')) out.push({ uri, suites: field('Suites'), components: field('Components') });
    }
    return out;
  }
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*/, '').replace(/\[[^\]]*\]/, ' ').trim();
    const [type, uri, suite, ...components] = line.split(/\s+/);
    if (type === 'deb' && uri && suite) out.push({ uri, suites: [suite], components });
  }
  return out;
}

/** The host's apt sources, from /etc/apt/sources.list and /etc/apt/sources.list.d. */
export function readHostAptSources(root = '/etc/apt'): AptSource[] {
  const files = [path.join(root, 'sources.list')];
  try {
    for (const f of fs.readdirSync(path.join(root, 'sources.list.d')).sort()) files.push(path.join(root, 'sources.list.d', f));
  } catch {
    // no sources.list.d
  }
  return files.flatMap((f) => {
    if (!/\.(list|sources)$/.test(f)) return [];
    try {
      return parseAptSources(fs.readFileSync(f, 'utf8'));
    } catch {
      return [];
    }
  });
}

/** The first source that serves `suite` with the `main` component: the mirror the base image is built from. */
export function findMirror(sources: readonly AptSource[], suite: string): string | undefined {
  return sources.find((s) => s.suites.includes(suite) && s.components.includes('main'))?.uri;
}
