import type { ResolvedApp } from '../shared/index.js';
import type { IncidentSeverity } from './model.js';

/** What a severity rule sees of an alarm that opened an incident. */
export interface AlarmTrigger {
  readonly alarm: string;
  readonly service: string | undefined;
  readonly environment: string | undefined;
}

/** Chooses the severity of an incident opened by an alarm. */
export type SeverityRule = (trigger: AlarmTrigger) => IncidentSeverity;

/** Options of {@link defaultSeverityRule}. */
export interface SeverityOptions {
  /** Severity per alarm name, over the rule below. @default {} */
  readonly byAlarm?: Readonly<Record<string, IncidentSeverity>>;
  /** Severity of an alarm listed in the production environment's `rollbackOn`. @default 'SEV2' */
  readonly rollbackOnProduction?: IncidentSeverity;
  /** Severity of every other alarm. @default 'SEV3' */
  readonly otherwise?: IncidentSeverity;
  /** The environment whose `rollbackOn` alarms are the severe ones. @default 'production' */
  readonly productionEnvironment?: string;
}

/**
 * The default rule: an alarm named in `rollbackOn` of production (and firing there, when the alarm says
 * where) → SEV2; anything else → SEV3; `byAlarm` overrides both.
 */
export function defaultSeverityRule(app: ResolvedApp | undefined, options: SeverityOptions = {}): SeverityRule {
  const production = options.productionEnvironment ?? 'production';
  const severe = new Set(app?.environments[production]?.rollbackOn ?? []);
  return (t) => {
    const override = options.byAlarm?.[t.alarm];
    if (override !== undefined) return override;
    const inProduction = t.environment === undefined || t.environment === production;
    return severe.has(t.alarm) && inProduction ? (options.rollbackOnProduction ?? 'SEV2') : (options.otherwise ?? 'SEV3');
  };
}
