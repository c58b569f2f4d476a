import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildImage, imageExists, runEngine, type CompiledEngine } from '../../src/images/index.js';
import { SlipwayError } from '../../src/shared/index.js';
import { containerEngineOrSkip } from '../support/container-engine.js';
import { freePort, getWithRetry } from '../support/http-wait.js';

let engine: CompiledEngine | undefined;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-images-'));
const tag = `localhost/slipway-test/static:${process.pid}`;

beforeAll(async () => {
  engine = await containerEngineOrSkip('images-engine');
}, 120_000);

afterAll(async () => {
  if (engine) await runEngine(engine, ['rmi', '-f', tag]);
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('the container engine', () => {
  it('is detected with the flags that start a container here, and says which', async (t) => {
    if (!engine) return t.skip();
    // GIVEN the engine found on this machine THEN it names its runtime and the flags it chose
    expect(['podman', 'docker']).toContain(engine.kind);
    expect(engine.description).toContain(engine.runtime);
    expect(Object.isFrozen(engine)).toBe(true);
  });

  it('builds a FROM-scratch image from a Dockerfile, and a failing Dockerfile gives a clear error', async (t) => {
    if (!engine) return t.skip();
    // GIVEN a Dockerfile that copies a static file into an empty image
    fs.writeFileSync(path.join(dir, 'index.html'), 'hello from an image\n');
    fs.writeFileSync(path.join(dir, 'Dockerfile'), 'FROM scratch\nARG GREETING=none\nLABEL greeting=$GREETING\nCOPY index.html /srv/index.html\n');
    const lines: string[] = [];
    // WHEN it is built with a build argument
    const built = await buildImage(engine, { contextDir: dir, tags: [tag], buildArgs: { GREETING: 'hi' }, onLine: (l) => lines.push(l) });
    // THEN the image exists under its tag, with the build's id and label, and the build's lines were streamed
    expect(built.imageId).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(await imageExists(engine, tag)).toBe(true);
    const label = await runEngine(engine, ['image', 'inspect', '--format', '{{index .Config.Labels "greeting"}}', tag]);
    expect(label.stdout.trim()).toBe('hi');
    expect(lines.length).toBeGreaterThan(0);
    // GIVEN a Dockerfile whose COPY names a missing file WHEN built THEN the error says the build failed and why
    fs.writeFileSync(path.join(dir, 'Broken.dockerfile'), 'FROM scratch\nCOPY missing.txt /x\n');
    const err = await buildImage(engine, { contextDir: dir, dockerfile: 'Broken.dockerfile', tags: [`${tag}-broken`] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SlipwayError);
    expect((err as SlipwayError).code).toBe('SLW_ERR_IMAGES_BUILD_FAILED');
    expect((err as SlipwayError).message).toMatch(/Broken\.dockerfile failed.*missing\.txt/);
  }, 60_000);

  it('runs a Node image FROM the local base and serves HTTP on the host network', async (t) => {
    if (!engine) return t.skip();
    if (!(await imageExists(engine, 'localhost/debian-node:bookworm'))) {
      process.stderr.write('SKIPPED images-engine base run: no localhost/debian-node:bookworm; build it with `slipway images base`.\n');
      return t.skip();
    }
    // GIVEN a Node server image built from the local base
    const app = path.join(dir, 'node-app');
    fs.mkdirSync(app, { recursive: true });
    fs.writeFileSync(path.join(app, 'server.js'), "require('http').createServer((q, s) => s.end('container ' + process.env.PORT)).listen(Number(process.env.PORT), '127.0.0.1');\n");
    fs.writeFileSync(path.join(app, 'Dockerfile'), 'FROM localhost/debian-node:bookworm\nCOPY server.js /app/server.js\nCMD ["node", "/app/server.js"]\n');
    const nodeTag = `${tag}-node`;
    await buildImage(engine, { contextDir: app, tags: [nodeTag] });
    const port = await freePort();
    const name = `slipway-test-${process.pid}`;
    // WHEN it runs detached with the engine's run flags
    const run = await runEngine(engine, ['run', '-d', '--rm', '--name', name, '--network', 'host', ...engine.runArgs, '-e', `PORT=${port}`, nodeTag]);
    expect(run.code, run.stderr).toBe(0);
    try {
      // THEN it answers over HTTP on loopback
      expect(await getWithRetry(`http://127.0.0.1:${port}/`, 20_000)).toBe(`container ${port}`);
    } finally {
      await runEngine(engine, ['rm', '-f', '-t', '0', name]);
      await runEngine(engine, ['rmi', '-f', nodeTag]);
    }
  }, 60_000);
});
