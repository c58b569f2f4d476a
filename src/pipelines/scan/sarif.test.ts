import { describe, expect, it } from 'vitest';
import { levelAtLeast, readSarif } from './sarif.js';

const log = (runs: unknown[]) => JSON.stringify({ $schema: 'https://json.schemastore.org/sarif-2.1.0.json', version: '2.1.0', runs });

describe('readSarif', () => {
  it('reads each result with its rule, level, message, file and line', () => {
    // GIVEN a SARIF log as a tool such as Semgrep writes it: rules with default levels, results by ruleId and by ruleIndex
    const text = log([
      {
        tool: { driver: { name: 'Semgrep', rules: [{ id: 'sql-injection', defaultConfiguration: { level: 'error' } }, { id: 'weak-hash', defaultConfiguration: { level: 'note' } }] } },
        results: [
          { ruleId: 'sql-injection', message: { text: 'user input in a query' }, locations: [{ physicalLocation: { artifactLocation: { uri: 'file:///work/checkout/src/db.js' }, region: { startLine: 12 } } }] },
          { ruleIndex: 1, message: { text: 'md5' }, locations: [{ physicalLocation: { artifactLocation: { uri: 'src/hash.js' }, region: { startLine: 3 } } }] },
          { ruleId: 'unlisted', level: 'warning', message: { text: 'w' } },
          { ruleId: 'sql-injection', kind: 'pass', message: { text: 'checked' } },
          { ruleId: 'other', message: { text: 'no level anywhere' }, locations: [{ physicalLocation: { artifactLocation: { uri: './a.js' } } }] },
        ],
      },
    ]);
    // WHEN read THEN levels come from the result, else the rule's default, else warning; a pass is none; paths are relative to the checkout
    expect(readSarif(text, '/work/checkout')).toEqual({
      ok: true,
      tool: 'Semgrep',
      findings: [
        { rule: 'sql-injection', level: 'error', message: 'user input in a query', file: 'src/db.js', line: 12 },
        { rule: 'weak-hash', level: 'note', message: 'md5', file: 'src/hash.js', line: 3 },
        { rule: 'unlisted', level: 'warning', message: 'w', file: '', line: 0 },
        { rule: 'sql-injection', level: 'none', message: 'checked', file: '', line: 0 },
        { rule: 'other', level: 'warning', message: 'no level anywhere', file: 'a.js', line: 0 },
      ],
    });
  });

  it.each([
    ['not JSON', '{"version":', /^is not JSON: /],
    ['another version', JSON.stringify({ version: '2.0.0', runs: [] }), /^is not a SARIF 2\.1\.0 log: version: expected version "2\.1\.0" \(SARIF 2\.1\.0\), got "2\.0\.0"$/],
    ['no runs', JSON.stringify({ version: '2.1.0' }), /^is not a SARIF 2\.1\.0 log: runs: /],
    ['a run without a tool name', log([{ tool: { driver: {} } }]), /^is not a SARIF 2\.1\.0 log: runs\[0\]\.tool\.driver\.name: /],
    ['a result whose message is a string', log([{ tool: { driver: { name: 't' } }, results: [{ ruleId: 'r', message: 'x' }] }]), /^is not a SARIF 2\.1\.0 log: runs\[0\]\.results\[0\]\.message: /],
    ['an unknown level', log([{ tool: { driver: { name: 't' } }, results: [{ ruleId: 'r', level: 'critical', message: { text: 'x' } }] }]), /^is not a SARIF 2\.1\.0 log: runs\[0\]\.results\[0\]\.level: /],
  ])('refuses %s, saying what is wrong where', (_name, text, message) => {
    const r = readSarif(text, '/w');
    expect(r.ok).toBe(false);
    expect(!r.ok && r.message).toMatch(message);
  });
});

describe('levelAtLeast', () => {
  it.each([
    ['error', 'error', true], ['warning', 'error', false], ['warning', 'warning', true], ['error', 'note', true], ['note', 'warning', false], ['none', 'note', false],
  ] as const)('%s at or above %s: %s', (level, failOn, expected) => expect(levelAtLeast(level, failOn)).toBe(expected));
});
