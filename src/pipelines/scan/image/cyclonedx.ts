import { randomUUID } from 'node:crypto';
import type { ImagePackage } from './os-packages.js';

/** A CycloneDX 1.5 bill of materials, as JSON (the subset slipway writes). */
export interface CycloneDxBom {
  readonly bomFormat: 'CycloneDX';
  readonly specVersion: '1.5';
  readonly serialNumber: string;
  readonly version: 1;
  readonly metadata: {
    readonly timestamp: string;
    readonly tools: { readonly components: readonly { readonly type: 'application'; readonly name: string }[] };
    readonly component: { readonly type: 'container'; readonly name: string; readonly version: string; readonly 'bom-ref': string };
  };
  readonly components: readonly {
    readonly type: 'library' | 'operating-system';
    readonly name: string;
    readonly version: string;
    readonly purl: string;
    readonly 'bom-ref': string;
    readonly properties: readonly { readonly name: string; readonly value: string }[];
  }[];
}

/** The package URL of a package (purl spec): `pkg:deb/debian/curl@7.88.1-10?arch=amd64`, `pkg:npm/%40scope/name@1.0.0`. */
export function purlOf(p: ImagePackage, distro = 'debian'): string {
  const arch = p.arch === undefined ? '' : `?arch=${encodeURIComponent(p.arch)}`;
  if (p.type === 'npm') {
    const [scope, name] = p.name.startsWith('@') ? p.name.split('/') : [undefined, p.name];
    return `pkg:npm/${scope === undefined ? '' : `${encodeURIComponent(scope)}/`}${encodeURIComponent(name ?? '')}@${encodeURIComponent(p.version)}`;
  }
  return `pkg:${p.type}/${p.type === 'apk' ? 'alpine' : distro}/${encodeURIComponent(p.name)}@${encodeURIComponent(p.version)}${arch}`;
}

/**
 * A CycloneDX 1.5 JSON SBOM of an image: one component per package (OS packages from the dpkg or
 * apk database, npm packages from `node_modules`), each with its purl and where it was found.
 */
export function cycloneDx(image: { readonly name: string; readonly digest: string }, packages: readonly ImagePackage[], nowMs: number): CycloneDxBom {
  const seen = new Set<string>();
  const components = [];
  for (const p of packages) {
    const purl = purlOf(p);
    if (seen.has(purl)) continue;
    seen.add(purl);
    components.push({ type: 'library' as const, name: p.name, version: p.version, purl, 'bom-ref': purl, properties: [{ name: 'slipway:path', value: p.path }] });
  }
  return {
    bomFormat: 'CycloneDX',
    specVersion: '1.5',
    serialNumber: `urn:uuid:${randomUUID()}`,
    version: 1,
    metadata: {
      timestamp: new Date(nowMs).toISOString(),
      tools: { components: [{ type: 'application', name: 'slipway' }] },
      component: { type: 'container', name: image.name, version: image.digest, 'bom-ref': `${image.name}@${image.digest}` },
    },
    components,
  };
}
