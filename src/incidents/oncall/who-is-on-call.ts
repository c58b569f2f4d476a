import { addDays, daysBetween, instantOf, wallTimeAt, type ResolvedRotationLayer, type ResolvedSchedule, type WallTime } from '../../shared/index.js';

const HOUR_MS = 3_600_000;

/** One turn of a rotation layer: who, and from when until when. */
export interface Turn {
  /** The member on call. */
  readonly user: string;
  /** 0-based number of the turn since the layer's start. */
  readonly index: number;
  readonly startMs: number;
  readonly endMs: number;
}

/** Who is on call on a schedule at an instant, and why. */
export interface OnCall {
  readonly schedule: string;
  /** undefined when nobody is (every layer starts later, and no override covers the instant). */
  readonly user: string | undefined;
  /** What put them there: an override, or a layer's turn (`layer`: its 0-based index). */
  readonly source: 'override' | 'layer' | 'none';
  readonly layer?: number;
  /** Since when they are on call by this source. */
  readonly sinceMs?: number;
  /** When this answer next changes at the latest (a hand-off, an override or a layer starting); undefined: never. */
  readonly untilMs?: number;
}

/** The instant of turn `k`'s hand-off: a wall-clock time, so a turn across a DST change is an hour shorter or longer. */
function handoffMs(layer: ResolvedRotationLayer, timeZone: string, k: number): number {
  const first: WallTime = { ...layer.start, ...layer.handoff };
  if (layer.rotation === 'hourly') return instantOf(first, timeZone) + k * layer.length * HOUR_MS;
  return instantOf(addDays(first, k * layer.length * (layer.rotation === 'daily' ? 1 : 7)), timeZone);
}

/** The instant a layer's first turn starts. */
export function layerStartMs(layer: ResolvedRotationLayer, timeZone: string): number {
  return handoffMs(layer, timeZone, 0);
}

/**
 * The turn of a rotation layer at instant `atMs` (pure), or undefined before the layer starts.
 * Daily and weekly turns hand off at the wall-clock `handoff` in `timeZone` (09:00 stays 09:00
 * across DST); hourly turns are `length` hours of elapsed time.
 */
export function turnAt(layer: ResolvedRotationLayer, timeZone: string, atMs: number): Turn | undefined {
  const firstMs = handoffMs(layer, timeZone, 0);
  if (atMs < firstMs) return undefined;
  let k: number;
  if (layer.rotation === 'hourly') {
    k = Math.floor((atMs - firstMs) / (layer.length * HOUR_MS));
  } else {
    const days = layer.length * (layer.rotation === 'daily' ? 1 : 7);
    k = Math.floor(daysBetween({ ...layer.start, hour: 0, minute: 0 }, wallTimeAt(atMs, timeZone)) / days);
    // The estimate is by calendar date; the hand-off time of day settles which side of it atMs is.
    while (k > 0 && handoffMs(layer, timeZone, k) > atMs) k--;
    while (handoffMs(layer, timeZone, k + 1) <= atMs) k++;
  }
  return { user: layer.members[k % layer.members.length]!, index: k, startMs: handoffMs(layer, timeZone, k), endMs: handoffMs(layer, timeZone, k + 1) };
}

/**
 * Who is on call on `schedule` at `atMs` (pure): an override covering the instant wins; else the
 * last layer (the highest) that has started; else nobody.
 */
export function whoIsOnCall(schedule: ResolvedSchedule, atMs: number): OnCall {
  const nextOverride = schedule.overrides.find((o) => o.startMs > atMs)?.startMs;
  const override = schedule.overrides.find((o) => o.startMs <= atMs && atMs < o.endMs);
  if (override !== undefined) return { schedule: schedule.name, user: override.user, source: 'override', sinceMs: override.startMs, untilMs: override.endMs };
  const starts = schedule.layers.map((l) => layerStartMs(l, schedule.timeZone));
  for (let i = schedule.layers.length - 1; i >= 0; i--) {
    const turn = turnAt(schedule.layers[i]!, schedule.timeZone, atMs);
    if (turn === undefined) continue;
    // A higher layer starting later takes over then.
    const higherStart = starts.slice(i + 1).filter((s) => s > atMs);
    return { schedule: schedule.name, user: turn.user, source: 'layer', layer: i, sinceMs: turn.startMs, untilMs: Math.min(turn.endMs, ...higherStart, nextOverride ?? Infinity) };
  }
  const untilMs = Math.min(...starts, nextOverride ?? Infinity);
  return { schedule: schedule.name, user: undefined, source: 'none', ...(Number.isFinite(untilMs) ? { untilMs } : {}) };
}
