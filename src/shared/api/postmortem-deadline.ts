/**
 * How many business days after its resolution an incident's postmortem is due. Five business days (one
 * working week) is the common deadline of postmortem policies (for example Google's SRE book and
 * Atlassian's incident handbook ask for the review within a week); weekends do not count.
 * @default 5
 */
export const POSTMORTEM_DUE_BUSINESS_DAYS = 5;

const DAY_MS = 86_400_000;

/**
 * When the postmortem of an incident resolved at `resolvedAtMs` is due (pure): the same time of day
 * `businessDays` business days later, Saturdays and Sundays skipped, counted in UTC so the server, the
 * CLI and every browser agree. A resolution on a weekend counts from the Monday after. Public holidays
 * are not known and count as business days.
 * @example postmortemDueAtMs(Date.UTC(2026, 2, 6, 15)) // Friday 15:00 → Friday 13 March 15:00
 */
export function postmortemDueAtMs(resolvedAtMs: number, businessDays: number = POSTMORTEM_DUE_BUSINESS_DAYS): number {
  let t = resolvedAtMs;
  // Resolved on a weekend: the clock starts on Monday at 00:00 UTC.
  while (isWeekend(t)) t = Math.floor(t / DAY_MS) * DAY_MS + DAY_MS;
  for (let left = businessDays; left > 0; ) {
    t += DAY_MS;
    if (!isWeekend(t)) left--;
  }
  return t;
}

/** What {@link isPostmortemOverdue} reads of an incident. */
export interface PostmortemDeadlineFacts {
  readonly state: string;
  readonly resolvedAtMs: number | null;
  readonly postmortemAtMs: number | null;
}

/**
 * True when an incident was resolved, has no postmortem written, and its deadline
 * ({@link postmortemDueAtMs}) has passed at `nowMs` (pure).
 */
export function isPostmortemOverdue(incident: PostmortemDeadlineFacts, nowMs: number): boolean {
  if (incident.state !== 'Resolved' || incident.resolvedAtMs === null || incident.postmortemAtMs !== null) return false;
  return nowMs > postmortemDueAtMs(incident.resolvedAtMs);
}

function isWeekend(ms: number): boolean {
  const day = new Date(ms).getUTCDay();
  return day === 0 || day === 6;
}
