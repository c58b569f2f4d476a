import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildImage, ensureRegistry, findRegistryBinary, pushImage, runEngine, type CompiledEngine, type RegistryHandle } from '../../src/images/index.js';
import { TestApi } from '../support/api.js';
import { FREE_PORTS, startSlipway } from '../support/cli.js';
import { containerEngineOrSkip } from '../support/container-engine.js';
import { killDataPlane } from '../support/data-plane.js';
import { waitForDeploymentEvent } from '../support/deployment-harness.js';
import { buildHostNodeImage } from '../support/host-node-image.js';
import { tempDir, waitFor } from '../support/temp-dir.js';

interface Status {
  runtime: { router: { listeners: { kind: string; environment: string; port: number }[] } };
}

const SERVER = `import http from 'node:http';
// The engine sets HOSTNAME in a container; a process task's minimal environment has none.
const inContainer = () => (typeof process.env.HOSTNAME === 'string' ? 'yes' : 'no');
const server = http.createServer((req, res) => res.end(req.url === '/healthz' ? 'ok' : \`hello from \${process.env.SLIPWAY_REVISION} \${process.env.GREETING ?? ''} in a container: \${inContainer()}\`));
server.listen(Number(process.env.PORT), '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
`;

/**
 * A service with `runtime: 'container'` under a real `slipway up`: its image is built from its own
 * Dockerfile, its tasks run as labelled containers behind the router, a deployment of a new
 * revision builds that revision's image and shifts traffic to it, and Ctrl-C leaves no container.
 */
