import { ReportFormatError, summarizeCoverage, type CoverageSummary } from './report-model.js';
import { attr, child, children, countAttr, parseXml, type XmlElement } from './xml.js';

const LISTS = new Set(['group', 'package', 'sourcefile', 'counter', 'line', 'class']);

function counter(el: XmlElement, type: 'LINE' | 'BRANCH'): { covered: number; total: number } {
  const c = children(el, 'counter').find((x) => attr(x, 'type') === type);
  if (c === undefined) return { covered: 0, total: 0 };
  const covered = countAttr(c, 'counter', 'covered');
  return { covered, total: covered + countAttr(c, 'counter', 'missed') };
}

/**
 * Reads a JaCoCo XML coverage report (`jacoco:report`, Gradle's `jacocoTestReport` with
 * `xml.required`): `<report>` with `<group>`s and `<package>`s holding `<sourcefile>`s. Each
 * source file's `LINE` and `BRANCH` counters give its coverage (`covered` of `covered + missed`);
 * its path is the package's name joined with the file's. Throws {@link ReportFormatError} when
 * the root is not `<report>`.
 */
export function parseJacocoXml(xml: string): CoverageSummary {
  const doc = parseXml(xml, LISTS);
  const root = child(doc, 'report');
  if (root === undefined) throw new ReportFormatError('no <report> root element');
  const files: { path: string; lines: { covered: number; total: number }; branches: { covered: number; total: number } }[] = [];
  const visit = (group: XmlElement): void => {
    for (const pkg of children(group, 'package')) {
      const name = attr(pkg, 'name') ?? '';
      for (const sf of children(pkg, 'sourcefile')) {
        const file = attr(sf, 'name');
        if (file === undefined) throw new ReportFormatError(`<sourcefile> in package "${name}" has no name`);
        files.push({ path: name === '' ? file : `${name}/${file}`, lines: counter(sf, 'LINE'), branches: counter(sf, 'BRANCH') });
      }
    }
    children(group, 'group').forEach(visit);
  };
  visit(root);
  return summarizeCoverage(files);
}
