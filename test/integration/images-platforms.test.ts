import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildImage, emulatedPlatforms, hostPlatform, runEngine, type CompiledEngine } from '../../src/images/index.js';
import { silentLogger } from '../../src/core/index.js';
import { localContainerImages } from '../../src/server/container-images.js';
import { resolveApp, SlipwayError } from '../../src/shared/index.js';
import { containerEngineOrSkip } from '../support/container-engine.js';

let engine: CompiledEngine | undefined;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-platforms-'));
const tag = `localhost/slipway-test/platforms:${process.pid}`;
const host = hostPlatform();
const foreign = host === 'linux/amd64' ? 'linux/arm64' : 'linux/amd64';

beforeAll(async () => {
  engine = await containerEngineOrSkip('images-platforms');
  fs.writeFileSync(path.join(dir, 'index.html'), 'hello from every platform\n');
  fs.writeFileSync(path.join(dir, 'Dockerfile'), 'FROM scratch\nCOPY index.html /srv/index.html\n');
  fs.writeFileSync(path.join(dir, 'Run.dockerfile'), 'FROM scratch\nCOPY index.html /srv/index.html\nRUN ["/srv/nothing"]\n');
}, 120_000);

afterAll(async () => {
  if (engine) {
    await runEngine(engine, ['manifest', 'rm', `${tag}-list`]);
    await runEngine(engine, ['rmi', '-f', `${tag}-host`, `${tag}-list`]);
    const left = await runEngine(engine, ['images', '-q', '--filter', `label=io.slipway.test=${process.pid}`]);
    const ids = [...new Set(left.stdout.split('\n').filter((l) => l.trim() !== ''))];
    if (ids.length > 0) await runEngine(engine, ['rmi', '-f', ...ids]);
  }
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('images for several platforms', () => {
  it('builds for the host as before when only the host is asked', async (t) => {
    if (!engine) return t.skip();
    // GIVEN platforms: [host] WHEN built THEN one image of the host's architecture, no manifest list
    const built = await buildImage(engine, { contextDir: dir, tags: [`${tag}-host`], platforms: [host], labels: { 'io.slipway.test': String(process.pid) } });
    expect(built.platforms).toBeUndefined();
    const arch = await runEngine(engine, ['image', 'inspect', '--format', '{{.Os}}/{{.Architecture}}', `${tag}-host`]);
    expect(arch.stdout.trim()).toBe(host);
    expect((await runEngine(engine, ['manifest', 'exists', `${tag}-host`])).code).not.toBe(0);
  }, 60_000);

  it('assembles a manifest list of one image per platform, and a rebuild replaces it', async (t) => {
    if (!engine) return t.skip();
    if (engine.kind !== 'podman') {
      process.stderr.write('SKIPPED images-platforms manifest list: docker assembles multi-platform images only through buildx and a registry.\n');
      return t.skip();
    }
    // GIVEN a Dockerfile without RUN (no emulation needed), first built for the host alone under the tag
    const input = { contextDir: dir, tags: [`${tag}-list`], platforms: [host, foreign], labels: { 'io.slipway.test': String(process.pid) } };
    await buildImage(engine, { ...input, platforms: [host] });
    // WHEN built for the host and a foreign platform, twice
    await buildImage(engine, input);
    const built = await buildImage(engine, input);
    // THEN the tag is a manifest list with exactly one image of each platform, and imageId is the host's
    expect(built.platforms?.map((p) => p.platform)).toEqual([host, foreign]);
    const list = JSON.parse((await runEngine(engine, ['manifest', 'inspect', `${tag}-list`])).stdout) as { manifests: { digest: string; platform: { os: string; architecture: string } }[] };
    expect(list.manifests.map((m) => `${m.platform.os}/${m.platform.architecture}`).sort()).toEqual([host, foreign].sort());
    for (const p of built.platforms!) {
      const arch = await runEngine(engine, ['image', 'inspect', '--format', '{{.Os}}/{{.Architecture}}', p.imageId]);
      expect(arch.stdout.trim()).toBe(p.platform);
    }
    expect(built.imageId).toBe(built.platforms!.find((p) => p.platform === host)!.imageId);

    // WHEN the tag is built for the host alone again THEN it is a plain image, and no nameless list is left
    // behind (podman cannot list any image while a list without a name and without the host's platform exists)
    await buildImage(engine, { ...input, platforms: [host] });
    expect((await runEngine(engine, ['manifest', 'exists', `${tag}-list`])).code).not.toBe(0);
    const listed = await runEngine(engine, ['images', '-a', '--format', '{{.ID}}']);
    expect(listed.code, listed.stderr).toBe(0);
  }, 120_000);

  it('says which platform cannot be built here and how to enable it, before building anything', async (t) => {
    if (!engine) return t.skip();
    if (emulatedPlatforms().includes(foreign)) {
      process.stderr.write(`SKIPPED images-platforms unavailable platform: this machine emulates ${foreign}.\n`);
      return t.skip();
    }
    // GIVEN a Dockerfile with a RUN step and no emulator for the foreign platform WHEN built for host and foreign
    const lines: string[] = [];
    const err = await buildImage(engine, { contextDir: dir, dockerfile: 'Run.dockerfile', tags: [`${tag}-never`], platforms: [host, foreign], onLine: (l) => lines.push(l) }).catch((e: unknown) => e);
    // THEN the error names the platform and qemu-user-static, and the engine was never asked to build
    expect(err).toBeInstanceOf(SlipwayError);
    expect((err as SlipwayError).code).toBe('SLW_ERR_IMAGES_PLATFORM_UNAVAILABLE');
    expect((err as SlipwayError).message).toContain(`cannot build Run.dockerfile for ${foreign}`);
    expect((err as SlipwayError).message).toContain('qemu-user-static');
    expect(lines).toEqual([]);
  }, 60_000);

  it("refuses to start a container service's revision for a platform that cannot be built here", async (t) => {
    if (!engine) return t.skip();
    if (emulatedPlatforms().includes(foreign)) return t.skip();
    // GIVEN a container service whose image asks for a foreign platform and runs a command while building
    const app = resolveApp({
      name: 'plat',
      services: { web: { path: '.', start: 'node server.js', runtime: 'container', image: { dockerfile: 'Run.dockerfile', platforms: [foreign] } } },
      environments: { production: { ingressPort: 0, strategy: 'CodeDeployDefault.AllAtOnce' } },
    });
    const images = localContainerImages({ app: 'plat', logger: silentLogger, engine: async () => engine! });
    // WHEN its revision's spec is asked for THEN the start fails with the platform's error, nothing built
    const err = await images.specFor({ environment: 'production', service: 'web', revision: 'r1', sourceDir: dir }, app.services.web!).catch((e: unknown) => e);
    expect((err as SlipwayError).code).toBe('SLW_ERR_IMAGES_PLATFORM_UNAVAILABLE');
    expect((await runEngine(engine, ['image', 'exists', 'localhost/slipway/plat/web:r1'])).code).not.toBe(0);
  }, 60_000);
});
