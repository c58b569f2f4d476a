import type { FlagDefinitionDto, FlagDetailDto, FlagDto, FlagVersionDto, ResolvedFlag } from '../../shared/index.js';
import type { FlagVersion, StoredFlag } from '../store/model.js';

const iso = (ms: number): string => new Date(ms).toISOString();

/** A compiled flag's definition in the app model's words, field by field. */
export function flagDefinitionDto(flag: ResolvedFlag): FlagDefinitionDto {
  return {
    default: flag.defaultValue,
    variants: flag.variants ?? null,
    rules: flag.rules.map((r) => ({
      percentage: r.percentage,
      match: { ...r.match },
      ...(r.segment === undefined ? {} : { segment: r.segment.name }),
      ...(r.stickiness === undefined ? {} : { stickiness: r.stickiness }),
      value: r.value,
    })),
    description: flag.description ?? null,
  };
}

/** A stored flag as the API shows it. */
export function flagDto(s: StoredFlag): FlagDto {
  const dto: FlagDto = { environment: s.environment, key: s.flag.key, version: s.version, enabled: s.enabled, updatedAt: iso(s.updatedAtMs), definition: flagDefinitionDto(s.flag) };
  return s.rollout === undefined ? dto : { ...dto, rollout: { id: s.rollout.id, percent: s.rollout.percent } };
}

/** One version of a flag as its history shows it. */
export function flagVersionDto(v: FlagVersion): FlagVersionDto {
  return { version: v.version, change: v.change, enabled: v.enabled, actor: v.actor, time: iso(v.updatedAtMs), definition: flagDefinitionDto(v.flag) };
}

/** A flag with its versions, newest first. */
export function flagDetailDto(s: StoredFlag, history: readonly FlagVersion[]): FlagDetailDto {
  return { ...flagDto(s), history: history.map(flagVersionDto) };
}
