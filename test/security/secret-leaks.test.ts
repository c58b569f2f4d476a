// Issue 12, finding 4: a build that prints a secret encoded (base64 at any alignment, base64url,
// URL, JSON, hex), split across lines or one byte per write, or exports it, must not get it into
// the run's log, any API answer, the CLI, the event log, or any row of any SQLite table.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/index.js';
import type { PipelineRunDto } from '../../src/shared/index.js';
import { SqliteSecretStore } from '../../src/pipelines/index.js';
import { FakeDeployer, buildspec, pipelineHarness, type Harness } from '../integration/pipelines-harness.js';
import { TEST_TOKEN } from '../support/server.js';

/** The secret: spaces, quotes, a backslash, URL-reserved and non-ASCII characters, so every encoding differs from the value. */
const SECRET = 'Tr0ub4dor&3 "horse"/battery\\staple+é';
const DB_URL = `https://ci:${encodeURIComponent(SECRET)}@git.example.com/x`;

const bytes = Buffer.from(SECRET, 'utf8');
/** The characters of base64(prefix + secret + anything) that depend on the secret alone (computed here, not by slipway). */
const stableBase64 = (prefix: number, alphabet: 'base64' | 'base64url') =>
  Buffer.concat([Buffer.alloc(prefix), bytes]).toString(alphabet).slice(Math.ceil((prefix * 8) / 6), Math.floor(((prefix + bytes.length) * 8) / 6));

/** Every encoding of the secret the finding names; none may appear anywhere. */
const ENCODINGS: Record<string, string> = {
  plain: SECRET,
  base64: bytes.toString('base64'),
  'base64 after 1 byte': stableBase64(1, 'base64'),
  'base64 after 2 bytes': stableBase64(2, 'base64'),
  'base64 aligned': stableBase64(0, 'base64'),
  base64url: bytes.toString('base64url'),
  'base64url after 1 byte': stableBase64(1, 'base64url'),
  'base64url after 2 bytes': stableBase64(2, 'base64url'),
  url: encodeURIComponent(SECRET),
  'url with +': encodeURIComponent(SECRET).replace(/%20/g, '+'),
  json: JSON.stringify(SECRET).slice(1, -1),
  hex: bytes.toString('hex'),
  'upper hex': bytes.toString('hex').toUpperCase(),
};

function leaks(text: string): string[] {
  return Object.entries(ENCODINGS)
    .filter(([, e]) => text.includes(e))
    .map(([name]) => name);
}

/** Each command prints the secret in one of the ways the finding describes. */
const commands = [
  'echo "plain: $TOKEN"',
  'echo "b64: $(printf \'%s\' "$TOKEN" | base64 -w0)"',
  'echo "b64p1: $(printf \'x%s\' "$TOKEN" | base64 -w0)"',
  'echo "b64p2: $(printf \'xy%s\' "$TOKEN" | base64 -w0)"',
  'echo "b64 wrapped:"; printf \'zz%s%s\' "$TOKEN" "$TOKEN" | base64',
  'echo "b64url: $(printf \'%s\' "$TOKEN" | base64 -w0 | tr \'+/\' \'-_\' | tr -d =)"',
  'echo "url: $(node -e \'process.stdout.write(encodeURIComponent(process.env.TOKEN))\')"',
  'echo "urlform: $(node -e \'process.stdout.write(encodeURIComponent(process.env.TOKEN).replace(/%20/g, String.fromCharCode(43)))\')"',
  // printf, not echo: dash's echo would turn the JSON's \\ back into \.
  'printf \'json: %s\\n\' "$(node -e \'process.stdout.write(JSON.stringify({ token: process.env.TOKEN }))\')"',
  'echo "hex: $(printf \'%s\' "$TOKEN" | od -An -tx1 | tr -d \' \\n\')"',
  'echo "HEX: $(printf \'%s\' "$TOKEN" | od -An -tx1 | tr -d \' \\n\' | tr a-f A-F)"',
  'printf \'%s\\n\' "$TOKEN" | cut -c1-12; printf \'%s\\n\' "$TOKEN" | cut -c13-',
  'printf \'split: %s\\n%s :end\\n\' "$(printf \'%s\' "$TOKEN" | cut -c1-9)" "$(printf \'%s\' "$TOKEN" | cut -c10-)"',
  'n=$(printf \'%s\' "$TOKEN" | wc -c); i=1; while [ $i -le $n ]; do printf \'%s\' "$TOKEN" | head -c $i | tail -c 1; sleep 0.02; i=$((i+1)); done; echo',
  'echo "stderr: $TOKEN" >&2',
  `export DB_URL="https://ci:$(node -e 'process.stdout.write(encodeURIComponent(process.env.TOKEN))')@git.example.com/x" TOKEN_B64="$(printf '%s' "$TOKEN" | base64 -w0)"`,
];

