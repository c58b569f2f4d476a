import { z } from 'zod';
import { formatPath } from '../../../shared/index.js';
import { ReportFormatError, summarizeCoverage, type CoverageSummary } from './report-model.js';

/** Hits per line: null for a line that is not code, `"ignored"` for a `:nocov:` line. */
const lineHits = z.array(z.union([z.number().int().nonnegative(), z.null(), z.literal('ignored')]));
/** `.resultset.json` branches: condition → { branch → hits }. */
const resultsetBranches = z.record(z.string(), z.record(z.string(), z.number().int().nonnegative()));
/** simplecov_json_formatter branches: one entry per branch. */
const formatterBranches = z.array(z.looseObject({ coverage: z.union([z.number().int().nonnegative(), z.literal('ignored')]) }));
const fileEntry = z.union([lineHits, z.looseObject({ lines: lineHits, branches: z.union([resultsetBranches, formatterBranches]).optional() })]);

/** `coverage/.resultset.json`, SimpleCov's own store: `{ <command>: { coverage: { <file>: … }, timestamp } }`. */
const resultset = z.record(z.string(), z.looseObject({ coverage: z.record(z.string(), fileEntry), timestamp: z.number().optional() }));
/** `coverage/coverage.json` of simplecov_json_formatter (SimpleCov ≥ 0.22's JSON): `{ meta, coverage: { <file>: … } }`. */
const formatter = z.looseObject({ coverage: z.record(z.string(), fileEntry) });
/** `coverage/coverage.json` of the simplecov-json gem: `{ files: [{ filename, coverage }], metrics }`. */
const gem = z.looseObject({ files: z.array(z.looseObject({ filename: z.string(), coverage: fileEntry })) });

type FileEntry = z.output<typeof fileEntry>;
type Hits = { lines: (number | null)[]; branches: Map<string, number> };

function merge(into: Map<string, Hits>, file: string, entry: FileEntry): void {
  const lines = Array.isArray(entry) ? entry : entry.lines;
  const branches = Array.isArray(entry) ? undefined : entry.branches;
  const seen = into.get(file) ?? { lines: [], branches: new Map<string, number>() };
  // Several test commands (RSpec, Minitest) are merged as SimpleCov does: hits add up.
  lines.forEach((h, i) => {
    if (h === null || h === 'ignored') return;
    seen.lines[i] = (seen.lines[i] ?? 0) + h;
  });
  if (Array.isArray(branches)) {
    branches.forEach((b, i) => {
      if (b.coverage !== 'ignored') seen.branches.set(String(i), (seen.branches.get(String(i)) ?? 0) + b.coverage);
    });
  } else if (branches !== undefined) {
    for (const [condition, outcomes] of Object.entries(branches)) {
      for (const [branch, hits] of Object.entries(outcomes)) seen.branches.set(`${condition} ${branch}`, (seen.branches.get(`${condition} ${branch}`) ?? 0) + hits);
    }
  }
  into.set(file, seen);
}

/**
 * Reads SimpleCov (Ruby) coverage: its `.resultset.json`, the JSON of simplecov_json_formatter
 * (`coverage/coverage.json`, SimpleCov 0.22+) or of the simplecov-json gem. Lines are the
 * entries of each file's hit list that are not null or `"ignored"` (covered when above 0);
 * branches, when recorded (`enable_coverage :branch`), each outcome of each condition. Results
 * of several commands are merged by adding hits. Throws {@link ReportFormatError} for text that is
 * not JSON or none of these shapes.
 */
export function parseSimplecov(json: string): CoverageSummary {
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch (err) {
    throw new ReportFormatError(`not JSON: ${(err as Error).message}`);
  }
  const hits = new Map<string, Hits>();
  const isObject = typeof data === 'object' && data !== null && !Array.isArray(data);
  const shape = !isObject ? undefined : 'files' in (data as object) ? gem : 'coverage' in (data as object) ? formatter : resultset;
  const parsed = shape?.safeParse(data);
  if (shape === undefined || parsed === undefined || !parsed.success) {
    const issue = parsed?.success === false ? parsed.error.issues[0] : undefined;
    throw new ReportFormatError(`not a SimpleCov report (.resultset.json or coverage.json)${issue ? `: ${formatPath(issue.path) || '(root)'}: ${issue.message}` : ''}`);
  }
  if (shape === gem) for (const f of gem.parse(data).files) merge(hits, f.filename, f.coverage);
  else if (shape === formatter) for (const [file, entry] of Object.entries(formatter.parse(data).coverage)) merge(hits, file, entry);
  else for (const run of Object.values(resultset.parse(data))) for (const [file, entry] of Object.entries(run.coverage)) merge(hits, file, entry);
  return summarizeCoverage(
    [...hits.entries()].map(([path, h]) => {
      const lines = h.lines.filter((x): x is number => x !== undefined && x !== null);
      const branches = [...h.branches.values()];
      return { path, lines: { covered: lines.filter((x) => x > 0).length, total: lines.length }, branches: { covered: branches.filter((x) => x > 0).length, total: branches.length } };
    }),
  );
}
