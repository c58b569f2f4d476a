import { describe, expect, it } from 'vitest';
import { evaluateLifecyclePolicy, type RepositoryImage } from './evaluate-policy.js';
import { parseLifecyclePolicy } from '../../../shared/index.js';

const NOW = Date.UTC(2026, 11, 4, 12);
const DAY = 86_400_000;
const image = (name: string, tags: string[], daysAgo: number): RepositoryImage => ({ digest: `sha256:${name}`, tags, pushedAtMs: NOW - daysAgo * DAY });
const rule = (rulePriority: number, selection: Record<string, unknown>) => ({ rulePriority, description: `Rule ${rulePriority}`, selection, action: { type: 'expire' } });
const expiredBy = (policy: unknown, images: RepositoryImage[], inUse: string[] = []) => {
  const out = evaluateLifecyclePolicy(parseLifecyclePolicy(policy), images, { nowMs: NOW, inUse: new Set(inUse.map((d) => `sha256:${d}`)) });
  return { expired: out.expired.map((d) => d.image.digest.slice(7)), keptInUse: out.keptInUse.map((d) => d.image.digest.slice(7)) };
};

// The repositories and policies below are ECR's documented examples ("Examples of lifecycle policies").
describe('evaluateLifecyclePolicy, on ECR’s documented examples', () => {
  const abc = [image('A', ['beta-1', 'prod-1'], 10), image('B', ['beta-2', 'prod-2'], 9), image('C', ['beta-3'], 8)];

  it('multiple rules, example A: prod keeps 1, then beta keeps 1 — only A expires (B matched prod’s rule)', () => {
    const policy = { rules: [rule(1, { tagStatus: 'tagged', tagPrefixList: ['prod'], countType: 'imageCountMoreThan', countNumber: 1 }), rule(2, { tagStatus: 'tagged', tagPrefixList: ['beta'], countType: 'imageCountMoreThan', countNumber: 1 })] };
    expect(expiredBy(policy, abc).expired).toEqual(['A']);
  });

  it('multiple rules, example B: beta first — A and B expire, prod’s rule sees nothing new', () => {
    const policy = { rules: [rule(1, { tagStatus: 'tagged', tagPrefixList: ['beta'], countType: 'imageCountMoreThan', countNumber: 1 }), rule(2, { tagStatus: 'tagged', tagPrefixList: ['prod'], countType: 'imageCountMoreThan', countNumber: 1 })] };
    expect(expiredBy(policy, abc).expired).toEqual(['A', 'B']);
  });

  it('multiple tags in one rule, example A: only images with both alpha and beta, older than 5 days — C', () => {
    const images = [image('A', ['alpha-1'], 12), image('B', ['beta-1'], 11), image('C', ['alpha-2', 'beta-2'], 10), image('D', ['alpha-3'], 4), image('E', ['beta-3'], 3), image('F', ['alpha-4', 'beta-4'], 2)];
    const policy = { rules: [rule(1, { tagStatus: 'tagged', tagPrefixList: ['alpha', 'beta'], countType: 'sinceImagePushed', countNumber: 5, countUnit: 'days' })] };
    expect(expiredBy(policy, images).expired).toEqual(['C']);
  });

  it('multiple tags in one rule, example B: tags are not exclusive — A and B expire, C is kept', () => {
    const images = [image('A', ['alpha-1', 'beta-1', 'gamma-1'], 10), image('B', ['alpha-2', 'beta-2'], 9), image('C', ['alpha-3', 'beta-3', 'gamma-2'], 8)];
    const policy = { rules: [rule(1, { tagStatus: 'tagged', tagPrefixList: ['alpha', 'beta'], countType: 'imageCountMoreThan', countNumber: 1 })] };
    expect(expiredBy(policy, images).expired).toEqual(['A', 'B']);
  });

  it('keeps the last 3 images tagged prod* and expires untagged images pushed more than a day ago', () => {
    const images = [
      image('p1', ['prod-1'], 9), image('p2', ['prod-2'], 7), image('p3', ['prod-3'], 5), image('p4', ['prod-4', 'latest'], 3), image('p5', ['prod-5'], 1),
      image('u-old', [], 2), image('u-new', [], 0.5), image('dev', ['dev-1'], 30),
    ];
    const policy = {
      rules: [
        rule(1, { tagStatus: 'tagged', tagPatternList: ['prod*'], countType: 'imageCountMoreThan', countNumber: 3 }),
        rule(2, { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 1 }),
      ],
    };
    // THEN the two oldest prod images and the old untagged one; never the dev image, which no rule selects
    expect(expiredBy(policy, images).expired).toEqual(['p1', 'p2', 'u-old']);
  });

  it('counts images in use toward the limit but never expires them', () => {
    const images = [image('p1', ['prod-1'], 9), image('p2', ['prod-2'], 7), image('p3', ['prod-3'], 5)];
    const policy = { rules: [rule(1, { tagStatus: 'tagged', tagPrefixList: ['prod'], countType: 'imageCountMoreThan', countNumber: 1 })] };
    expect(expiredBy(policy, images, ['p1'])).toEqual({ expired: ['p2'], keptInUse: ['p1'] });
  });

  it('a last `any` rule expires what the tagged rules before it did not select', () => {
    const images = [image('r1', ['release-1'], 100), image('x', ['feature-x'], 100), image('u', [], 100), image('y', ['feature-y'], 1)];
    const policy = {
      rules: [rule(1, { tagStatus: 'tagged', tagPrefixList: ['release'], countType: 'imageCountMoreThan', countNumber: 10 }), rule(2, { tagStatus: 'any', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 30 })],
    };
    expect(expiredBy(policy, images).expired).toEqual(['u', 'x']);
  });
});

