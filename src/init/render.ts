import type { Detection, DetectedService } from './model.js';

/** Options of {@link renderConfig}. */
export interface RenderOptions {
  /** The app's name (DNS-safe). */
  readonly appName: string;
  /** The branch whose commits start the pipeline. */
  readonly branch: string;
}

/** A single-quoted TypeScript string literal. */
function lit(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
}

/** A key as written in an object literal: bare when it is an identifier, quoted otherwise. */
function key(k: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(k) ? k : lit(k);
}

/** The service that gets the ingress: one no other service depends on, preferring the usual front-end names. */
export function ingressService(services: readonly DetectedService[]): DetectedService {
  const dependedOn = new Set(services.flatMap((s) => s.dependsOn));
  const roots = services.filter((s) => !dependedOn.has(s.name));
  const pool = roots.length > 0 ? roots : services;
  return pool.find((s) => /^(web|app|frontend|front|gateway|site|www|server|api)$/.test(s.name)) ?? pool[0]!;
}

/** `slipway.config.ts` for what was detected: typed, commented, staging and production, a production canary and a 5xx alarm. */
export function renderConfig(d: Detection, o: RenderOptions): string {
  const front = ingressService(d.services);
  const alarm = `${front.name}-5xx`;
  const lines: string[] = [
    `// The slipway definition of ${o.appName}, written by \`slipway init\` from what it found in this`,
    '// repository. It is yours to edit; `slipway validate` checks it, `slipway up` runs it.',
    '// Every option is documented in slipway\'s docs/config.md.',
    "import { defineApp, canary } from 'slipway';",
    '',
    'export default defineApp({',
    `  name: ${lit(o.appName)},`,
    '  services: {',
  ];
  for (const s of d.services) {
    lines.push(`    // ${s.found.join('; ')}`);
    for (const g of s.guessed) lines.push(`    // guessed: ${g}`);
    lines.push(`    ${key(s.name)}: {`);
    lines.push(`      path: ${lit(s.path)},`);
    lines.push(`      start: ${lit(s.start)},`);
    lines.push(`      health: { path: ${lit(s.healthPath ?? '/')} },`);
    if (s === front) lines.push("      ingress: { pathPrefix: '/' },");
    lines.push('      scaling: { min: 1, max: 2 },');
    const env = Object.entries(s.env);
    if (env.length > 0) {
      lines.push('      env: {');
      for (const [k, v] of env) lines.push(`        ${key(k)}: ${lit(v)},`);
      lines.push('      },');
    }
    if (s.dependsOn.length > 0) lines.push(`      dependsOn: [${s.dependsOn.map(lit).join(', ')}],`);
    lines.push('    },');
  }
  lines.push(
    '  },',
    '  environments: {',
    '    // Each environment has its own ingress port on this machine.',
    "    staging: { ingressPort: 8081, strategy: 'CodeDeployDefault.AllAtOnce' },",
    '    production: {',
    '      ingressPort: 8080,',
    '      // 10 % of the traffic, then half, then all, 30 s apart; the alarm below rolls it back.',
    "      strategy: canary({ steps: [10, 50, 100], interval: '30s' }),",
    `      rollbackOn: [${lit(alarm)}],`,
    '    },',
    '  },',
    '  pipeline: {',
    `    trigger: { branches: [${lit(o.branch)}] },`,
    '    stages: [',
    "      { name: 'Build', actions: [{ type: 'build', buildspec: 'buildspec.yml' }] },",
    "      { name: 'Staging', actions: [{ type: 'deploy', environment: 'staging' }] },",
    "      { name: 'Production', actions: [{ type: 'deploy', environment: 'production' }] },",
    '    ],',
    '  },',
    '  alarms: {',
    `    ${lit(alarm)}: {`,
    `      description: ${lit(`${front.name} answers with server errors`)},`,
    "      metric: 'HTTPCode_Target_5XX_Count',",
    `      service: ${lit(front.name)},`,
    "      stat: 'Sum',",
    "      period: '30s',",
    '      threshold: 5,',
    '      evaluationPeriods: 2,',
    '      datapointsToAlarm: 2,',
    '    },',
    '  },',
    '});',
    '',
  );
  return lines.join('\n');
}

/** A YAML scalar in single quotes. */
function yq(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

/** `buildspec.yml` that installs and tests each service (CodeBuild's format, version 0.2). */
export function renderBuildspec(d: Detection): string {
  const install: string[] = ['node --version'];
  if (d.workspaces) install.push(d.rootLockfile ? 'npm ci --no-audit --no-fund' : 'npm install --no-audit --no-fund');
  const build: string[] = [];
  for (const s of d.services) {
    const dir = /^[\w./-]+$/.test(s.path) ? s.path : `'${s.path.replace(/'/g, `'\\''`)}'`;
    const inDir = (cmd: string) => (s.path === '.' ? cmd : `(cd ${dir} && ${cmd})`);
    if (s.build.install) install.push(inDir(s.build.install));
    if (s.build.test) build.push(inDir(s.build.test));
  }
  if (build.length === 0) build.push('echo "no test script found: add one to package.json and here"');
  return [
    '# Written by `slipway init`: installs and tests every service; the pipeline\'s Build stage runs it.',
    'version: 0.2',
    '',
    'phases:',
    '  install:',
    '    commands:',
    ...install.map((c) => `      - ${yq(c)}`),
    '  build:',
    '    commands:',
    ...build.map((c) => `      - ${yq(c)}`),
    '',
    '# The artifact is what deploys: the whole tree with its installed dependencies, without git and slipway data.',
    'artifacts:',
    '  files:',
    "    - '**/*'",
    '  exclude-paths:',
    "    - '.git/**'",
    "    - '.slipway/**'",
    '',
  ].join('\n');
}
