import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseBuildspec } from '../../src/pipelines/index.js';

const SHOP = path.resolve(import.meta.dirname, '../../examples/shop');

// Regression: a command with ": " in a plain YAML scalar made the shop's Build fail before it ran a thing.
describe("the shop's buildspecs", () => {
  it.each(['buildspec.yml', 'buildspec.test.yml'])('%s parses as the pipeline reads it', (file) => {
    const spec = parseBuildspec(fs.readFileSync(path.join(SHOP, file), 'utf8'), file);
    expect(Object.keys(spec).length).toBeGreaterThan(0);
  });

  it('bundles the page\'s browser telemetry in the Build', () => {
    const spec = fs.readFileSync(path.join(SHOP, 'buildspec.yml'), 'utf8');
    expect(spec).toContain("import('./rum-bundle.js')");
  });
});
