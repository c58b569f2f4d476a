import { formatPath, matchIssues, type Issue, type ResolvedFlag } from '../../shared/index.js';

/** The flag keys the app model accepts. */
const FLAG_KEY = /^[A-Za-z][A-Za-z0-9_.-]{0,127}$/;
const PRIMITIVE = new Set(['boolean', 'string', 'number']);
const ATTRIBUTE = /^[A-Za-z_$][A-Za-z0-9_.$-]{0,127}$/;

/**
 * The problems of a flag definition written to the store outside the app model (the app model
 * checks its own at validate time, with the same rules): a key the model would refuse, a default
 * that is not a boolean, string or number, a rule whose value has another type than the default
 * (or names no declared variant), a percentage outside 0 … 100, a match that is neither a value nor
 * a condition of known operators with operands of their type (see `matchIssues`), a segment the app
 * model does not declare, a stickiness that is not an attribute name.
 */
export function checkFlag(flag: ResolvedFlag): Issue[] {
  const issues: Issue[] = [];
  if (!FLAG_KEY.test(flag.key)) issues.push({ path: 'key', message: `expected a letter, then letters, digits, _ . or - (at most 128), got ${JSON.stringify(flag.key)}` });
  if (!PRIMITIVE.has(typeof flag.defaultValue) || (typeof flag.defaultValue === 'number' && !Number.isFinite(flag.defaultValue))) {
    issues.push({ path: 'defaultValue', message: `expected a boolean, a string or a finite number, got ${JSON.stringify(flag.defaultValue)}` });
  }
  const variants = flag.variants === undefined ? undefined : Object.keys(flag.variants);
  const checkValue = (value: unknown, path: string): void => {
    if (variants !== undefined) {
      if (typeof value !== 'string' || !variants.includes(value)) issues.push({ path, message: `expected one of the variants ${variants.map((v) => JSON.stringify(v)).join(', ')}, got ${JSON.stringify(value)}` });
    } else if (typeof value !== typeof flag.defaultValue) {
      issues.push({ path, message: `expected a ${typeof flag.defaultValue} like the default, got ${JSON.stringify(value)}` });
    }
  };
  if (variants !== undefined) checkValue(flag.defaultValue, 'defaultValue');
  flag.rules.forEach((rule, i) => {
    const at = `rules[${i}]`;
    if (!Number.isFinite(rule.percentage) || rule.percentage < 0 || rule.percentage > 100) {
      issues.push({ path: `${at}.percentage`, message: `expected a number from 0 to 100, got ${JSON.stringify(rule.percentage)}` });
    }
    for (const issue of matchIssues(rule.match)) issues.push({ path: formatPath([`${at}.match`, ...issue.path]), message: issue.message });
    if (rule.segment !== undefined) {
      if (rule.segment.match === undefined) issues.push({ path: `${at}.segment`, message: `no segment ${JSON.stringify(rule.segment.name)} is declared in the app model's segments` });
      else for (const issue of matchIssues(rule.segment.match)) issues.push({ path: formatPath([`${at}.segment.match`, ...issue.path]), message: issue.message });
    }
    if (rule.stickiness !== undefined && (typeof rule.stickiness !== 'string' || !ATTRIBUTE.test(rule.stickiness))) {
      issues.push({ path: `${at}.stickiness`, message: `expected a context attribute name, got ${JSON.stringify(rule.stickiness)}` });
    }
    checkValue(rule.value, `${at}.value`);
  });
  return issues;
}