const BUILDSPEC = `version: 0.2
env:
  secrets-manager:
    TOKEN: ci/token
  exported-variables: [TOKEN, DB_URL, TOKEN_B64, VERSION]
phases:
  build:
    commands:
${commands.map((c) => `      - ${JSON.stringify(c)}`).join('\n')}
      - export VERSION=1.2.3
`;

let h: Harness;
let run: PipelineRunDto;
let url: string;

beforeAll(async () => {
  const deployer = new FakeDeployer();
  // The deployment fails with an error message that holds the secret, plainly and in base64.
  deployer.answer = () => ({ status: 'Failed', deploymentIds: [], message: `login as ci:${SECRET} refused (${Buffer.from(`ci:${SECRET}`).toString('base64')})` });
  h = await pipelineHarness({
    deployer,
    secrets: { 'ci/token': SECRET },
    files: { 'buildspec.yml': BUILDSPEC },
    pipeline: {
      stages: [
        { name: 'Build', actions: [{ type: 'build' }] },
        // A later action gets the real value of the secret variables from the store.
        { name: 'Use', actions: [{ type: 'invoke', name: 'use', command: "printf '%s' '#{build.DB_URL}' | sha256sum | cut -c1-64 > ../resolved.sha; echo 'using #{build.TOKEN} and #{build.TOKEN_B64}'" }] },
        { name: 'Deploy', actions: [{ type: 'deploy', environment: 'staging' }] },
      ],
    },
  });
  url = await h.server.listen({ host: '127.0.0.1', port: 0 });
  run = await h.waitForEnd((await h.pipelines.run()).id, { timeoutMs: 60_000 });
}, 90_000);
afterAll(async () => {
  await h?.close();
});

async function cli(...args: string[]): Promise<string> {
  const out: string[] = [];
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((c) => (out.push(String(c)), true));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  vi.stubEnv('SLIPWAY_TOKEN', TEST_TOKEN);
  try {
    expect(await main(['node', 'slipway', '--url', url, ...args])).toBe(0);
    return out.join('');
  } finally {
    o.mockRestore();
    e.mockRestore();
    vi.unstubAllEnvs();
  }
}

const action = (stage: string) => run.stages.find((s) => s.name === stage)!.actions[0]!;

