import type { DoraBand } from './model.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const WEEK_MS = 7 * DAY_MS;
const MONTH_MS = 30 * DAY_MS;
const SIX_MONTHS_MS = 180 * DAY_MS;

/** A deployment-frequency level: the band when at least `atLeastPerDay` successful deployments a day. */
export interface FrequencyLevel {
  readonly band: DoraBand;
  /** Lower bound, inclusive, in deployments per day. */
  readonly atLeastPerDay: number;
  /** The report's wording. */
  readonly label: string;
}

/** A duration level: the band when the duration is below `belowMs`. */
export interface DurationLevel {
  readonly band: DoraBand;
  /** Upper bound, exclusive. */
  readonly belowMs: number;
  /** The report's wording. */
  readonly label: string;
}

/** A change-failure-rate level. */
export interface RatioLevel {
  readonly band: DoraBand;
  /** The report's figure, as a ratio (0.05 = 5%). */
  readonly ratio: number;
  /** The report's wording. */
  readonly label: string;
}

/** One report's performance levels, turned into numbers (docs/dora.md explains each choice). */
export interface DoraThresholds {
  /** The report. */
  readonly report: string;
  /** Where in the report the table is. */
  readonly table: string;
  /** Best band first; the first level reached wins; the last is the catch-all. */
  readonly deploymentFrequency: readonly FrequencyLevel[];
  /** Best band first; the first level whose bound the median is below wins; the last is the catch-all. */
  readonly leadTime: readonly DurationLevel[];
  /**
   * `nearest`: the report gives one typical rate per cluster; the nearest wins (ties: the better band).
   * `atMost`: the report gives ranges; the first level whose ratio is not exceeded wins, else the last.
   */
  readonly changeFailureRate: { readonly rule: 'nearest' | 'atMost'; readonly levels: readonly RatioLevel[] };
  /** Like `leadTime`, for the median time to restore. */
  readonly timeToRestore: readonly DurationLevel[];
}

const frequency2023: readonly FrequencyLevel[] = [
  { band: 'Elite', atLeastPerDay: 1, label: 'On demand (multiple deploys per day)' },
  { band: 'High', atLeastPerDay: 1 / 7, label: 'Between once per day and once per week' },
  { band: 'Medium', atLeastPerDay: 1 / 30, label: 'Between once per week and once per month' },
  { band: 'Low', atLeastPerDay: 0, label: 'Between once per week and once per month (slipway: below medium)' },
];

const leadTime2023: readonly DurationLevel[] = [
  { band: 'Elite', belowMs: DAY_MS, label: 'Less than one day' },
  { band: 'High', belowMs: WEEK_MS, label: 'Between one day and one week' },
  { band: 'Medium', belowMs: MONTH_MS, label: 'Between one week and one month' },
  { band: 'Low', belowMs: Number.POSITIVE_INFINITY, label: 'Between one month and six months (slipway: one month or more)' },
];

/**
 * DORA performance levels by State of DevOps report year. Data, not code: add a year by adding an
 * entry. Sources and the reading of each table are in docs/dora.md.
 */
