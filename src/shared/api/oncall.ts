import { z } from 'zod';

/** Query string of `GET /api/v1/oncall`. */
export const onCallQuerySchema = z.strictObject({
  /** The instant asked about: ms since the epoch or an ISO-8601 date-time. @default now */
  at: z
    .string()
    .min(1)
    .max(40)
    .transform((v, ctx) => {
      const ms = /^\d+$/.test(v) ? Number(v) : Date.parse(v);
      if (Number.isFinite(ms)) return ms;
      ctx.addIssue({ code: 'custom', message: `expected ms since the epoch or an ISO-8601 date-time, got ${JSON.stringify(v)}` });
      return z.NEVER;
    })
    .optional(),
});

/** Who is on call on one schedule. */
export interface OnCallScheduleDto {
  readonly schedule: string;
  /** IANA time zone of the schedule. */
  readonly timeZone: string;
  /** null when nobody is on call. */
  readonly user: string | null;
  /** `override`, a `layer`'s turn, or `none`. */
  readonly source: 'override' | 'layer' | 'none';
  /** The 0-based layer whose turn it is (source `layer`). */
  readonly layer: number | null;
  /** Since when, by this source. */
  readonly sinceMs: number | null;
  /** Until when at the latest (the next hand-off, override or layer start); null: no change ahead. */
  readonly untilMs: number | null;
}

/** The answer of `GET /api/v1/oncall`. */
export interface OnCallDto {
  readonly atMs: number;
  readonly schedules: readonly OnCallScheduleDto[];
  /** The policy that pages per incident severity. */
  readonly policyBySeverity: Readonly<Record<string, string>>;
}
