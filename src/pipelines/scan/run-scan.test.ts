import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runNpmAudit } from './npm-audit.js';
import { runScan } from './run-scan.js';
import { scanSecrets } from './scan-secrets.js';

let dir: string;
function write(rel: string, content: string | Buffer): void {
  fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
  fs.writeFileSync(path.join(dir, rel), content);
}
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-scan-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

// Planted values are assembled at run time so this file itself holds no secret-shaped strings.
const AKIA = ['AKIA', 'Q3EGRTWXK7PZ4M2N'].join('');
const AWS_SECRET = ['wJalrXUtnFEMI/K7MDENG/', 'bPxRfiCYzQ8sLm3TvA'].join('');
const GHP = ['ghp_', 'Zx9Qm2Lk8Vb4Nc7Rt1Yp5Wd3Hs6Jf0Ga2Ke4Mi'].join('');
const SLACK = ['xoxb-', '2741950381-9b8Kd7QwZr3LmT'].join('');
const PEM = ['-----BEGIN RSA ', 'PRIVATE KEY-----'].join('');

describe('scanSecrets', () => {
  it('finds each rule with file, line and a redacted excerpt', () => {
    write('config/aws.ini', `[default]\naws_access_key_id = ${AKIA}\naws_secret_access_key = ${AWS_SECRET}\n`);
    write('src/gh.js', `// ok\nconst t = "${GHP}";\n`);
    write('src/slack.ts', `export const hook = '${SLACK}';\n`);
    write('keys/id_rsa', `${PEM}\nMIIEow\n`);
    write('.env', 'DEPLOY_TOKEN=q8Zr2LmX9vTb4Kd7Wn1P\nPASSWORD=aaaaaaaaaaaaaaaa\n');
    const findings = scanSecrets(dir);
    expect(findings.map((f) => `${f.file}:${f.line}:${f.rule}`)).toEqual([
      '.env:1:generic-high-entropy',
      'config/aws.ini:2:aws-access-key-id',
      'config/aws.ini:3:aws-secret-access-key',
      'keys/id_rsa:1:private-key',
      'src/gh.js:2:github-token',
      'src/slack.ts:1:slack-token',
    ]);
    expect(findings[1]?.excerpt).toBe('aws_access_key_id = AKIA********');
    expect(findings[4]?.excerpt).toBe('const t = "ghp_********";');
    expect(findings.map((f) => f.excerpt).join('\n')).not.toContain(GHP.slice(4));
  });

  it('skips .git, node_modules, binary files and allowlisted paths; passes a clean directory', () => {
    write('.git/config', `token = ${GHP}`);
    write('node_modules/x/index.js', `"${GHP}"`);
    write('bin/blob', Buffer.concat([Buffer.from([0, 1, 2]), Buffer.from(GHP)]));
    write('test/fixtures/fake.txt', GHP);
    write('src/app.js', 'const password = process.env.PASSWORD;\n');
    expect(scanSecrets(dir, { allowPaths: ['test/fixtures/**'] })).toEqual([]);
  });

  it('rejects a rule whose pattern is global', () => {
    expect(() => scanSecrets(dir, { rules: [{ id: 'x', description: 'x', severity: 'low', pattern: /x/g }] })).toThrow('scan rule x: its pattern must not use the g or y flag');
  });

  it('scans a file of one very long line in linear time', () => {
    // GIVEN a committed file whose only line is 400 KB of word boundaries (the generic rule took
    // 4.8 s on 80 KB of it on a backtracking engine, growing with the square of the length)
    write('dist/bundle.min.js', `${'a.'.repeat(200_000)}\n`);
    write('src/app.js', `const token = "q8Zr2LmX9vTb4Kd7Wn1P";\n`);
    const started = performance.now();
    // WHEN scanned THEN the real finding is reported and the long line costs no more than its length
    expect(scanSecrets(dir).map((f) => `${f.file}:${f.line}:${f.rule}`)).toEqual(['src/app.js:1:generic-high-entropy']);
    expect(performance.now() - started).toBeLessThan(10_000);
  });

  it('refuses a rule RE2 cannot run, saying so', () => {
    // GIVEN a custom rule with a lookahead WHEN scanning THEN a clear error instead of a silently different rule
    expect(() => scanSecrets(dir, { rules: [{ id: 'la', description: 'x', severity: 'low', pattern: /key(?=\d)/ }] })).toThrow(
      'scan rule la: its pattern cannot run on RE2 (error parsing regexp: invalid or unsupported Perl syntax: `(?=`); write it without lookaround or backreferences',
    );
  });
});

describe('runScan', () => {
  it('fails on a finding at or above failOn and passes a clean dir without a lockfile', async () => {
    write('a.txt', GHP);
    expect((await runScan({ dir, failOn: 'high' })).status).toBe('Failed');
    expect((await runScan({ dir, failOn: 'critical' })).status).toBe('Passed');
    fs.rmSync(path.join(dir, 'a.txt'));
    const clean = await runScan({ dir });
    expect(clean.status).toBe('Passed');
    expect(clean.audit.status).toBe('Skipped');
  });

  it('reports NotScanned, never clean, when npm cannot reach the registry', async () => {
    write('package.json', JSON.stringify({ name: 'x', version: '1.0.0', dependencies: { 'left-pad': '1.3.0' } }));
    write('package-lock.json', JSON.stringify({
      name: 'x', version: '1.0.0', lockfileVersion: 3, requires: true,
      packages: { '': { name: 'x', version: '1.0.0', dependencies: { 'left-pad': '1.3.0' } }, 'node_modules/left-pad': { version: '1.3.0', resolved: 'https://registry.npmjs.org/left-pad/-/left-pad-1.3.0.tgz' } },
    }));
    const env = { ...process.env, npm_config_registry: 'http://127.0.0.1:9/', npm_config_fetch_retries: '0', npm_config_fetch_timeout: '5000', npm_config_cache: path.join(dir, '.npm-cache'), npm_config_offline: 'false', npm_config_audit: 'true' };
    const audit = await runNpmAudit(dir, { env });
    expect(audit.status).toBe('NotScanned');
    expect(audit.reason).toMatch(/^npm audit (failed|gave no JSON): /);
    const result = await runScan({ dir, npmEnv: env });
    expect(result.status).toBe('NotScanned');
    expect(result.reason).toBe(audit.reason);
  });
});
