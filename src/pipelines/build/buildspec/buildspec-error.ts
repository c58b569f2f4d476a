import { InputError } from '../../../shared/index.js';

/** One problem of a buildspec, with where it is. */
export interface BuildspecProblem {
  /** 1-based line in the file. */
  readonly line: number;
  /** Dotted path, e.g. `phases.build.commands[0]`; empty for the whole file. */
  readonly path: string;
  readonly message: string;
}

/** Renders a problem as `<file>: line <n>: <path>: <message>`. */
export function formatProblem(file: string, p: BuildspecProblem): string {
  return [file, `line ${p.line}`, p.path, p.message].filter((s) => s !== '').join(': ');
}

/** A buildspec that cannot run; thrown before any command starts. */
export class BuildspecError extends InputError {
  /** Every problem found, first by line. */
  readonly problems: readonly BuildspecProblem[];
  /** The buildspec file. */
  readonly file: string;

  constructor(file: string, problems: readonly BuildspecProblem[]) {
    const sorted = [...problems].sort((a, b) => a.line - b.line);
    super('SLW_ERR_BUILDSPEC_INVALID', sorted.map((p) => formatProblem(file, p)).join('\n'), {
      issues: sorted.map((p) => ({ path: p.path, message: `line ${p.line}: ${p.message}` })),
    });
    this.problems = sorted;
    this.file = file;
  }
}
