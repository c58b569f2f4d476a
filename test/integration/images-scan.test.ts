import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildImage, runEngine, saveImage, type CompiledEngine } from '../../src/images/index.js';
import { scanImageArchive } from '../../src/pipelines/index.js';
import { containerEngineOrSkip } from '../support/container-engine.js';

// Planted values are assembled at run time so this file itself holds no secret-shaped strings.
const AKIA = ['AKIA', 'Q3EGRTWXK7PZ4M2N'].join('');

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-image-scan-'));
const tag = `localhost/slipway-test/scan:${process.pid}`;
let engine: CompiledEngine | undefined;

beforeAll(async () => {
  engine = await containerEngineOrSkip('images-scan');
}, 120_000);

afterAll(async () => {
  if (engine) await runEngine(engine, ['rmi', '-f', tag]);
  fs.rmSync(dir, { recursive: true, force: true });
});

function write(rel: string, content: string): void {
  fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
  fs.writeFileSync(path.join(dir, rel), content);
}

describe('scanning an image', () => {
  it('finds a key planted in a layer, naming the layer and file, and lists the final packages', async (t) => {
    if (!engine) return t.skip();
    // GIVEN an image: an OS package database, an app with npm packages, then a layer with a key
    write('rootfs/var/lib/dpkg/status', 'Package: libc6\nStatus: install ok installed\nArchitecture: amd64\nVersion: 2.36-9+deb12u7\n\nPackage: nodejs\nStatus: install ok installed\nArchitecture: amd64\nVersion: 18.19.0+dfsg-6~deb12u2\n');
    write('app/package.json', JSON.stringify({ name: 'web', version: '1.0.0' }));
    write('app/package-lock.json', JSON.stringify({ name: 'web', lockfileVersion: 3, packages: {} }));
    write('app/node_modules/left-pad/package.json', JSON.stringify({ name: 'left-pad', version: '1.3.0' }));
    write('app/node_modules/@scope/x/package.json', JSON.stringify({ name: '@scope/x', version: '2.0.0' }));
    write('secrets/aws.env', `AWS_ACCESS_KEY_ID=${AKIA}\n`);
    write('Dockerfile', 'FROM scratch\nCOPY rootfs/ /\nCOPY app/ /app/\nCOPY secrets/aws.env /app/aws.env\n');
    await buildImage(engine, { contextDir: dir, tags: [tag] });
    const archive = path.join(dir, 'image.tar');
    await saveImage(engine, tag, archive);
    // WHEN it is scanned
    const scan = await scanImageArchive(archive);
    // THEN it has three layers from the base up, each with the instruction that made it
    expect(scan.layers.map((l) => l.index)).toEqual([1, 2, 3]);
    expect(scan.layers.every((l) => /^sha256:[0-9a-f]{64}$/.test(l.diffId))).toBe(true);
    expect(scan.layers[2]!.createdBy).toMatch(/COPY/);
    // AND the planted key is found in layer 3, file app/aws.env, redacted
    expect(scan.secrets).toEqual([expect.objectContaining({ layer: 3, file: 'app/aws.env', line: 1, rule: 'aws-access-key-id', excerpt: 'AWS_ACCESS_KEY_ID=AKIA********' })]);
    // AND the OS packages, the npm packages and the lockfile of the final file system
    expect(scan.packages.map((p) => `${p.type}:${p.name}@${p.version}`).sort()).toEqual(['deb:libc6@2.36-9+deb12u7', 'deb:nodejs@18.19.0+dfsg-6~deb12u2', 'npm:@scope/x@2.0.0', 'npm:left-pad@1.3.0']);
    expect(scan.lockfiles).toEqual(['app/package-lock.json']);
  }, 120_000);
});
