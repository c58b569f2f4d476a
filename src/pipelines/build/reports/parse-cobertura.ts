import { ReportFormatError, summarizeCoverage, type CoverageSummary } from './report-model.js';
import { attr, child, children, countAttr, parseXml, type XmlElement } from './xml.js';

const LISTS = new Set(['package', 'class', 'line', 'source']);

/** `condition-coverage="50% (1/2)"` → covered 1 of 2. */
function conditions(line: XmlElement): { covered: number; total: number } {
  if (attr(line, 'branch') !== 'true') return { covered: 0, total: 0 };
  const m = /\((\d+)\/(\d+)\)/.exec(attr(line, 'condition-coverage') ?? '');
  if (!m) throw new ReportFormatError(`<line number="${attr(line, 'number') ?? '?'}" branch="true"> has no condition-coverage "(covered/total)"`);
  return { covered: Number(m[1]), total: Number(m[2]) };
}

/**
 * Reads a Cobertura XML coverage report (istanbul/nyc's `cobertura` reporter, coverage.py's
 * `coverage xml`, gcovr, Cobertura itself): `<coverage><packages><package><classes><class
 * filename>` with `<lines><line number hits [branch condition-coverage]>`. Line coverage counts
 * each line number of a file once (covered when any class gives it a hit); branch coverage sums
 * `condition-coverage`'s `(covered/total)`. Throws {@link ReportFormatError} when the root is not
 * `<coverage>` with `<packages>` (a Clover report also has a `<coverage>` root: it is named).
 */
export function parseCoberturaXml(xml: string): CoverageSummary {
  const doc = parseXml(xml, LISTS);
  const root = child(doc, 'coverage');
  if (root === undefined) throw new ReportFormatError('no <coverage> root element');
  if (child(root, 'packages') === undefined) {
    if (child(root, 'project') !== undefined) throw new ReportFormatError('<coverage> has a <project>, as Clover reports do, and no <packages>; is the file-format CLOVERXML?');
    if (attr(root, 'line-rate') === undefined) throw new ReportFormatError('<coverage> has neither <packages> nor a line-rate');
  }
  const lines = new Map<string, Map<number, { hit: boolean; covered: number; total: number }>>();
  for (const pkg of children(child(root, 'packages'), 'package')) {
    for (const cls of children(child(pkg, 'classes'), 'class')) {
      const file = attr(cls, 'filename') ?? attr(cls, 'name');
      if (file === undefined) throw new ReportFormatError('<class> has no filename');
      const perLine = lines.get(file) ?? new Map<number, { hit: boolean; covered: number; total: number }>();
      lines.set(file, perLine);
      for (const line of children(child(cls, 'lines'), 'line')) {
        const n = countAttr(line, 'line', 'number');
        const hit = countAttr(line, 'line', 'hits', 0) > 0;
        const b = conditions(line);
        const seen = perLine.get(n);
        perLine.set(n, seen === undefined ? { hit, ...b } : { hit: seen.hit || hit, covered: Math.max(seen.covered, b.covered), total: Math.max(seen.total, b.total) });
      }
    }
  }
  return summarizeCoverage(
    [...lines.entries()].map(([path, perLine]) => {
      const all = [...perLine.values()];
      return {
        path,
        lines: { covered: all.filter((l) => l.hit).length, total: all.length },
        branches: { covered: all.reduce((s, l) => s + l.covered, 0), total: all.reduce((s, l) => s + l.total, 0) },
      };
    }),
  );
}
