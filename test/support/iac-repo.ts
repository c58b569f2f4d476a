import fs from 'node:fs';
import path from 'node:path';
import { exec } from '../../src/core/index.js';

/** A service that answers `/healthz` and its name, and stops cleanly on SIGTERM. */
export const SERVICE_SOURCE = `const http = require('node:http');
const server = http.createServer((req, res) => res.end(req.url === '/healthz' ? 'ok' : (process.env.NAME || 'svc') + ' ' + (process.env.GREETING || 'hello')));
server.listen(Number(process.env.PORT), '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
`;

/** Runs git in a fixture repository with a fixed author. */
export async function git(cwd: string, ...args: string[]): Promise<string> {
  const r = await exec('git', ['-c', 'user.name=dev', '-c', 'user.email=dev@example.com', ...args], { cwd });
  if (r.code !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout.trim();
}

/** The parts of a fixture app definition a test changes commit by commit. */
export interface FixtureModel {
  services: Record<string, { ingress?: string; min?: number; max?: number; env?: Record<string, string> }>;
  environments: Record<string, { strategy?: string; selfHeal?: boolean }>;
  alarms?: Record<string, string>;
  /** The pipeline's stages as TypeScript source. */
  pipeline?: string;
  /** Extra top-level source, e.g. an invalid field. */
  extra?: string;
}

const health = "{ path: '/healthz', interval: '300ms', timeout: '250ms', healthyThreshold: 1, gracePeriod: '1s' }";

/** The slipway.config.ts of a fixture model. */
export function configSource(m: FixtureModel): string {
  const services = Object.entries(m.services).map(([name, s]) => {
    const parts = [`path: 'services/${name}'`, `start: 'node server.cjs'`, `health: ${health}`, `env: ${JSON.stringify({ NAME: name, ...(s.env ?? {}) })}`];
    if (s.ingress) parts.push(`ingress: { pathPrefix: '${s.ingress}' }`);
    if (s.min !== undefined) parts.push(`scaling: { min: ${s.min}, max: ${s.max ?? Math.max(s.min, 3)} }`);
    return `${name}: { ${parts.join(', ')} }`;
  });
  const envs = Object.entries(m.environments).map(([name, e]) => `${name}: { ingressPort: 0, strategy: ${e.strategy ?? "'CodeDeployDefault.AllAtOnce'"}${e.selfHeal ? ', selfHeal: true' : ''} }`);
  const alarms = Object.entries(m.alarms ?? {}).map(([name, src]) => `'${name}': ${src}`);
  return `import { defineApp } from 'slipway';
export default defineApp({
  name: 'fixture',
  services: { ${services.join(',\n    ')} },
  environments: { ${envs.join(', ')} },
  alarms: { ${alarms.join(', ')} },
  ${m.pipeline ? `pipeline: ${m.pipeline},` : ''}
  ${m.extra ?? ''}
});
`;
}

/** Writes the model (and a folder with a server for each service) into the repository and commits it; returns the commit sha. */
export async function commitModel(repo: string, m: FixtureModel, message: string): Promise<string> {
  for (const name of Object.keys(m.services)) {
    const dir = path.join(repo, 'services', name);
    if (!fs.existsSync(dir)) {
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, 'server.cjs'), SERVICE_SOURCE);
    }
  }
  fs.writeFileSync(path.join(repo, 'slipway.config.ts'), configSource(m));
  if (!fs.existsSync(path.join(repo, '.git'))) await git(repo, 'init', '-q', '-b', 'main');
  await git(repo, 'add', '-A');
  await git(repo, 'commit', '-q', '-m', message);
  return git(repo, 'rev-parse', 'HEAD');
}
