import { InputError, type Issue } from '../../errors/index.js';
import type { CompiledLifecyclePolicy, CompiledLifecycleRule, LifecycleRule, LifecycleSelection } from './policy.js';
import { MAX_PATTERN_WILDCARDS, tagMatcher } from './tag-match.js';

const DAY_MS = 86_400_000;
/** ECR's prefix on every lifecycle policy error, so messages read as they do from `aws ecr put-lifecycle-policy`. */
const PREFIX = 'Lifecycle policy validation failure: ';

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Parses and checks a lifecycle policy in ECR's JSON format (text or parsed) the way ECR does before
 * it associates one with a repository, and compiles it: rules sorted by priority, tag matchers built,
 * days turned into ms. Every problem is reported, each with its path and ECR's wording.
 * @throws InputError `SLW_ERR_IMAGES_LIFECYCLE_POLICY_INVALID` with one issue per problem.
 */
export function parseLifecyclePolicy(input: string | unknown, source = 'lifecyclePolicy'): CompiledLifecyclePolicy {
  let doc: unknown = input;
  if (typeof input === 'string') {
    try {
      doc = JSON.parse(input);
    } catch (err) {
      throw invalid([{ path: source, message: `${PREFIX}the policy is not valid JSON (${(err as Error).message})` }]);
    }
  }
  const issues: Issue[] = [];
  const problem = (path: string, message: string): void => void issues.push({ path: `${source}${path}`, message: `${PREFIX}${message}` });
  if (!isObject(doc)) throw invalid([{ path: source, message: `${PREFIX}the policy must be an object with "rules"` }]);
  for (const k of Object.keys(doc)) if (k !== 'rules') problem(`.${k}`, `object instance has properties which are not allowed by the schema: ["${k}"]`);
  if (!Array.isArray(doc.rules) || doc.rules.length === 0) {
    problem('.rules', Array.isArray(doc.rules) ? 'array is too short: must have at least 1 elements' : 'object has missing required properties (["rules"])');
    throw invalid(issues);
  }
  const rules: LifecycleRule[] = [];
  doc.rules.forEach((r: unknown, i) => {
    const rule = checkRule(r, (p, m) => problem(`.rules[${i}]${p}`, m));
    if (rule !== undefined) rules.push(rule);
  });
  if (issues.length === 0) checkAcrossRules(rules, doc.rules as Json[], problem);
  if (issues.length > 0) throw invalid(issues);
  const sorted = [...rules].sort((a, b) => a.rulePriority - b.rulePriority);
  return Object.freeze({ rules: Object.freeze(sorted.map(compileRule)), source: { rules } });
}

function invalid(issues: Issue[]): InputError {
  return new InputError('SLW_ERR_IMAGES_LIFECYCLE_POLICY_INVALID', issues.map((i) => `${i.path}: ${i.message}`).join('; '), { issues });
}

const RULE_KEYS = ['rulePriority', 'description', 'selection', 'action'];
const SELECTION_KEYS = ['tagStatus', 'tagPrefixList', 'tagPatternList', 'countType', 'countUnit', 'countNumber'];

function checkRule(r: unknown, problem: (path: string, message: string) => void): LifecycleRule | undefined {
  if (!isObject(r)) {
    problem('', 'instance type is not allowed (allowed: ["object"])');
    return undefined;
  }
  const before = { n: 0 };
  const p = (path: string, message: string): void => {
    before.n++;
    problem(path, message);
  };
  const missing = ['rulePriority', 'selection', 'action'].filter((k) => r[k] === undefined);
  if (missing.length > 0) p('', `object has missing required properties (${JSON.stringify(missing)})`);
  for (const k of Object.keys(r)) if (!RULE_KEYS.includes(k)) p(`.${k}`, `object instance has properties which are not allowed by the schema: ["${k}"]`);
  if (r.rulePriority !== undefined && !(Number.isInteger(r.rulePriority) && (r.rulePriority as number) >= 1)) p('.rulePriority', `rulePriority must be a positive integer, found: ${JSON.stringify(r.rulePriority)}`);
  if (r.description !== undefined && typeof r.description !== 'string') p('.description', 'instance type is not allowed (allowed: ["string"])');
  if (r.action !== undefined && !(isObject(r.action) && r.action.type === 'expire' && Object.keys(r.action).length === 1)) {
    p('.action.type', `${JSON.stringify(isObject(r.action) ? r.action.type : r.action)} is not a valid enum value (allowed: ["expire"])`);
  }
  if (r.selection !== undefined) checkSelection(r.selection, (path, m) => p(`.selection${path}`, m));
  return before.n === 0 ? (r as unknown as LifecycleRule) : undefined;
}

