import { afterEach, describe, expect, it } from 'vitest';
import type { AnalysisOutputDto, PipelineActionDto } from '../../src/shared/index.js';
import { pipelineHarness, type Harness } from './pipelines-harness.js';

/** A tool that writes a SARIF 2.1.0 log with one `note` (or, with BROKEN, a log whose result has no message). */
const TOOL = `const fs = require('node:fs');
fs.mkdirSync('out', { recursive: true });
const result = process.env.BROKEN ? { ruleId: 'weak-hash', level: 'note' } : { ruleId: 'weak-hash', level: 'note', message: { text: 'md5 is weak' }, locations: [{ physicalLocation: { artifactLocation: { uri: 'src/hash.js' }, region: { startLine: 4 } } }] };
fs.writeFileSync('out/result.sarif', JSON.stringify({ version: '2.1.0', runs: [{ tool: { driver: { name: 'HashCheck' } }, results: [result] }] }));
process.exit(1); // as many SARIF tools do when they find something
`;

describe('analyze actions in a real pipeline run', () => {
  let h: Harness;
  afterEach(async () => h?.close());

  it('fails on ESLint security errors and passes a SARIF note below failOn; a malformed SARIF log fails naming the file and what is wrong', async () => {
    // GIVEN a commit with eval in its code, and a SARIF tool reporting one note
    h = await pipelineHarness({
      pipeline: {
        stages: [
          {
            name: 'Analyze',
            actions: [
              { type: 'analyze', name: 'eslint' },
              { type: 'analyze', name: 'hashes', command: 'node tool.cjs', sarif: 'out/result.sarif', failOn: 'warning' },
            ],
          },
        ],
      },
      files: { 'src/app.js': 'const input = process.argv[2];\nmodule.exports = eval(input);\n', 'src/hash.js': 'module.exports = 1;\n', 'tool.cjs': TOOL },
    });
    // WHEN it runs
    const run = await h.waitForEnd((await h.pipelines.run()).id, { timeoutMs: 60_000 });
    const [eslint, hashes] = run.stages[0]!.actions as [PipelineActionDto, PipelineActionDto];
    // THEN ESLint's finding fails its action and the run, with the finding stored by rule, file and line
    expect(run.status).toBe('Failed');
    expect(eslint.status).toBe('Failed');
    expect(eslint.reason).toBe('static analysis (ESLint) found 1 error at or above error');
    const found = eslint.output.analysis as AnalysisOutputDto;
    expect(found).toMatchObject({ tool: 'ESLint', failOn: 'error', counts: { error: 1, warning: 0, note: 0, none: 0 }, findingsOmitted: 0 });
    expect(found.findings).toEqual([{ rule: 'no-eval', level: 'error', message: 'eval can be harmful.', file: 'src/app.js', line: 2 }]);
    // AND the SARIF tool's note is below failOn: it passes (its non-zero exit does not decide), with the note stored
    expect(hashes.status).toBe('Succeeded');
    expect(hashes.output.analysis).toEqual({ tool: 'HashCheck', failOn: 'warning', counts: { error: 0, warning: 0, note: 1, none: 0 }, findings: [{ rule: 'weak-hash', level: 'note', message: 'md5 is weak', file: 'src/hash.js', line: 4 }], findingsOmitted: 0 });
    const events = h.events.list({ type: 'pipeline.analysis.completed', limit: 10 }).map((e) => e.data as { action: string; passed: boolean; error: number });
    expect(events.sort((a, b) => a.action.localeCompare(b.action))).toMatchObject([{ action: 'eslint', passed: false, error: 1 }, { action: 'hashes', passed: true, error: 0 }]);

    // WHEN the code is fixed and the tool writes a malformed log
    await h.commit({ 'src/app.js': 'module.exports = JSON.parse(process.argv[2]);\n', 'tool.cjs': TOOL.replace('process.env.BROKEN', 'true') });
    const second = await h.waitForEnd((await h.pipelines.run()).id, { timeoutMs: 60_000 });
    const [eslint2, hashes2] = second.stages[0]!.actions as [PipelineActionDto, PipelineActionDto];
    // THEN ESLint passes and the malformed log fails its action, naming the file and the field
    expect(eslint2.status).toBe('Succeeded');
    expect(hashes2.status).toBe('Failed');
    expect(hashes2.reason).toMatch(/^the SARIF file out\/result\.sarif is not a SARIF 2\.1\.0 log: runs\[0\]\.results\[0\]\.message: /);
  }, 120_000);
});