describe('secrets never leak past the masker (issue 12, finding 4)', () => {
  it('the run did what the attack needs: the build succeeded, the later action got the real value, the deploy failed', () => {
    // GIVEN the run WHEN it ended THEN the build and the action using the variables succeeded, and the deploy failed as arranged
    expect(action('Build').status).toBe('Succeeded');
    expect(action('Use').status).toBe('Succeeded');
    expect(action('Deploy').status).toBe('Failed');
    expect(run.status).toBe('Failed');
    expect(fs.readFileSync(path.join(h.root, 'resolved.sha'), 'utf8').trim()).toBe(crypto.createHash('sha256').update(DB_URL).digest('hex'));
  });

  it('masks every encoding in the stored log, in the API and in the database, keeping the lines', async () => {
    // GIVEN the run's log WHEN read through the API THEN no encoding of the secret is in it, even with line breaks removed
    const res = await h.request('GET', `/api/v1/pipeline/runs/${run.id}/logs?limit=10000`);
    expect(res.status).toBe(200);
    const lines = (res.body.lines as { line: string }[]).map((l) => l.line);
    expect(leaks(JSON.stringify(res.body))).toEqual([]);
    expect(leaks(lines.join(''))).toEqual([]);
    const rows = h.db.prepare<[], { line: string }>('SELECT line FROM pipeline_logs ORDER BY seq').all().map((r) => r.line);
    expect(rows).toEqual(lines);
    // AND the lines are there, masked where the secret was
    const b64p1 = Buffer.from(`x${SECRET}`).toString('base64');
    const b64p2 = Buffer.from(`xy${SECRET}`).toString('base64');
    for (const expected of ['plain: ***', 'b64: ***', `b64p1: ${b64p1.slice(0, 2)}***${b64p1.slice(Math.floor(((1 + bytes.length) * 8) / 6))}`, `b64p2: ${b64p2.slice(0, 3)}***${b64p2.slice(Math.floor(((2 + bytes.length) * 8) / 6))}`, 'b64url: ***', 'url: ***', 'urlform: ***', 'json: {"token":"***"}', 'hex: ***', 'HEX: ***', 'split: ***', '*** :end', 'stderr: ***']) {
      expect(lines).toContain(expected);
    }
    // AND the byte-per-write line and the two-line split are masked, not dropped
    expect(lines.filter((l) => l === '***').length).toBeGreaterThanOrEqual(3);
    expect(lines).toContain(`using *** and ***`);
  });

  it('keeps exported secret variables as references, shown as *** in the API and the CLI', async () => {
    // GIVEN the stored run WHEN its variables are read from the database THEN the secret ones are references into the store
    const stored = JSON.parse(h.db.prepare<[number], { variables: string }>('SELECT variables FROM pipeline_runs WHERE id = ?').get(run.id)!.variables) as Record<string, Record<string, unknown>>;
    expect(stored.build).toEqual({
      TOKEN: { parts: [{ secretRef: 'ci/token', encoding: 'plain' }] },
      DB_URL: { parts: ['https://ci:', { secretRef: 'ci/token', encoding: 'url' }, '@git.example.com/x'] },
      TOKEN_B64: { parts: [{ secretRef: 'ci/token', encoding: 'base64' }] },
      VERSION: '1.2.3',
    });
    // AND the API and `slipway pipeline show --json` show them masked, with the resolved command masked too
    const api = await h.request('GET', `/api/v1/pipeline/runs/${run.id}`);
    expect(leaks(JSON.stringify(api.body))).toEqual([]);
    const shown = JSON.parse(await cli('pipeline', 'show', String(run.id), '--json')) as PipelineRunDto;
    expect(leaks(JSON.stringify(shown))).toEqual([]);
    const build = shown.stages[0]!.actions[0]!;
    expect(build.output.exportedVariables).toEqual({ TOKEN: '***', DB_URL: 'https://ci:***@git.example.com/x', TOKEN_B64: '***', VERSION: '1.2.3' });
    expect(build.output.secretVariables).toEqual(['TOKEN', 'DB_URL', 'TOKEN_B64']);
    // An invoke command is shell code: its references became environment variables, so no value is in it at all.
    expect(shown.stages[1]!.actions[0]!.configuration.command).toBe(
      "printf '%s' ''\"${SLIPWAY_VAR_build_DB_URL}\"'' | sha256sum | cut -c1-64 > ../resolved.sha; echo 'using '\"${SLIPWAY_VAR_build_TOKEN}\"' and '\"${SLIPWAY_VAR_build_TOKEN_B64}\"''",
    );
    expect(leaks(await cli('pipeline', 'logs', String(run.id), '--json'))).toEqual([]);
    expect(leaks(await cli('pipeline', 'list', '--json'))).toEqual([]);
  });

  it('masks the failed action\'s error message in its reason, output, log and events', async () => {
    // GIVEN the deploy that failed with the secret in its message WHEN its reason and the events are read THEN they are masked
    // ("Y2k6" is base64 of "ci:", three bytes before the secret)
    expect(action('Deploy').reason).toBe('login as ci:*** refused (Y2k6***)');
    expect(action('Deploy').output.message).toBe('login as ci:*** refused (Y2k6***)');
    expect(run.reason).toContain('login as ci:*** refused (Y2k6***)');
    const events = await h.request('GET', `/api/v1/events?limit=1000`);
    expect(events.status).toBe(200);
    expect((events.body.events as unknown[]).length).toBeGreaterThan(5);
    expect(leaks(JSON.stringify(events.body))).toEqual([]);
  });

  it('leaves no encoding of the secret in any row of any table of any database file', () => {
    // GIVEN every SQLite file of the data directory WHEN every text and blob of every row of every table is read THEN none holds an encoding
    const files = fs.readdirSync(h.dataDir).filter((f) => fs.statSync(path.join(h.dataDir, f)).isFile() && fs.readFileSync(path.join(h.dataDir, f)).subarray(0, 16).toString('latin1') === 'SQLite format 3\0');
    expect(files).toContain('slipway.db');
    let cells = 0;
    for (const file of files) {
      const db = new Database(path.join(h.dataDir, file), { readonly: true, fileMustExist: true });
      try {
        const tables = db.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'").all();
        expect(tables.map((t) => t.name)).toEqual(expect.arrayContaining(['pipeline_runs', 'pipeline_action_runs', 'pipeline_logs', 'events', 'pipeline_secrets']));
        for (const { name } of tables) {
          for (const row of db.prepare<[], Record<string, unknown>>(`SELECT * FROM "${name.replace(/"/g, '""')}"`).all()) {
            for (const [column, value] of Object.entries(row)) {
              const texts = typeof value === 'string' ? [value] : Buffer.isBuffer(value) ? [value.toString('utf8'), value.toString('latin1')] : [];
              for (const t of texts) expect(leaks(t), `${file} ${name}.${column}`).toEqual([]);
              cells += texts.length;
            }
          }
        }
      } finally {
        db.close();
      }
      // AND not in the raw bytes either (free pages, the write-ahead log)
      for (const raw of [file, `${file}-wal`].filter((f) => fs.existsSync(path.join(h.dataDir, f)))) {
        expect(leaks(fs.readFileSync(path.join(h.dataDir, raw)).toString('latin1')), raw).toEqual([]);
        expect(leaks(fs.readFileSync(path.join(h.dataDir, raw)).toString('utf8')), raw).toEqual([]);
      }
    }
    expect(cells).toBeGreaterThan(100);
  });
});