function checkSelection(s: unknown, p: (path: string, message: string) => void): void {
  if (!isObject(s)) return p('', 'instance type is not allowed (allowed: ["object"])');
  for (const k of Object.keys(s)) if (!SELECTION_KEYS.includes(k)) p(`.${k}`, `object instance has properties which are not allowed by the schema: ["${k}"]`);
  const missing = ['tagStatus', 'countType', 'countNumber'].filter((k) => s[k] === undefined);
  if (missing.length > 0) p('', `object has missing required properties (${JSON.stringify(missing)})`);
  const status = s.tagStatus;
  if (status !== undefined && status !== 'tagged' && status !== 'untagged' && status !== 'any') p('.tagStatus', `${JSON.stringify(status)} is not a valid enum value (allowed: ["tagged","untagged","any"])`);
  for (const key of ['tagPrefixList', 'tagPatternList'] as const) {
    const list = s[key];
    if (list === undefined) continue;
    if (!Array.isArray(list) || list.length === 0 || !list.every((t) => typeof t === 'string' && t.length > 0)) {
      p(`.${key}`, `${key} must be a non-empty list of non-empty strings`);
    } else if (status !== 'tagged') {
      p(`.${key}`, `${key} can only be used with tagStatus 'tagged'`);
    } else if (key === 'tagPatternList') {
      (list as string[]).forEach((t, i) => {
        if (t.split('*').length - 1 > MAX_PATTERN_WILDCARDS) p(`.${key}[${i}]`, `tag pattern ${JSON.stringify(t)} has more than ${MAX_PATTERN_WILDCARDS} wildcards (*)`);
      });
    }
  }
  if (s.tagPrefixList !== undefined && s.tagPatternList !== undefined) p('', 'tagPrefixList and tagPatternList cannot be used in the same rule');
  if (status === 'tagged' && s.tagPrefixList === undefined && s.tagPatternList === undefined) p('', "a rule with tagStatus 'tagged' requires tagPrefixList or tagPatternList");
  const type = s.countType;
  if (type !== undefined && type !== 'imageCountMoreThan' && type !== 'sinceImagePushed') p('.countType', `${JSON.stringify(type)} is not a valid enum value (allowed: ["imageCountMoreThan","sinceImagePushed"])`);
  if (type === 'sinceImagePushed' && s.countUnit !== 'days') p('.countUnit', s.countUnit === undefined ? "countUnit 'days' is required with countType 'sinceImagePushed'" : `${JSON.stringify(s.countUnit)} is not a valid enum value (allowed: ["days"])`);
  if (type === 'imageCountMoreThan' && s.countUnit !== undefined) p('.countUnit', "countUnit can only be used with countType 'sinceImagePushed'");
  if (s.countNumber !== undefined && !(Number.isInteger(s.countNumber) && (s.countNumber as number) >= 1)) {
    p('.countNumber', `numeric instance is lower than the required minimum or not an integer (minimum: 1, found: ${JSON.stringify(s.countNumber)})`);
  }
}

/** Rules that are each fine but not together: priorities, `any` last, one untagged rule, distinct tag lists. */
function checkAcrossRules(rules: readonly LifecycleRule[], raw: readonly Json[], problem: (path: string, message: string) => void): void {
  const at = (r: LifecycleRule): string => `.rules[${raw.indexOf(r as unknown as Json)}]`;
  const byPriority = new Map<number, LifecycleRule>();
  for (const r of rules) {
    if (byPriority.has(r.rulePriority)) problem(`${at(r)}.rulePriority`, `rulePriority ${r.rulePriority} is used by more than one rule; each rule needs a unique rulePriority`);
    byPriority.set(r.rulePriority, r);
  }
  const highest = Math.max(...rules.map((r) => r.rulePriority));
  for (const r of rules) {
    if (r.selection.tagStatus === 'any' && r.rulePriority !== highest) problem(`${at(r)}.rulePriority`, "a rule with tagStatus 'any' must have the highest rulePriority");
  }
  if (rules.filter((r) => r.selection.tagStatus === 'any').length > 1) problem('.rules', "only one rule may have tagStatus 'any'");
  const untagged = rules.filter((r) => r.selection.tagStatus === 'untagged');
  if (untagged.length > 1) problem(`${at(untagged[1]!)}.selection.tagStatus`, 'only one rule is allowed to select untagged images');
  const lists = new Map<string, LifecycleRule>();
  for (const r of rules) {
    const list = r.selection.tagPrefixList ?? r.selection.tagPatternList;
    if (list === undefined) continue;
    const key = `${r.selection.tagPrefixList ? 'prefix' : 'pattern'}:${[...list].sort().join('\0')}`;
    if (lists.has(key)) problem(`${at(r)}.selection`, `rules ${lists.get(key)!.rulePriority} and ${r.rulePriority} select the same tags; the set of rules must contain a unique set of tag prefixes`);
    lists.set(key, r);
  }
}

function compileRule(r: LifecycleRule): CompiledLifecycleRule {
  const s: LifecycleSelection = r.selection;
  const tagged = s.tagStatus === 'tagged' ? tagMatcher(s.tagPrefixList, s.tagPatternList) : undefined;
  const matches = s.tagStatus === 'any' ? () => true : s.tagStatus === 'untagged' ? (tags: readonly string[]) => tags.length === 0 : (tags: readonly string[]) => tags.length > 0 && tagged!(tags);
  return Object.freeze({
    rulePriority: r.rulePriority,
    description: r.description ?? '',
    tagStatus: s.tagStatus,
    matches,
    ...(s.countType === 'imageCountMoreThan' ? { keepNewest: s.countNumber } : { maxAgeMs: s.countNumber * DAY_MS }),
  });
}
