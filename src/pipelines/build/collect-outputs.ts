import fs from 'node:fs';
import path from 'node:path';
import type { ArtifactFile } from '../artifacts/index.js';
import type { CompiledArtifacts, CompiledReport } from './buildspec/index.js';
import { matchFiles } from './glob.js';
import type { TestReport } from './model.js';
import { parseJunitXml } from './reports/parse-junit.js';

function insideDir(root: string, rel: string): string {
  const dir = path.resolve(root, rel);
  const back = path.relative(root, dir);
  if (back.startsWith('..') || path.isAbsolute(back)) throw new Error(`base-directory ${rel} is outside the source directory`);
  return dir;
}

/**
 * The files `artifacts` selects: globs relative to `base-directory`, minus
 * `exclude-paths`; with `discard-paths` only the base names are kept.
 * Throws when nothing matches (CodeBuild: no matching artifact paths found).
 */
export function collectArtifactFiles(sourceDir: string, spec: CompiledArtifacts): ArtifactFile[] {
  const base = insideDir(sourceDir, spec.baseDirectory);
  const files = matchFiles(base, spec.files, spec.excludePaths);
  if (files.length === 0) throw new Error(`no matching artifact paths found for ${spec.files.join(', ')} in ${spec.baseDirectory}`);
  return files.map((f) => ({ path: spec.discardPaths ? path.posix.basename(f) : f, sourcePath: path.join(base, f) }));
}

/** Reads a report group's JUnit XML files and sums them. */
export function collectReport(sourceDir: string, spec: CompiledReport): TestReport {
  const empty = { name: spec.name, files: [], tests: 0, failures: 0, errors: 0, skipped: 0, durationMs: 0, cases: [] };
  let base: string;
  let files: string[];
  try {
    base = insideDir(sourceDir, spec.baseDirectory);
    files = matchFiles(base, spec.files);
  } catch (err) {
    return { ...empty, status: 'Error', error: (err as Error).message };
  }
  if (files.length === 0) return { ...empty, status: 'Error', error: `no report files match ${spec.files.join(', ')}` };
  let sum = { tests: 0, failures: 0, errors: 0, skipped: 0, durationMs: 0, cases: [] as TestReport['cases'] };
  for (const f of files) {
    try {
      const r = parseJunitXml(fs.readFileSync(path.join(base, f), 'utf8'));
      sum = {
        tests: sum.tests + r.tests,
        failures: sum.failures + r.failures,
        errors: sum.errors + r.errors,
        skipped: sum.skipped + r.skipped,
        durationMs: sum.durationMs + r.durationMs,
        cases: [...sum.cases, ...r.cases],
      };
    } catch (err) {
      return { ...empty, ...sum, files, status: 'Error', error: `${f}: ${(err as Error).message}` };
    }
  }
  return { name: spec.name, files, ...sum, status: sum.failures + sum.errors > 0 ? 'Failed' : 'Succeeded' };
}
