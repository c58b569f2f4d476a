import type { IncomingHttpHeaders } from 'node:http';
import type { CompiledService, CompiledTargetGroup } from '../table/compiled.js';

/** A source of uniform random numbers in [0, 1); injectable so tests are deterministic. */
export type Random = () => number;

/** The group chosen for a request and, for a new sticky user, the cookie to set. */
export interface GroupChoice {
  readonly group: CompiledTargetGroup | undefined;
  /** A `Set-Cookie` value to add to the response, when stickiness assigned a group now. */
  readonly setCookie: string | undefined;
}

const NO_GROUP: GroupChoice = Object.freeze({ group: undefined, setCookie: undefined });

/**
 * Picks the group at `fraction` ∈ [0, 1) of the service's cumulative weights.
 * Only groups with weight and a healthy target take part, renormalised.
 */
export function groupAtFraction(service: CompiledService, fraction: number): CompiledTargetGroup | undefined {
  const point = fraction * service.totalWeight;
  const cumulative = service.cumulativeWeights;
  for (let i = 0; i < cumulative.length; i++) {
    if (point < (cumulative[i] as number)) return service.weighted[i];
  }
  return service.weighted[service.weighted.length - 1];
}

/** FNV-1a of a string mapped to [0, 1): the same user lands on the same share. */
export function hashFraction(value: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < value.length; i++) {
    h ^= value.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) / 0x1_0000_0000;
}

/** The value of cookie `prefix` (`name=`) in a Cookie header, without parsing the rest. */
export function cookieValue(cookieHeader: string | undefined, prefix: string): string | undefined {
  if (cookieHeader === undefined) return undefined;
  let from = 0;
  while (from < cookieHeader.length) {
    const at = cookieHeader.indexOf(prefix, from);
    if (at < 0) return undefined;
    if (at === 0 || cookieHeader.charCodeAt(at - 1) === 0x20 || cookieHeader.charCodeAt(at - 1) === 0x3b) {
      const end = cookieHeader.indexOf(';', at);
      return decodeURIComponent(cookieHeader.slice(at + prefix.length, end < 0 ? undefined : end).trim());
    }
    from = at + prefix.length;
  }
  return undefined;
}

function canServe(group: CompiledTargetGroup | undefined): group is CompiledTargetGroup {
  return group !== undefined && group.healthyTargets.length > 0;
}

/**
 * Chooses the target group of a request, in ALB order: header rules first, then
 * stickiness (a cookie naming a group that still has weight, or a hashed header),
 * then the weights.
 */
export function pickTargetGroup(service: CompiledService, headers: IncomingHttpHeaders, random: Random): GroupChoice {
  const rules = service.headerRules;
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i]!;
    if (headers[rule.header] === rule.value && canServe(rule.group)) return { group: rule.group, setCookie: undefined };
  }
  if (service.weighted.length === 0) return NO_GROUP;
  const sticky = service.stickiness;
  if (sticky === undefined) return { group: groupAtFraction(service, random()), setCookie: undefined };
  if (sticky.kind === 'header') {
    const value = headers[sticky.name];
    const fraction = typeof value === 'string' && value !== '' ? hashFraction(value) : random();
    return { group: groupAtFraction(service, fraction), setCookie: undefined };
  }
  const pinned = cookieValue(headers.cookie, sticky.cookiePrefix);
  if (pinned !== undefined) {
    const group = service.groupsById.get(pinned);
    // A group whose weight went to 0 (rollback, end of an A/B test) releases its users.
    if (canServe(group) && group.weightPercent > 0) return { group, setCookie: undefined };
  }
  const group = groupAtFraction(service, random());
  return { group, setCookie: group === undefined ? undefined : sticky.setCookieByGroup.get(group.id) };
}
