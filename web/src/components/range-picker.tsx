/** Time ranges offered by the telemetry views, with the period each is read at. */
export const RANGES = [
  { id: '15m', label: '15 min', ms: 15 * 60_000, period: '15s' },
  { id: '1h', label: '1 hour', ms: 3_600_000, period: '1m' },
  { id: '6h', label: '6 hours', ms: 6 * 3_600_000, period: '5m' },
  { id: '24h', label: '24 hours', ms: 24 * 3_600_000, period: '15m' },
] as const;

export type RangeId = (typeof RANGES)[number]['id'];

/** The range with this id, else 1 hour. */
export function rangeOf(id: string | null | undefined): (typeof RANGES)[number] {
  return RANGES.find((r) => r.id === id) ?? RANGES[1];
}

/** A segmented control choosing the time range. */
export function RangePicker({ value, onChange }: { value: string; onChange: (id: RangeId) => void }) {
  return (
    <div className="segmented" role="group" aria-label="Time range">
      {RANGES.map((r) => (
        <button key={r.id} type="button" aria-pressed={value === r.id} onClick={() => onChange(r.id)}>
          {r.label}
        </button>
      ))}
    </div>
  );
}
