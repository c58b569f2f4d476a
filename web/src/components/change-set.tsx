import type { AttributeChange, Change, ChangeAction, ChangeEffect, ChangeSet } from '../../../src/shared/index.js';

const ACTION_MARK: Readonly<Record<ChangeAction, string>> = { Add: '+', Modify: '~', Remove: '-' };
const EFFECT_TONE: Readonly<Record<ChangeEffect, string>> = { 'in-place': 'idle', rolling: 'wait', replacement: 'fail' };
/** Longer values are cut in the table; the whole value is in the tooltip. */
const VALUE_CHARS = 48;
/** An Add or Remove lists every attribute: past this many they fold away. */
const OPEN_ATTRIBUTES = 6;

/** `1 to add, 3 to change, 0 to remove`, counted from the changes themselves. */
export function summaryText(changes: readonly Change[]): string {
  const count = (a: ChangeAction) => changes.filter((c) => c.action === a).length;
  return `${count('Add')} to add, ${count('Modify')} to change, ${count('Remove')} to remove`;
}

/** An attribute value as JSON, cut to {@link VALUE_CHARS}; an attribute that does not exist reads `(none)`. */
export function valueText(v: unknown): { short: string; full: string } {
  if (v === undefined) return { short: '(none)', full: '(none)' };
  const full = JSON.stringify(v) ?? String(v);
  return { short: full.length > VALUE_CHARS ? `${full.slice(0, VALUE_CHARS - 1)}…` : full, full };
}

function Value({ v, className }: { v: AttributeChange['old']; className: string }) {
  const { short, full } = valueText(v);
  return (
    <code className={className} title={full.length > short.length ? full : undefined}>
      {short}
    </code>
  );
}

function Attribute({ a, marked }: { a: AttributeChange; marked: boolean }) {
  return (
    <li>
      <code>{a.path}</code>: <Value v={a.old} className="plan-old" /> <span aria-label="becomes">→</span> <Value v={a.new} className="plan-new" />
      {marked ? <span className={`small tone-text-${EFFECT_TONE[a.effect]}`}> ({a.effect})</span> : null}
    </li>
  );
}

function Attributes({ change }: { change: Change }) {
  if (change.attributes.length === 0) return <span className="muted">—</span>;
  const list = (
    <ul className="plan-attrs">
      {change.attributes.map((a) => (
        // Among several attributes, say which one makes the change roll or replace.
        <Attribute key={a.path} a={a} marked={a.effect !== 'in-place' && change.attributes.length > 1} />
      ))}
    </ul>
  );
  if (change.action === 'Modify' || change.attributes.length <= OPEN_ATTRIBUTES) return list;
  return (
    <details>
      <summary className="small">{change.attributes.length} attributes</summary>
      {list}
    </details>
  );
}

/**
 * A change set as `terraform plan` or a CloudFormation change set shows it: one row per change
 * in apply order, the action coloured, the effect (a replacement stands out), and each
 * attribute's old → new; the summary line on top and the reasons a plan is destructive.
 */
export function ChangeSetTable({ changeSet, label }: { changeSet: ChangeSet; label: string }) {
  const changes = [...changeSet.changes].sort((a, b) => a.order - b.order);
  return (
    <div className="change-set" aria-label={label} role="group">
      <p className="pad plan-summary">
        <strong>{changes.length === 0 ? 'No changes.' : `Plan: ${summaryText(changes)}.`}</strong>
        {changes.length === 0 ? <span className="muted"> The live system already matches this model.</span> : null}
      </p>
      {changeSet.destructive.length > 0 ? (
        <div className="warn-box">
          <strong>Destructive:</strong> applying this plan needs <code>allowDestroy</code>.
          <ul>
            {changeSet.destructive.map((d) => (
              <li key={d}>{d}</li>
            ))}
          </ul>
        </div>
      ) : null}
      {changes.length === 0 ? null : (
        <div className="table-wrap">
          <table className="table plan-table">
            <thead>
              <tr>
                <th scope="col" className="num">
                  #
                </th>
                <th scope="col">Action</th>
                <th scope="col">Resource</th>
                <th scope="col">Effect</th>
                <th scope="col">Changes</th>
              </tr>
            </thead>
            <tbody>
              {changes.map((c) => (
                <tr key={c.resourceId} data-resource={c.resourceId} data-action={c.action} className={c.effect === 'replacement' ? 'plan-replacement' : undefined}>
                  <td className="num">{c.order}</td>
                  <td>
                    <span className={`plan-action plan-${c.action.toLowerCase()}`}>
                      <span aria-hidden="true">{ACTION_MARK[c.action]} </span>
                      {c.action}
                    </span>
                  </td>
                  <th scope="row" className="mono">
                    {c.resourceId}
                  </th>
                  <td>
                    <span className={`badge tone-${EFFECT_TONE[c.effect]}`}>{c.effect}</span>
                  </td>
                  <td>
                    <Attributes change={c} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