describe('parseLifecyclePolicy', () => {
  const issues = (policy: unknown): string[] => {
    try {
      parseLifecyclePolicy(policy);
    } catch (err) {
      expect((err as { code: string }).code).toBe('SLW_ERR_IMAGES_LIFECYCLE_POLICY_INVALID');
      return (err as { issues: { path: string; message: string }[] }).issues.map((i) => `${i.path}: ${i.message.replace('Lifecycle policy validation failure: ', '')}`);
    }
    throw new Error('expected the policy to be refused');
  };

  it('refuses what ECR refuses, naming the path and the problem', () => {
    expect(issues('{ "rules": [')[0]).toMatch(/^lifecyclePolicy: the policy is not valid JSON/);
    expect(issues({ rules: [] })).toEqual(['lifecyclePolicy.rules: array is too short: must have at least 1 elements']);
    expect(issues({ rules: [rule(1, { tagStatus: 'tagged', countType: 'imageCountMoreThan', countNumber: 0 })] })).toEqual([
      "lifecyclePolicy.rules[0].selection: a rule with tagStatus 'tagged' requires tagPrefixList or tagPatternList",
      'lifecyclePolicy.rules[0].selection.countNumber: numeric instance is lower than the required minimum or not an integer (minimum: 1, found: 0)',
    ]);
    expect(issues({ rules: [rule(1, { tagStatus: 'untagged', tagPrefixList: ['x'], countType: 'sinceImagePushed', countNumber: 3 })] })).toEqual([
      "lifecyclePolicy.rules[0].selection.tagPrefixList: tagPrefixList can only be used with tagStatus 'tagged'",
      "lifecyclePolicy.rules[0].selection.countUnit: countUnit 'days' is required with countType 'sinceImagePushed'",
    ]);
    expect(issues({ rules: [{ ...rule(1, { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 1 }), action: { type: 'delete' } }] })).toEqual([
      'lifecyclePolicy.rules[0].action.type: "delete" is not a valid enum value (allowed: ["expire"])',
    ]);
    expect(issues({ rules: [rule(1, { tagStatus: 'tagged', tagPatternList: ['*a*b*c*d*e'], countType: 'imageCountMoreThan', countNumber: 1 })] })).toEqual([
      'lifecyclePolicy.rules[0].selection.tagPatternList[0]: tag pattern "*a*b*c*d*e" has more than 4 wildcards (*)',
    ]);
  });

  it('refuses rules that clash: same priority, `any` not last, two untagged rules, the same tags twice', () => {
    const any = rule(1, { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 5 });
    const prod = (p: number) => rule(p, { tagStatus: 'tagged', tagPrefixList: ['prod'], countType: 'imageCountMoreThan', countNumber: 5 });
    const untagged = (p: number) => rule(p, { tagStatus: 'untagged', countType: 'imageCountMoreThan', countNumber: 1 });
    expect(issues({ rules: [any, prod(2)] })).toEqual(["lifecyclePolicy.rules[0].rulePriority: a rule with tagStatus 'any' must have the highest rulePriority"]);
    expect(issues({ rules: [prod(1), prod(1)] })[0]).toMatch(/rules\[1\]\.rulePriority: rulePriority 1 is used by more than one rule/);
    expect(issues({ rules: [untagged(1), untagged(2)] })).toEqual(['lifecyclePolicy.rules[1].selection.tagStatus: only one rule is allowed to select untagged images']);
    expect(issues({ rules: [prod(1), prod(2)] })[0]).toMatch(/rules\[1\]\.selection: rules 1 and 2 select the same tags/);
  });

  it('accepts ECR’s template and sorts rules by priority', () => {
    const policy = parseLifecyclePolicy(JSON.stringify({ rules: [rule(20, { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 50 }), rule(3, { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 14 })] }));
    expect(policy.rules.map((r) => [r.rulePriority, r.keepNewest, r.maxAgeMs])).toEqual([[3, undefined, 14 * DAY], [20, 50, undefined]]);
  });
});
