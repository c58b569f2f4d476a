import { ReportFormatError, summarizeCoverage, type CoverageSummary } from './report-model.js';
import { attr, child, children, countAttr, parseXml, type XmlElement } from './xml.js';

const LISTS = new Set(['package', 'file', 'line']);

function fileCoverage(file: XmlElement) {
  const path = attr(file, 'path') ?? attr(file, 'name');
  if (path === undefined) throw new ReportFormatError('<file> has neither path nor name');
  const perLine = new Map<number, boolean>();
  let covered = 0;
  let total = 0;
  for (const line of children(file, 'line')) {
    const type = attr(line, 'type');
    if (type !== 'stmt' && type !== 'cond') continue;
    const n = countAttr(line, 'line', 'num');
    perLine.set(n, (perLine.get(n) ?? false) || countAttr(line, 'line', 'count', 0) > 0);
    if (type === 'cond') {
      // A condition has two outcomes; each one taken at least once is covered.
      total += 2;
      covered += (countAttr(line, 'line', 'truecount', 0) > 0 ? 1 : 0) + (countAttr(line, 'line', 'falsecount', 0) > 0 ? 1 : 0);
    }
  }
  const metrics = child(file, 'metrics');
  const branches = metrics !== undefined && attr(metrics, 'conditionals') !== undefined
    ? { covered: countAttr(metrics, 'metrics', 'coveredconditionals', 0), total: countAttr(metrics, 'metrics', 'conditionals') }
    : { covered, total };
  const hits = [...perLine.values()];
  return { path, lines: { covered: hits.filter(Boolean).length, total: hits.length }, branches };
}

/**
 * Reads a Clover XML coverage report (istanbul/nyc's `clover` reporter, PHPUnit, OpenClover):
 * `<coverage><project>` with `<package>`s and `<file>`s holding `<line num type count>`. Line
 * coverage counts each `stmt`/`cond` line once (covered when its count is above 0); branch
 * coverage is the file's `<metrics conditionals coveredconditionals>`, or, without it, two
 * outcomes per `cond` line (`truecount`, `falsecount`). Throws {@link ReportFormatError} when
 * there is no `<coverage><project>`.
 */
export function parseCloverXml(xml: string): CoverageSummary {
  const doc = parseXml(xml, LISTS);
  const root = child(doc, 'coverage');
  if (root === undefined) throw new ReportFormatError('no <coverage> root element');
  const project = child(root, 'project');
  if (project === undefined) {
    if (child(root, 'packages') !== undefined) throw new ReportFormatError('<coverage> has <packages>, as Cobertura reports do, and no <project>; is the file-format COBERTURAXML?');
    throw new ReportFormatError('<coverage> has no <project>');
  }
  const files = [...children(project, 'file'), ...children(project, 'package').flatMap((p) => children(p, 'file'))];
  return summarizeCoverage(files.map(fileCoverage));
}
