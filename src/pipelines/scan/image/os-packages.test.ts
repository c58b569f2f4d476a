import { describe, expect, it } from 'vitest';
import { cycloneDx, purlOf } from './cyclonedx.js';
import { npmPackageAt, parseApkInstalled, parseDpkgStatus } from './os-packages.js';

describe('image package databases', () => {
  it('reads installed packages from a dpkg status file, not removed ones', () => {
    const status = [
      'Package: libc6\nStatus: install ok installed\nArchitecture: amd64\nVersion: 2.36-9+deb12u7\nDescription: GNU C Library\n multi-line description',
      'Package: nodejs\nStatus: install ok installed\nArchitecture: amd64\nVersion: 18.19.0+dfsg-6~deb12u2',
      'Package: oldlib\nStatus: deinstall ok config-files\nVersion: 1.0',
    ].join('\n\n');
    expect(parseDpkgStatus(status)).toEqual([
      { type: 'deb', name: 'libc6', version: '2.36-9+deb12u7', arch: 'amd64', path: 'var/lib/dpkg/status' },
      { type: 'deb', name: 'nodejs', version: '18.19.0+dfsg-6~deb12u2', arch: 'amd64', path: 'var/lib/dpkg/status' },
    ]);
  });

  it('reads an apk database and npm manifests inside node_modules only', () => {
    expect(parseApkInstalled('C:Q1abc=\nP:musl\nV:1.2.4-r2\nA:x86_64\n\nP:busybox\nV:1.36.1-r5\n')).toEqual([
      { type: 'apk', name: 'musl', version: '1.2.4-r2', arch: 'x86_64', path: 'lib/apk/db/installed' },
      { type: 'apk', name: 'busybox', version: '1.36.1-r5', path: 'lib/apk/db/installed' },
    ]);
    const json = (o: unknown) => Buffer.from(JSON.stringify(o));
    expect(npmPackageAt('app/node_modules/@scope/x/package.json', json({ name: '@scope/x', version: '2.0.0' }))).toEqual({ type: 'npm', name: '@scope/x', version: '2.0.0', path: 'app/node_modules/@scope/x/package.json' });
    expect(npmPackageAt('app/package.json', json({ name: 'app', version: '1.0.0' }))).toBeUndefined();
    expect(npmPackageAt('app/node_modules/x/lib/package.json', json({ version: '1.0.0' }))).toBeUndefined();
    expect(npmPackageAt('app/node_modules/broken/package.json', Buffer.from('{'))).toBeUndefined();
  });

  it('names packages by purl and writes a CycloneDX 1.5 SBOM, one component per package', () => {
    expect(purlOf({ type: 'deb', name: 'libc6', version: '2.36-9+deb12u7', arch: 'amd64', path: '' })).toBe('pkg:deb/debian/libc6@2.36-9%2Bdeb12u7?arch=amd64');
    expect(purlOf({ type: 'npm', name: '@scope/x', version: '2.0.0', path: '' })).toBe('pkg:npm/%40scope/x@2.0.0');
    const bom = cycloneDx({ name: 'shop/web', digest: 'sha256:abc' }, [
      { type: 'npm', name: 'left-pad', version: '1.3.0', path: 'a/node_modules/left-pad/package.json' },
      { type: 'npm', name: 'left-pad', version: '1.3.0', path: 'b/node_modules/left-pad/package.json' },
    ], Date.UTC(2026, 11, 4));
    expect(bom).toMatchObject({ bomFormat: 'CycloneDX', specVersion: '1.5', metadata: { timestamp: '2026-12-04T00:00:00.000Z', component: { type: 'container', name: 'shop/web', version: 'sha256:abc' } } });
    expect(bom.serialNumber).toMatch(/^urn:uuid:[0-9a-f-]{36}$/);
    expect(bom.components).toEqual([{ type: 'library', name: 'left-pad', version: '1.3.0', purl: 'pkg:npm/left-pad@1.3.0', 'bom-ref': 'pkg:npm/left-pad@1.3.0', properties: [{ name: 'slipway:path', value: 'a/node_modules/left-pad/package.json' }] }]);
  });
});
