/** One row of a {@link CiPlot}: a variant's difference from the control and its interval. */
export interface CiRow {
  readonly variant: string;
  readonly difference: number;
  readonly ci: readonly [number, number];
  /** Colours the interval: better green, worse red, otherwise blue. */
  readonly tone: 'better' | 'worse' | 'none';
}

const WIDTH = 600;
const ROW = 34;
const LEFT = 90;
const RIGHT = 20;
const AXIS = 24;
const MIN_LABEL_GAP = 80;

/**
 * Differences from the control as a horizontal interval plot: one row per variant, its interval as
 * a bar with the point estimate, and the zero line (no difference) dashed. An interval that does not
 * cross the line is a difference at that confidence. Plain SVG: a few lines need no chart library.
 */
export function CiPlot({ rows, label, format }: { rows: readonly CiRow[]; label: string; format: (d: number) => string }) {
  const bounds = rows.flatMap((r) => [r.ci[0], r.ci[1]]);
  let lo = Math.min(0, ...bounds);
  let hi = Math.max(0, ...bounds);
  if (hi - lo === 0) [lo, hi] = [-1, 1];
  const pad = (hi - lo) * 0.08;
  [lo, hi] = [lo - pad, hi + pad];
  const x = (v: number): number => LEFT + ((v - lo) / (hi - lo)) * (WIDTH - LEFT - RIGHT);
  const height = rows.length * ROW + AXIS;
  return (
    <svg className="ci-plot" viewBox={`0 0 ${WIDTH} ${height}`} role="img" aria-label={label} data-lo={lo} data-hi={hi}>
      <line className="ci-zero" x1={x(0)} x2={x(0)} y1={0} y2={rows.length * ROW} data-zero />
      {rows.map((r, i) => {
        const y = i * ROW + ROW / 2;
        return (
          <g key={r.variant} data-variant={r.variant}>
            <title>{`${r.variant}: ${format(r.difference)} (${format(r.ci[0])} to ${format(r.ci[1])})`}</title>
            <text className="ci-label" x={LEFT - 8} y={y + 4} textAnchor="end">
              {r.variant}
            </text>
            <line className={`ci-line ci-${r.tone}`} x1={x(r.ci[0])} x2={x(r.ci[1])} y1={y} y2={y} data-ci-lo={r.ci[0]} data-ci-hi={r.ci[1]} />
            <circle className={`ci-point ci-${r.tone}`} cx={x(r.difference)} cy={y} r={5} data-difference={r.difference} />
          </g>
        );
      })}
      <text x={x(0)} y={height - 6} textAnchor="middle">
        0
      </text>
      {/* The ends of the axis, unless they would overlap the zero's label. */}
      {x(0) - LEFT > MIN_LABEL_GAP ? (
        <text x={LEFT} y={height - 6} textAnchor="start">
          {format(lo)}
        </text>
      ) : null}
      {WIDTH - RIGHT - x(0) > MIN_LABEL_GAP ? (
        <text x={WIDTH - RIGHT} y={height - 6} textAnchor="end">
          {format(hi)}
        </text>
      ) : null}
    </svg>
  );
}
