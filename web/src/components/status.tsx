/** The five tones every state maps to, the same in every view. */
export type Tone = 'ok' | 'progress' | 'fail' | 'wait' | 'idle';

const TONES: Readonly<Record<string, Tone>> = {
  succeeded: 'ok',
  healthy: 'ok',
  ok: 'ok',
  successful: 'ok',
  approved: 'ok',
  passed: 'ok',
  elite: 'ok',
  high: 'ok',
  inprogress: 'progress',
  running: 'progress',
  starting: 'progress',
  rollingback: 'progress',
  deploying: 'progress',
  failed: 'fail',
  unhealthy: 'fail',
  alarm: 'fail',
  error: 'fail',
  fault: 'fail',
  rejected: 'fail',
  aborted: 'fail',
  rolledback: 'fail',
  timedout: 'fail',
  low: 'fail',
  paused: 'wait',
  waiting: 'wait',
  waitingforapproval: 'wait',
  awaitingapproval: 'wait',
  inconclusive: 'wait',
  insufficient_data: 'wait',
  stopping: 'wait',
  medium: 'wait',
  degraded: 'wait',
  // Incidents: firing is a failure, someone on it is waiting, impact stopped is progress, over is ok.
  triggered: 'fail',
  acknowledged: 'wait',
  mitigated: 'progress',
  resolved: 'ok',
  postmortemdone: 'ok',
  // Flags: a disabled (killed) flag serves its default to everyone.
  enabled: 'ok',
  disabled: 'fail',
  // Experiments: a concluded one has its answer; a stopped one is over (grey, as Stopped everywhere).
  concluded: 'ok',
  better: 'ok',
  worse: 'fail',
  // Action items.
  open: 'idle',
  done: 'ok',
};

/** The tone of a state word (`Succeeded`, `InProgress`, `ALARM`, …); unknown words are idle. */
export function toneOf(state: string | undefined): Tone {
  return (state && TONES[state.toLowerCase().replace(/[\s-]/g, '')]) || 'idle';
}

/** Spaces a PascalCase state for reading: `InProgress` → `In progress`. */
export function stateLabel(state: string): string {
  if (/^[A-Z_]+$/.test(state)) return state;
  const spaced = state.replace(/([a-z])([A-Z])/g, '$1 $2');
  return spaced.charAt(0) + spaced.slice(1).toLowerCase();
}

/** A state as a coloured pill. */
export function StatusBadge({ state, title }: { state: string; title?: string }) {
  const tone = toneOf(state);
  return (
    <span className={`badge tone-${tone}`} title={title}>
      <span className="badge-dot" aria-hidden="true" />
      {stateLabel(state)}
    </span>
  );
}

/** A task's state as one dot, its details in the tooltip and accessible name. */
export function HealthDot({ state, label }: { state: string; label: string }) {
  return <span className={`dot tone-${toneOf(state)}`} role="img" aria-label={label} title={label} />;
}

const SEVERITY_TONES: Readonly<Record<string, Tone>> = { SEV1: 'fail', SEV2: 'fail', SEV3: 'wait', SEV4: 'idle' };

/** An incident severity (`SEV1` … `SEV4`) as a square-cornered pill: SEV1–2 red, SEV3 amber, SEV4 grey. */
export function SeverityBadge({ severity }: { severity: string }) {
  return <span className={`badge sev tone-${SEVERITY_TONES[severity] ?? 'idle'}`}>{severity}</span>;
}
