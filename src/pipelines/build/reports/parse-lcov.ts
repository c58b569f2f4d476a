import { ReportFormatError, summarizeCoverage, type CoverageSummary } from './report-model.js';

/**
 * Reads an LCOV tracefile (`lcov.info`: c8, istanbul/nyc's `lcov`, genhtml's input, llvm-cov
 * export): one record per source file from `SF:` to `end_of_record`. Lines come from `DA:<line>,<hits>`
 * (each line once, covered when hit), branches from `BRDA:<line>,<block>,<branch>,<taken>` (`-`
 * is not taken); a record without `DA`/`BRDA` lines uses its `LF`/`LH` and `BRF`/`BRH`.
 * Throws {@link ReportFormatError} with the line number for anything that is not an LCOV line.
 */
export function parseLcov(text: string): CoverageSummary {
  const files: { path: string; lines: { covered: number; total: number }; branches: { covered: number; total: number } }[] = [];
  let current: { path: string; da: Map<number, boolean>; brda: Map<string, boolean>; lf?: number; lh?: number; brf?: number; brh?: number } | undefined;
  const lines = text.split(/\r?\n/);
  const num = (v: string | undefined, at: number, what: string): number => {
    if (v === undefined || !/^\d+$/.test(v)) throw new ReportFormatError(`line ${at}: ${what}: expected a whole number, got ${JSON.stringify(v ?? '')}`);
    return Number(v);
  };
  lines.forEach((raw, i) => {
    const at = i + 1;
    const line = raw.trim();
    if (line === '') return;
    if (line === 'end_of_record') {
      if (current === undefined) throw new ReportFormatError(`line ${at}: end_of_record without SF:`);
      const da = [...current.da.values()];
      const brda = [...current.brda.values()];
      files.push({
        path: current.path,
        lines: da.length > 0 ? { covered: da.filter(Boolean).length, total: da.length } : { covered: current.lh ?? 0, total: current.lf ?? 0 },
        branches: brda.length > 0 ? { covered: brda.filter(Boolean).length, total: brda.length } : { covered: current.brh ?? 0, total: current.brf ?? 0 },
      });
      current = undefined;
      return;
    }
    const m = /^([A-Z]+):(.*)$/.exec(line);
    if (!m) throw new ReportFormatError(`line ${at}: not an LCOV line: ${JSON.stringify(line.slice(0, 80))}`);
    const [, key, value = ''] = m;
    if (key === 'SF') {
      if (current !== undefined) throw new ReportFormatError(`line ${at}: SF: before the end_of_record of ${current.path}`);
      current = { path: value, da: new Map(), brda: new Map() };
      return;
    }
    if (key === 'TN' || key === 'VER') return;
    if (current === undefined) throw new ReportFormatError(`line ${at}: ${key}: outside a record (no SF: before it)`);
    const parts = value.split(',');
    if (key === 'DA') {
      const n = num(parts[0], at, 'DA line');
      // gcov writes a negative count for lines it could not measure: not covered.
      const hits = /^-\d+$/.test(parts[1] ?? '') ? 0 : num(parts[1], at, 'DA hits');
      current.da.set(n, (current.da.get(n) ?? false) || hits > 0);
    } else if (key === 'BRDA') {
      if (parts.length < 4) throw new ReportFormatError(`line ${at}: BRDA: expected <line>,<block>,<branch>,<taken>`);
      const taken = parts[3] === '-' ? 0 : num(parts[3], at, 'BRDA taken');
      const id = parts.slice(0, 3).join(',');
      current.brda.set(id, (current.brda.get(id) ?? false) || taken > 0);
    } else if (key === 'LF') current.lf = num(value, at, 'LF');
    else if (key === 'LH') current.lh = num(value, at, 'LH');
    else if (key === 'BRF') current.brf = num(value, at, 'BRF');
    else if (key === 'BRH') current.brh = num(value, at, 'BRH');
    // FN, FNDA, FNF, FNH, FNL, FNA: function coverage, not reported.
  });
  if (current !== undefined) throw new ReportFormatError(`the record of ${current.path} has no end_of_record`);
  if (files.length === 0) throw new ReportFormatError('no SF: record');
  return summarizeCoverage(files);
}