describe('a secret variable is read from the store when it is used', () => {
  it('fails the action that uses it, saying why, when the secret was deleted after the build', async () => {
    // GIVEN a build exporting a secret, then an approval, then an action using it
    const g = await pipelineHarness({
      secrets: { 'ci/token': SECRET },
      files: { 'buildspec.yml': buildspec(['true'], 'env:\n  secrets-manager:\n    TOKEN: ci/token\n  exported-variables: [TOKEN]\n') },
      pipeline: { stages: [{ name: 'Build', actions: [{ type: 'build' }] }, { name: 'Approve', actions: [{ type: 'approval' }] }, { name: 'Use', actions: [{ type: 'invoke', name: 'use', command: "test -n '#{build.TOKEN}'" }] }] },
    });
    try {
      const started = await g.pipelines.run();
      await g.waitFor((e) => e.type === 'pipeline.approval.requested' && e.data.runId === started.id);
      // WHEN the secret is deleted from the store before the action runs
      expect(await new SqliteSecretStore({ db: g.db, keyFile: path.join(g.dataDir, 'key') }).delete('ci/token')).toBe(true);
      g.pipelines.approve(started.id);
      const ended = await g.waitForEnd(started.id);
      // THEN the action fails naming the variable and the missing secret, and nothing kept the value
      const use = ended.stages[2]!.actions[0]!;
      expect(use).toMatchObject({ status: 'Failed', reason: 'pipeline variable #{build.TOKEN} is not available: secret ci/token is no longer in the secret store' });
      expect(use.configuration.command).toBe("test -n ''\"${SLIPWAY_VAR_build_TOKEN}\"''");
      expect(leaks(JSON.stringify(ended))).toEqual([]);
    } finally {
      await g.close();
    }
  });
});
