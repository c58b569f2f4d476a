import { shortRev } from '../lib/format.js';

/** Colours of revisions in traffic bars and charts, in order of first appearance. */
export const REVISION_COLORS = ['#2456d6', '#8b5cf6', '#0d9488', '#d97706', '#db2777', '#64748b'];

/** A stable colour for a revision within a list of revisions. */
export function revisionColor(index: number): string {
  return REVISION_COLORS[index % REVISION_COLORS.length] ?? '#64748b';
}

/** The traffic split of a service: one segment per revision that has traffic, with a legend. */
export function TrafficBar({ revisions, label }: { revisions: readonly { revision: string; weightPercent: number }[]; label: string }) {
  const total = revisions.reduce((a, r) => a + r.weightPercent, 0);
  const description = revisions
    .filter((r) => r.weightPercent > 0)
    .map((r) => `${shortRev(r.revision)} ${r.weightPercent}%`)
    .join(', ');
  return (
    <div className="traffic">
      <div className="traffic-bar" role="img" aria-label={`${label}: ${description || 'no traffic'}`}>
        {total === 0 ? <span className="traffic-none">no traffic</span> : null}
        {revisions.map((r, i) =>
          r.weightPercent > 0 ? <span key={r.revision} className="traffic-seg" style={{ width: `${(r.weightPercent / Math.max(total, 100)) * 100}%`, background: revisionColor(i) }} /> : null,
        )}
      </div>
      <ul className="traffic-legend">
        {revisions.map((r, i) => (
          <li key={r.revision} className={r.weightPercent === 0 ? 'muted' : undefined}>
            <span className="swatch" style={{ background: revisionColor(i) }} aria-hidden="true" />
            <code>{shortRev(r.revision)}</code> {r.weightPercent}%
          </li>
        ))}
      </ul>
    </div>
  );
}
