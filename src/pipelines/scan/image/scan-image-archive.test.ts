import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exec } from '../../../core/index.js';
import { writeTarGz, type TarInputEntry } from '../../artifacts/tar/write-tar.js';
import { LayerScanCache, scanImageArchive } from './scan-image-archive.js';

const AKIA = ['AKIA', 'Q3EGRTWXK7PZ4M2N'].join('');
let dir: string;
beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-layers-'))));
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Writes a gzipped layer tar of `files` (path → content). */
async function layer(name: string, files: Record<string, string>): Promise<string> {
  const src = path.join(dir, `${name}-src`);
  const entries: TarInputEntry[] = Object.entries(files).map(([p, content]) => {
    fs.mkdirSync(path.dirname(path.join(src, p)), { recursive: true });
    fs.writeFileSync(path.join(src, p), content);
    return { type: 'file', path: p, sourcePath: path.join(src, p), mode: 0o644, size: Buffer.byteLength(content) };
  });
  await writeTarGz(entries, path.join(dir, `${name}.tar.gz`));
  return `${name}.tar.gz`;
}

describe('scanImageArchive', () => {
  it('folds layers in order: a whiteout removes a package, an opaque directory hides the ones below, a secret stays in its layer', async () => {
    // GIVEN a base layer with an OS database and two npm packages, and a top layer that deletes one, replaces a folder, and adds a key
    const base = await layer('base', {
      'var/lib/dpkg/status': 'Package: libc6\nStatus: install ok installed\nVersion: 2.36\n',
      'app/node_modules/a/package.json': '{"name":"a","version":"1.0.0"}',
      'app/node_modules/b/package.json': '{"name":"b","version":"1.0.0"}',
      'tools/node_modules/c/package.json': '{"name":"c","version":"1.0.0"}',
      'app/.env': `KEY=${AKIA}\n`,
    });
    const top = await layer('top', {
      'app/node_modules/.wh.a': '',
      'tools/.wh..wh..opq': '',
      'tools/node_modules/d/package.json': '{"name":"d","version":"2.0.0"}',
      'app/.wh..env': '',
    });
    fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ rootfs: { diff_ids: ['sha256:1', 'sha256:2'] }, history: [{ created_by: 'ADD base' }, { created_by: 'ENV X=1', empty_layer: true }, { created_by: 'COPY top' }] }));
    fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify([{ Config: 'config.json', Layers: [base, top] }]));
    const archive = path.join(dir, 'image.tar');
    expect((await exec('tar', ['-cf', archive, '-C', dir, top, 'config.json', base, 'manifest.json'])).code).toBe(0);
    // WHEN scanned
    const scan = await scanImageArchive(archive);
    // THEN layers are in manifest order with their history (empty layers skipped)
    expect(scan.layers).toEqual([{ index: 1, diffId: 'sha256:1', createdBy: 'ADD base' }, { index: 2, diffId: 'sha256:2', createdBy: 'COPY top' }]);
    // AND the key deleted by the top layer is still found in the base layer
    expect(scan.secrets.map((s) => [s.layer, s.file, s.rule])).toEqual([[1, 'app/.env', 'aws-access-key-id']]);
    // AND the final packages: a removed by its whiteout, c hidden by the opaque folder, d added
    expect(scan.packages.map((p) => p.name).sort()).toEqual(['b', 'd', 'libc6']);
  });

  it('refuses a file that is not an image archive', async () => {
    fs.writeFileSync(path.join(dir, 'x.txt'), 'hi');
    const archive = path.join(dir, 'not-image.tar');
    await exec('tar', ['-cf', archive, '-C', dir, 'x.txt']);
    await expect(scanImageArchive(archive)).rejects.toThrow(/is not an image archive: it has no manifest\.json/);
  });

  it('reads a layer it has scanned before from the cache, by the diff id the layer is named after, and only when the config confirms it', async () => {
    const hex = 'a'.repeat(64);
    /** An archive with one layer named `<hex>.tar` holding `files`, whose config lists `diffId`. */
    const archiveOf = async (name: string, files: Record<string, string>, diffId: string): Promise<string> => {
      const sub = path.join(dir, name);
      fs.mkdirSync(sub);
      const gz = await layer(name, files);
      fs.renameSync(path.join(dir, gz), path.join(sub, `${hex}.tar`));
      fs.writeFileSync(path.join(sub, 'config.json'), JSON.stringify({ rootfs: { diff_ids: [diffId] }, history: [{ created_by: 'COPY x' }] }));
      fs.writeFileSync(path.join(sub, 'manifest.json'), JSON.stringify([{ Config: 'config.json', Layers: [`${hex}.tar`] }]));
      const archive = path.join(dir, `${name}.tar`);
      expect((await exec('tar', ['-cf', archive, '-C', sub, `${hex}.tar`, 'config.json', 'manifest.json'])).code).toBe(0);
      return archive;
    };
    const cache = new LayerScanCache();
    // GIVEN a layer with a key, scanned once with the cache
    const first = await scanImageArchive(await archiveOf('first', { 'app/.env': `KEY=${AKIA}\n` }, `sha256:${hex}`), { layerCache: cache });
    expect(first.secrets.map((f) => f.file)).toEqual(['app/.env']);
    expect(cache.size).toBe(1);
    // WHEN an archive names a layer with the same diff id (so the same bytes), the layer is not read again:
    // here its body differs, which a real digest cannot, and the cached findings are what is reported
    const same = await archiveOf('same', { 'app/clean.txt': 'nothing here\n' }, `sha256:${hex}`);
    expect((await scanImageArchive(same, { layerCache: cache })).secrets.map((f) => f.file)).toEqual(['app/.env']);
    expect((await scanImageArchive(same)).secrets).toEqual([]);
    // AND a layer named like a digest its config does not confirm is read, not taken from the cache
    const misnamed = await archiveOf('misnamed', { 'app/clean.txt': 'nothing here\n' }, `sha256:${'b'.repeat(64)}`);
    expect((await scanImageArchive(misnamed, { layerCache: cache })).secrets).toEqual([]);
  });
});
