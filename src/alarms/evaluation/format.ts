/** A value as CloudWatch prints it in reasons: integers with one decimal (`7.0`), others to 6 significant digits. */
export function formatValue(value: number): string {
  if (Number.isInteger(value)) return value.toFixed(1);
  return String(Number(value.toPrecision(6)));
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

/** A time as CloudWatch prints it in reasons, UTC `dd/MM/yy HH:mm:ss`, e.g. `12/01/26 10:00:00`. */
export function formatTime(timeMs: number): string {
  const d = new Date(timeMs);
  const date = `${pad2(d.getUTCDate())}/${pad2(d.getUTCMonth() + 1)}/${pad2(d.getUTCFullYear() % 100)}`;
  return `${date} ${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`;
}

/** `1 datapoint` / `2 datapoints`. */
export function datapoints(count: number): string {
  return `${count} ${count === 1 ? 'datapoint' : 'datapoints'}`;
}
