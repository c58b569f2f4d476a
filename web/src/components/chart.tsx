import { useEffect, useRef } from 'react';
import uPlot, { type AlignedData, type Options } from 'uplot';
import 'uplot/dist/uPlot.min.css';

/** One line of a {@link TimeChart}. */
export interface ChartSeries {
  readonly label: string;
  readonly values: readonly (number | null)[];
  readonly color: string;
  /** Draw as steps (a value holds until the next point), as weights do. */
  readonly stepped?: boolean;
  readonly fill?: boolean;
  /** Draw as bars (a histogram). */
  readonly bars?: boolean;
}

/** Props of {@link TimeChart}. */
export interface TimeChartProps {
  /** Accessible name of the chart. */
  readonly label: string;
  /** Point times, ms since the epoch, ascending. */
  readonly timestampsMs: readonly number[];
  readonly series: readonly ChartSeries[];
  /** Formats a y value for the axis and the legend. */
  readonly formatY?: (v: number) => string;
  /** Fixed y range, e.g. [0, 100] for percentages. */
  readonly yRange?: readonly [number, number];
  /** @default 200 */
  readonly height?: number;
}

/** A uPlot time-series chart that fills its container's width. */
export function TimeChart({ label, timestampsMs, series, formatY, yRange, height = 200 }: TimeChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | undefined>(undefined);
  const fmt = formatY ?? ((v: number) => String(v));

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const data: AlignedData = [timestampsMs.map((t) => t / 1000), ...series.map((s) => s.values.map((v) => (v === null || !Number.isFinite(v) ? null : v)))];
    const opts: Options = {
      width: Math.max(200, el.clientWidth),
      height,
      padding: [8, 8, 0, 0],
      cursor: { points: { size: 6 }, drag: { x: false, y: false } },
      legend: { live: true },
      scales: { x: { time: true }, y: yRange ? { range: [yRange[0], yRange[1]] } : { range: (_u, min, max) => [Math.min(0, min), max > 0 ? max * 1.1 : 1] } },
      axes: [
        { stroke: '#6b7280', grid: { stroke: '#eef0f3' }, ticks: { stroke: '#e5e7eb' }, font: '11px system-ui, sans-serif' },
        { stroke: '#6b7280', grid: { stroke: '#eef0f3' }, ticks: { stroke: '#e5e7eb' }, font: '11px system-ui, sans-serif', size: 66, values: (_u, vals) => vals.map((v) => fmt(v)) },
      ],
      series: [
        { label: 'time' },
        ...series.map((s) => ({
          label: s.label,
          stroke: s.color,
          width: 2,
          fill: s.fill ? `${s.color}1f` : undefined,
          points: { show: timestampsMs.length < 3 },
          value: (_u: uPlot, v: number | null) => (v === null ? '—' : fmt(v)),
          ...(s.stepped ? { paths: uPlot.paths.stepped?.({ align: 1 }) } : {}),
          ...(s.bars ? { paths: uPlot.paths.bars?.({ size: [0.8, 40] }), fill: `${s.color}cc`, points: { show: false } } : {}),
        })),
      ],
    };
    plot.current?.destroy();
    plot.current = new uPlot(opts, data, el);
    const resize = new ResizeObserver(() => plot.current?.setSize({ width: Math.max(200, el.clientWidth), height }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.current?.destroy();
      plot.current = undefined;
    };
    // formatY is read at creation only: callers pass inline functions, and a new identity must not rebuild the plot.
  }, [timestampsMs, series, height, yRange]);

  return <div className="chart" ref={box} role="img" aria-label={label} />;
}
