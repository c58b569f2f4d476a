import fs from 'node:fs';
import path from 'node:path';
import type { ArtifactFile } from '../artifacts/index.js';
import type { CompiledArtifacts, CompiledCoverageReport, CompiledTestReport } from './buildspec/index.js';
import { matchFiles } from './glob.js';
import type { CoverageReport, TestReport } from './model.js';
import { readCoverageReport, readTestReport } from './reports/read-report.js';
import { coverageCounts, summarizeCoverage, type FileCoverage, type TestCaseResult } from './reports/report-model.js';

function insideDir(root: string, rel: string): string {
  const dir = path.resolve(root, rel);
  const back = path.relative(root, dir);
  if (back.startsWith('..') || path.isAbsolute(back)) throw new Error(`base-directory ${rel} is outside the source directory`);
  return dir;
}

/**
 * The files `artifacts` (or one secondary artifact) selects: globs relative to
 * `base-directory`, `!` patterns and `exclude-paths` left out; with `discard-paths` only the
 * base names are kept. Throws when nothing matches (CodeBuild: no matching artifact paths found).
 */
export function collectArtifactFiles(sourceDir: string, spec: CompiledArtifacts): ArtifactFile[] {
  const base = insideDir(sourceDir, spec.baseDirectory);
  const files = matchFiles(base, spec.files, spec.excludePaths);
  if (files.length === 0) throw new Error(`no matching artifact paths found for ${spec.files.join(', ')} in ${spec.baseDirectory}`);
  return files.map((f) => ({ path: spec.discardPaths ? path.posix.basename(f) : f, sourcePath: path.join(base, f) }));
}

/** The report files of a group, or why there are none. */
function reportFiles(sourceDir: string, spec: CompiledTestReport | CompiledCoverageReport): { base: string; files: string[] } | { error: string } {
  try {
    const base = insideDir(sourceDir, spec.baseDirectory);
    const files = matchFiles(base, spec.files);
    return files.length === 0 ? { error: `no report files match ${spec.files.join(', ')}` } : { base, files };
  } catch (err) {
    return { error: (err as Error).message };
  }
}

function readError(file: string, format: string, err: unknown): string {
  return `${file} is not a ${format} file: ${(err as Error).message}`;
}

/**
 * Reads a test report group's files (JUnit XML or Cucumber JSON) and sums them. A file that is
 * not of the group's format makes the report `Error` (naming the file and format); the other
 * files are still counted.
 */
export function collectTestReport(sourceDir: string, spec: CompiledTestReport): TestReport {
  const head = { name: spec.name, type: 'TEST' as const, fileFormat: spec.fileFormat };
  const found = reportFiles(sourceDir, spec);
  if ('error' in found) return { ...head, status: 'Error', files: [], tests: 0, passed: 0, failures: 0, errors: 0, skipped: 0, durationMs: 0, cases: [], error: found.error };
  const sum = { tests: 0, passed: 0, failures: 0, errors: 0, skipped: 0, durationMs: 0 };
  const cases: TestCaseResult[] = [];
  const problems: string[] = [];
  for (const f of found.files) {
    try {
      const r = readTestReport(spec.fileFormat, fs.readFileSync(path.join(found.base, f), 'utf8'));
      for (const k of Object.keys(sum) as (keyof typeof sum)[]) sum[k] += r[k];
      cases.push(...r.cases);
    } catch (err) {
      problems.push(readError(f, spec.fileFormat, err));
    }
  }
  const status = problems.length > 0 ? 'Error' : sum.failures + sum.errors > 0 ? 'Failed' : 'Succeeded';
  return { ...head, status, files: found.files, ...sum, cases, ...(problems.length > 0 ? { error: problems.join('; ') } : {}) };
}

/** A report's path for a source file: relative to the source directory when it is an absolute path inside it. */
function sourcePath(sourceDir: string, file: string): string {
  if (!path.isAbsolute(file)) return file;
  const rel = path.relative(sourceDir, file);
  return rel.startsWith('..') || path.isAbsolute(rel) ? file : rel.split(path.sep).join('/');
}

/**
 * Reads a code-coverage report group's files and sums them per source file. A file that is not
 * of the group's format makes the report `Error` (naming the file and format); the other files
 * are still counted.
 */
export function collectCoverageReport(sourceDir: string, spec: CompiledCoverageReport): CoverageReport {
  const head = { name: spec.name, type: 'CODE_COVERAGE' as const, fileFormat: spec.fileFormat };
  const found = reportFiles(sourceDir, spec);
  if ('error' in found) return { ...head, status: 'Error', files: [], lines: coverageCounts(0, 0), branches: coverageCounts(0, 0), coveredFiles: [], error: found.error };
  const all: FileCoverage[] = [];
  const problems: string[] = [];
  for (const f of found.files) {
    try {
      const r = readCoverageReport(spec.fileFormat, fs.readFileSync(path.join(found.base, f), 'utf8'));
      all.push(...r.files.map((c) => ({ ...c, path: sourcePath(sourceDir, c.path) })));
    } catch (err) {
      problems.push(readError(f, spec.fileFormat, err));
    }
  }
  const summary = summarizeCoverage(all);
  return {
    ...head,
    status: problems.length > 0 ? 'Error' : 'Succeeded',
    files: found.files,
    lines: summary.lines,
    branches: summary.branches,
    coveredFiles: summary.files,
    ...(problems.length > 0 ? { error: problems.join('; ') } : {}),
  };
}