describe('a container service', () => {
  const tmp = tempDir();
  const dataDir = path.join(tmp.path, 'data');
  const api = new TestApi(dataDir);
  const base = `localhost/slipway-test/node-base:${process.pid}`;
  let engine: CompiledEngine | undefined;
  let cp: ReturnType<typeof startSlipway> | undefined;
  let registry: RegistryHandle | undefined;

  beforeAll(async () => {
    engine = await containerEngineOrSkip('container-service');
    if (!engine) return;
    await buildHostNodeImage(engine, base, {}, ['/usr/bin/node']);
    if (findRegistryBinary() !== undefined) registry = await ensureRegistry({ stateDir: path.join(tmp.path, 'registry') });
    const web = path.join(tmp.path, 'services', 'web');
    fs.mkdirSync(web, { recursive: true });
    fs.writeFileSync(path.join(web, 'server.mjs'), SERVER);
    fs.writeFileSync(path.join(web, 'Dockerfile'), `FROM ${base}\nCOPY server.mjs /app/server.mjs\nCMD ["/usr/bin/node", "/app/server.mjs"]\n`);
    const config = {
      name: 'boxes',
      services: {
        web: {
          path: 'services/web',
          start: 'node server.mjs',
          runtime: 'container',
          image: {},
          cpu: 1024,
          memory: 512,
          ingress: { pathPrefix: '/' },
          health: { interval: '1s', timeout: '900ms', healthyThreshold: 1, unhealthyThreshold: 5, gracePeriod: '10s' },
        },
      },
      environments: { production: { ingressPort: 0, strategy: 'CodeDeployDefault.AllAtOnce' } },
    };
    const file = path.join(tmp.path, 'slipway.config.json');
    fs.writeFileSync(file, JSON.stringify(config, null, 2));
    cp = startSlipway(['up', '--config', file, ...FREE_PORTS, '--data', dataDir]);
    await waitFor('the control plane', () => (fs.existsSync(path.join(dataDir, 'server.json')) ? true : undefined), 60_000).catch((err: Error) => {
      throw new Error(`${err.message}; slipway up said: ${cp!.output.stderr.slice(-2000)}`);
    });
  }, 180_000);

  afterAll(async () => {
    if (cp?.child.exitCode === null) {
      cp.child.kill('SIGINT');
      await cp.exited;
    }
    killDataPlane(dataDir);
    await registry?.stop();
    if (engine) {
      const left = await runEngine(engine, ['ps', '-a', '-q', '--filter', 'label=io.slipway.app=boxes']);
      if (left.stdout.trim() !== '') await runEngine(engine, ['rm', '-f', '-t', '0', ...left.stdout.trim().split('\n')]);
      const images = await runEngine(engine, ['images', '-q', '--filter', 'reference=localhost/slipway/boxes/*']);
      const pushed = registry === undefined ? { stdout: '' } : await runEngine(engine, ['images', '-q', '--filter', `reference=${registry.client.host}/boxes/*`]);
      await runEngine(engine, ['rmi', '-f', base, ...`${images.stdout}\n${pushed.stdout}`.split('\n').filter((l) => l.trim() !== '')]);
    }
    tmp.cleanup();
  });

  it('is built from its Dockerfile, serves as labelled containers, and deploys a new revision as a new image', { timeout: 240_000 }, async (t) => {
    if (!engine || !cp) return t.skip();
    const st = await api.ok<Status>('GET', '/api/v1/status');
    const ingress = st.runtime.router.listeners.find((l) => l.kind === 'ingress' && l.environment === 'production')!.port;
    // GIVEN slipway up THEN the ingress answers from the container
    const first = await waitFor('the container answers', async () => {
      const r = await fetch(`http://127.0.0.1:${ingress}/`).catch(() => undefined);
      const text = r?.status === 200 ? await r.text() : '';
      return text.includes('in a container') ? text : undefined;
    }, 120_000);
    expect(first).toMatch(/^hello from \S+ {2}in a container: yes$/);
    // AND the task is a container labelled with the app, environment, service and task
    const ps = await runEngine(engine, ['ps', '--filter', 'label=io.slipway.app=boxes', '--format', '{{.Names}} {{index .Labels "io.slipway.service"}} {{index .Labels "io.slipway.environment"}}']);
    expect(ps.stdout.trim()).toMatch(/^slipway-web-[0-9a-f]{10} web production$/);

    // WHEN a new revision is deployed with a new variable
    const id = (await api.ok<{ id: number }>('POST', '/api/v1/deployments', { service: 'web', environment: 'production', revision: 'v2', env: { GREETING: 'hi' } })).id;
    // THEN its image is built, its container takes the traffic, and the old one is retired
    expect((await waitForDeploymentEvent(api, id, ['deployment.succeeded', 'deployment.rolled_back', 'deployment.failed'], 180_000)).type).toBe('deployment.succeeded');
    expect(await (await fetch(`http://127.0.0.1:${ingress}/`)).text()).toBe('hello from v2 hi in a container: yes');
    const images = await runEngine(engine, ['images', '--format', '{{.Repository}}:{{.Tag}}', '--filter', 'reference=localhost/slipway/boxes/web']);
    expect(images.stdout).toContain('localhost/slipway/boxes/web:v2');
    await waitFor('one container left', async () => {
      const r = await runEngine(engine!, ['ps', '-q', '--filter', 'label=io.slipway.app=boxes']);
      return r.stdout.trim().split('\n').filter((l) => l !== '').length === 1 ? true : undefined;
    }, 30_000);

    if (registry !== undefined) {
      // WHEN an image a build pushed to the registry is deployed by digest (as imagedefinitions.json names it)
      const ctx = path.join(tmp.path, 'pushed');
      fs.mkdirSync(ctx, { recursive: true });
      fs.writeFileSync(path.join(ctx, 'server.mjs'), SERVER.replace('hello from', 'pushed image of'));
      fs.writeFileSync(path.join(ctx, 'Dockerfile'), `FROM ${base}\nCOPY server.mjs /app/server.mjs\nCMD ["/usr/bin/node", "/app/server.mjs"]\n`);
      const local = `localhost/slipway-test/boxes-pushed:${process.pid}`;
      await buildImage(engine, { contextDir: ctx, tags: [local] });
      const repo = `${registry.client.host}/boxes/web`;
      const digest = await pushImage(engine, local, `${repo}:v3`);
      await runEngine(engine, ['rmi', '-f', local, `${repo}:v3`]);
      const v3 = (await api.ok<{ id: number }>('POST', '/api/v1/deployments', { service: 'web', environment: 'production', revision: 'v3', image: `${repo}@${digest}` })).id;
      // THEN the control plane pulls it and serves it, without building anything from the source
      expect((await waitForDeploymentEvent(api, v3, ['deployment.succeeded', 'deployment.rolled_back', 'deployment.failed'], 120_000)).type).toBe('deployment.succeeded');
      expect(await (await fetch(`http://127.0.0.1:${ingress}/`)).text()).toBe('pushed image of v3  in a container: yes');
      const built = await runEngine(engine, ['images', '--format', '{{.Repository}}:{{.Tag}}', '--filter', 'reference=localhost/slipway/boxes/web']);
      expect(built.stdout).not.toContain(':v3');
    } else {
      process.stderr.write('SKIPPED container-service registry deploy: no distribution registry installed (apt-get install -y docker-registry).\n');
    }
    // AND a malformed image reference is refused, naming the field
    const refused = await api.call<{ error: { code: string; message: string } }>('POST', '/api/v1/deployments', { service: 'web', environment: 'production', revision: 'v4', image: 'Not A Ref' });
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body)).toContain('image');

    // WHEN slipway up is stopped with Ctrl-C THEN no container of the app is left
    cp.child.kill('SIGINT');
    await cp.exited;
    const left = await runEngine(engine, ['ps', '-a', '-q', '--filter', 'label=io.slipway.app=boxes']);
    expect(left.stdout.trim()).toBe('');
  });
});
