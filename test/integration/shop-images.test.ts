import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAppConfig } from '../../src/core/index.js';
import { buildImage, runEngine, type CompiledEngine } from '../../src/images/index.js';
import { containerEngineOrSkip } from '../support/container-engine.js';
import { freePort, getWithRetry } from '../support/http-wait.js';
import { copyDependencyClosure } from '../support/dependency-closure.js';
import { buildHostNodeImage } from '../support/host-node-image.js';
import { SHOP_DIR } from '../support/shop.js';
import { tempDir } from '../support/temp-dir.js';

const base = `localhost/slipway-test/shop-base:${process.pid}`;
const tag = `localhost/slipway-test/shop-payments:${process.pid}`;
const name = `slipway-test-shop-payments-${process.pid}`;
let engine: CompiledEngine | undefined;
const tmp = tempDir('slipway-shop-images-');

beforeAll(async () => {
  engine = await containerEngineOrSkip('shop-images');
  if (engine) await buildHostNodeImage(engine, base, {}, ['/usr/bin/node']);
}, 120_000);

afterAll(async () => {
  if (engine) {
    await runEngine(engine, ['rm', '-f', '-t', '0', name]);
    await runEngine(engine, ['rmi', '-f', tag, base]);
  }
  tmp.cleanup();
});

describe("the shop's Dockerfiles", () => {
  it('build a service image from the config it declares, on a local Node base, which serves its health check', async (t) => {
    if (!engine) return t.skip();
    // GIVEN the shop's own config: payments' image is its Dockerfile with the shop's folder as context
    const { app } = await loadAppConfig({ cwd: SHOP_DIR });
    const image = app.services.payments!.image!;
    expect(image).toMatchObject({ context: '.', dockerfile: 'services/payments/Dockerfile' });
    expect(app.services.payments!.runtime).toBe('process');
    // AND a copy of the shop with its dependencies installed beside package.json, as `npm install --omit=dev` leaves them
    const shop = path.join(tmp.path, 'shop');
    fs.cpSync(SHOP_DIR, shop, { recursive: true, filter: (src) => !/[/\\](node_modules|\.slipway|reports)$/.test(src) });
    const deps = Object.keys((JSON.parse(fs.readFileSync(path.join(SHOP_DIR, 'package.json'), 'utf8')) as { dependencies: Record<string, string> }).dependencies);
    // better-sqlite3 is the catalog's alone, and native: left out of this copy to keep it small.
    copyDependencyClosure(deps.filter((d) => d !== 'better-sqlite3'), path.resolve('node_modules'), path.join(shop, 'node_modules'));

    // WHEN the image is built as the model says, with BASE set to a Node image made from this host's node
    const built = await buildImage(engine, {
      contextDir: path.join(shop, image.context),
      dockerfile: path.join(shop, image.dockerfile),
      buildArgs: { ...image.buildArgs, BASE: base },
      tags: [tag],
    });
    expect(built.imageId).toMatch(/^sha256:/);
    // THEN the image holds the service, lib/ and the dependencies, and none of the tests (.dockerignore)
    const files = await runEngine(engine, [
      'run', '--rm', '--network', 'host', ...engine.runArgs, tag, 'node', '-e',
      "const fs = require('fs'); console.log(['server.js', 'payments.test.js', '../../lib/telemetry.js', '../../node_modules/@opentelemetry/sdk-node/package.json'].map((f) => fs.existsSync(f) ? 1 : 0).join('') + ' ' + process.getuid())",
    ]);
    expect(files.stdout.trim(), files.stderr).toBe('1011 1000');
    // WHEN it runs as a container on a port of this machine
    const port = await freePort();
    const run = await runEngine(engine, ['run', '-d', '--rm', '--name', name, '--network', 'host', ...engine.runArgs, '-e', `PORT=${port}`, '-e', 'OTEL_SDK_DISABLED=true', tag]);
    expect(run.code, run.stderr).toBe(0);
    // THEN it answers its health check
    const health = await getWithRetry(`http://127.0.0.1:${port}/healthz`, 30_000);
    expect(JSON.parse(health)).toMatchObject({ status: 'ok' });
  }, 180_000);
});
