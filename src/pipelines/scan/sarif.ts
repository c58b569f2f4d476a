import { z } from 'zod';
import type { AnalysisFindingDto } from '../../shared/index.js';

/** The SARIF levels that gate, most severe first (`none` never does). */
export const GATING_LEVELS = ['error', 'warning', 'note'] as const;

/** The findings of a SARIF log, or what is wrong with it. */
export type SarifRead = { readonly ok: true; readonly tool: string; readonly findings: AnalysisFindingDto[] } | { readonly ok: false; readonly message: string };

const LEVEL = z.enum(['error', 'warning', 'note', 'none']);
const message = z.looseObject({ text: z.string().optional(), id: z.string().optional() });
const location = z
  .object({
    physicalLocation: z
      .object({
        artifactLocation: z.looseObject({ uri: z.string().optional() }).optional(),
        region: z.looseObject({ startLine: z.number().int().min(1).optional() }).optional(),
      })
      
      .optional(),
  })
  ;
const rule = z.looseObject({ id: z.string(), defaultConfiguration: z.looseObject({ level: LEVEL.optional() }).optional() });
const result = z
  .object({
    ruleId: z.string().optional(),
    ruleIndex: z.number().int().min(0).optional(),
    rule: z.looseObject({ id: z.string().optional(), index: z.number().int().min(0).optional() }).optional(),
    kind: z.string().optional(),
    level: LEVEL.optional(),
    message,
    locations: z.array(location).optional(),
  })
  ;
const run = z
  .object({
    tool: z.looseObject({ driver: z.looseObject({ name: z.string(), rules: z.array(rule).optional() }) }),
    results: z.array(result).optional(),
    originalUriBaseIds: z.record(z.string(), z.unknown()).optional(),
  })
  ;
const sarifLog = z.looseObject({ version: z.literal('2.1.0', { error: (i) => `expected version "2.1.0" (SARIF 2.1.0), got ${JSON.stringify(i.input)}` }), runs: z.array(run) });

/**
 * Reads a SARIF 2.1.0 log: every result of every run, with its rule, level (the result's, else its
 * rule's default, else `warning`, as the standard says; a result of a kind other than `fail` is
 * `none`), message, file (`uri` relative to the checkout, `file://` prefixes and `root` removed) and
 * first line. A log that is not JSON or not of SARIF's shape is refused with what was wrong, where.
 */
export function readSarif(text: string, root: string): SarifRead {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return { ok: false, message: `is not JSON: ${(err as Error).message}` };
  }
  const parsed = sarifLog.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const at = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '');
    return { ok: false, message: `is not a SARIF 2.1.0 log: ${at === '' ? '' : `${at}: `}${issue.message}` };
  }
  const findings: AnalysisFindingDto[] = [];
  for (const r of parsed.data.runs) {
    const rules = r.tool.driver.rules ?? [];
    for (const res of r.results ?? []) {
      const index = res.ruleIndex ?? res.rule?.index;
      const ruleDef = (index !== undefined ? rules[index] : undefined) ?? rules.find((x) => x.id === (res.ruleId ?? res.rule?.id));
      const ruleId = res.ruleId ?? res.rule?.id ?? ruleDef?.id ?? '(no rule)';
      const level = res.kind !== undefined && res.kind !== 'fail' ? (res.level ?? 'none') : (res.level ?? ruleDef?.defaultConfiguration?.level ?? 'warning');
      const physical = res.locations?.[0]?.physicalLocation;
      findings.push({ rule: ruleId, level, message: res.message.text ?? res.message.id ?? '', file: relativeUri(physical?.artifactLocation?.uri ?? '', root), line: physical?.region?.startLine ?? 0 });
    }
  }
  const tool = [...new Set(parsed.data.runs.map((r) => r.tool.driver.name))].join(', ') || 'SARIF';
  return { ok: true, tool, findings };
}

function relativeUri(uri: string, root: string): string {
  let p = uri;
  if (p.startsWith('file://')) {
    try {
      p = decodeURIComponent(new URL(p).pathname);
    } catch {
      return uri;
    }
  }
  const base = root.endsWith('/') ? root : `${root}/`;
  if (p.startsWith(base)) p = p.slice(base.length);
  return p.replace(/^\.\//, '');
}

/** Whether a level is at or above `failOn` (`none` never is). */
export function levelAtLeast(level: AnalysisFindingDto['level'], failOn: (typeof GATING_LEVELS)[number]): boolean {
  if (level === 'none') return false;
  return GATING_LEVELS.indexOf(level) <= GATING_LEVELS.indexOf(failOn);
}
