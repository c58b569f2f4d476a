import fs from 'node:fs';
import path from 'node:path';
import * as cdk from 'aws-cdk-lib';
import { App, Validations, cx_api as cxapi } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { InputError } from '../../shared/index.js';
import { SlipwayApp, type SlipwayAppProps } from './slipway-app.js';

/** Options of {@link synthAws}: the app's props plus where the assembly goes. */
export interface SynthAwsOptions extends SlipwayAppProps {
  /** Directory of the cloud assembly (created; stale files are overwritten). */
  readonly outDir: string;
  /** Run the cdk-nag AwsSolutions checks; findings are returned in `nagErrors`. @default false */
  readonly nag?: boolean;
}

/** One synthesized stack. */
export interface SynthesizedStack {
  /** The CloudFormation stack name. */
  readonly name: string;
  /** Absolute path of its template. */
  readonly templateFile: string;
  readonly resourceCount: number;
}

/** What {@link synthAws} produced. */
export interface SynthAwsResult {
  /** The cloud assembly directory (`cdk deploy --app <dir>` deploys it). */
  readonly assemblyDir: string;
  readonly stacks: readonly SynthesizedStack[];
  /** What the model says that AWS cannot express one-to-one, `<model path>: <difference>`. */
  readonly warnings: readonly string[];
  /** Unacknowledged cdk-nag AwsSolutions errors (`<rule> <construct paths>: <message>`), when `nag` was set. */
  readonly nagErrors: readonly string[];
  /** Time spent building and synthesizing, in ms. */
  readonly durationMs: number;
}

interface ValidationReport {
  readonly pluginReports?: readonly {
    readonly pluginName: string;
    readonly violations?: readonly { readonly ruleName: string; readonly description: string; readonly severity: string; readonly violatingConstructs?: readonly { readonly constructPath?: string }[] }[];
  }[];
}

/**
 * Builds the cloud assembly of an app offline (no credentials, no lookups): a `cdk.out`-style directory
 * with one template per stack, the manifest and the assets. `App.synth()` runs CDK's own template
 * validation with errors kept as errors; they fail the synth.
 * @throws {InputError} `SLW_ERR_SYNTH_OPTION` for a malformed account or region.
 * @throws {InputError} `SLW_ERR_SYNTH_VALIDATION` when a template fails validation.
 */
export function synthAws(options: SynthAwsOptions): SynthAwsResult {
  const started = performance.now();
  const outDir = path.resolve(options.outDir);
  fs.mkdirSync(outDir, { recursive: true });
  const cdkApp = new App({
    outdir: outDir,
    analyticsReporting: false,
    context: {
      [cxapi.VALIDATE_AGAINST_DEFAULT_RULES]: true,
      // slipway reports validation findings itself (below) rather than CDK printing them.
      [cxapi.FAIL_SYNTH_ON_VALIDATION_ERRORS_CONTEXT]: false,
    },
  });
  const { outDir: _outDir, nag, ...props } = options;
  const slipway = new SlipwayApp(cdkApp, 'Slipway', props);
  if (nag === true) Validations.of(cdkApp).addPlugins(new AwsSolutionsChecks(cdkApp));
  const assembly = cdkApp.synth();

  const findings = validationFindings(assembly.directory).filter((f) => f.severity === 'error' || f.severity === 'fatal');
  const errors = findings.filter((f) => f.plugin === cdk.CloudFormationValidatePlugin.PLUGIN_NAME);
  if (errors.length > 0) {
    throw new InputError('SLW_ERR_SYNTH_VALIDATION', `template validation failed:\n${errors.map((e) => `  ${e.ruleName} ${e.where}: ${e.description}`).join('\n')}`);
  }
  const nagErrors = findings.filter((f) => f.plugin !== cdk.CloudFormationValidatePlugin.PLUGIN_NAME).map((f) => `${f.ruleName} ${f.where}: ${f.description}`);
  const stacks = assembly.stacks.map((s) => ({
    name: s.stackName,
    templateFile: path.join(assembly.directory, s.templateFile),
    resourceCount: Object.keys((s.template as { Resources?: object }).Resources ?? {}).length,
  }));
  return { assemblyDir: assembly.directory, stacks, warnings: slipway.warnings, nagErrors, durationMs: Math.round(performance.now() - started) };
}

/** The findings of every validation plugin (CloudFormation validation, cdk-nag) left unacknowledged. */
function validationFindings(dir: string): { plugin: string; ruleName: string; description: string; severity: string; where: string }[] {
  const file = path.join(dir, cxapi.VALIDATION_REPORT_FILE);
  if (!fs.existsSync(file)) return [];
  const report = JSON.parse(fs.readFileSync(file, 'utf8')) as ValidationReport;
  return (report.pluginReports ?? []).flatMap((r) =>
    (r.violations ?? []).map((v) => ({
      plugin: r.pluginName,
      ruleName: v.ruleName,
      description: v.description,
      severity: v.severity,
      where: (v.violatingConstructs ?? []).map((c) => c.constructPath).join(', '),
    })),
  );
}