export const DORA_THRESHOLDS: Readonly<Record<string, DoraThresholds>> = Object.freeze({
  '2024': {
    report: 'Accelerate State of DevOps Report 2024 (DORA, Google Cloud)',
    table: 'Software delivery performance levels table (p. 13)',
    deploymentFrequency: [
      { band: 'Elite', atLeastPerDay: 1, label: 'On demand (multiple deploys per day)' },
      { band: 'High', atLeastPerDay: 1 / 7, label: 'Between once per day and once per week' },
      { band: 'Medium', atLeastPerDay: 1 / 30, label: 'Between once per week and once per month' },
      { band: 'Low', atLeastPerDay: 0, label: 'Between once per month and once every six months' },
    ],
    leadTime: [
      { band: 'Elite', belowMs: DAY_MS, label: 'Less than one day' },
      { band: 'High', belowMs: WEEK_MS, label: 'Between one day and one week' },
      { band: 'Medium', belowMs: MONTH_MS, label: 'Between one week and one month' },
      { band: 'Low', belowMs: Number.POSITIVE_INFINITY, label: 'Between one month and six months' },
    ],
    changeFailureRate: {
      rule: 'nearest',
      levels: [
        { band: 'Elite', ratio: 0.05, label: '5%' },
        { band: 'High', ratio: 0.2, label: '20%' },
        { band: 'Medium', ratio: 0.1, label: '10%' },
        { band: 'Low', ratio: 0.4, label: '40%' },
      ],
    },
    timeToRestore: [
      { band: 'Elite', belowMs: HOUR_MS, label: 'Less than one hour' },
      { band: 'High', belowMs: DAY_MS, label: 'Less than one day' },
      { band: 'Medium', belowMs: DAY_MS, label: 'Less than one day' },
      { band: 'Low', belowMs: Number.POSITIVE_INFINITY, label: 'Between one week and one month' },
    ],
  },
  '2023': {
    report: 'Accelerate State of DevOps Report 2023 (DORA, Google Cloud)',
    table: 'Software delivery performance levels table',
    deploymentFrequency: frequency2023,
    leadTime: leadTime2023,
    changeFailureRate: {
      rule: 'nearest',
      levels: [
        { band: 'Elite', ratio: 0.05, label: '5%' },
        { band: 'High', ratio: 0.1, label: '10%' },
        { band: 'Medium', ratio: 0.15, label: '15%' },
        { band: 'Low', ratio: 0.64, label: '64%' },
      ],
    },
    timeToRestore: [
      { band: 'Elite', belowMs: HOUR_MS, label: 'Less than one hour' },
      { band: 'High', belowMs: DAY_MS, label: 'Less than one day' },
      { band: 'Medium', belowMs: WEEK_MS, label: 'Between one day and one week' },
      { band: 'Low', belowMs: Number.POSITIVE_INFINITY, label: 'Between one month and six months' },
    ],
  },
  '2021': {
    report: 'Accelerate State of DevOps Report 2021 (DORA, Google Cloud)',
    table: 'Software delivery performance metric table (elite, high, medium, low)',
    deploymentFrequency: [
      { band: 'Elite', atLeastPerDay: 1, label: 'On-demand (multiple deploys per day)' },
      { band: 'High', atLeastPerDay: 1 / 30, label: 'Between once per week and once per month' },
      { band: 'Medium', atLeastPerDay: 1 / 180, label: 'Between once per month and once every 6 months' },
      { band: 'Low', atLeastPerDay: 0, label: 'Fewer than once per six months' },
    ],
    leadTime: [
      { band: 'Elite', belowMs: HOUR_MS, label: 'Less than one hour' },
      { band: 'High', belowMs: WEEK_MS, label: 'Between one day and one week' },
      { band: 'Medium', belowMs: SIX_MONTHS_MS, label: 'Between one month and six months' },
      { band: 'Low', belowMs: Number.POSITIVE_INFINITY, label: 'More than six months' },
    ],
    changeFailureRate: {
      rule: 'atMost',
      levels: [
        { band: 'Elite', ratio: 0.15, label: '0%-15%' },
        { band: 'High', ratio: 0.3, label: '16%-30%' },
        { band: 'Medium', ratio: 0.3, label: '16%-30%' },
        { band: 'Low', ratio: 1, label: '16%-30%' },
      ],
    },
    timeToRestore: [
      { band: 'Elite', belowMs: HOUR_MS, label: 'Less than one hour' },
      { band: 'High', belowMs: DAY_MS, label: 'Less than one day' },
      { band: 'Medium', belowMs: WEEK_MS, label: 'Between one day and one week' },
      { band: 'Low', belowMs: Number.POSITIVE_INFINITY, label: 'More than six months' },
    ],
  },
});

/** The report year used when none is asked for: the latest whose table is cited in docs/dora.md. */
export const DEFAULT_DORA_YEAR = '2024';
