import path from 'node:path';
import type { Command } from 'commander';
import { loadAppConfig } from '../../core/index.js';
import { InputError } from '../../shared/index.js';
import { printJson, println, table } from '../output.js';

interface SynthAwsCliOptions {
  config?: string;
  out: string;
  account?: string;
  region?: string;
  diff?: string;
  nag?: boolean;
  certificateArn?: string;
  json?: boolean;
}

/** `slipway synth aws`: the app definition as an AWS CDK cloud assembly, built offline. */
export function synthCommand(program: Command): void {
  const synth = program.command('synth').description('synthesize the app definition for another platform');
  synth
    .command('aws')
    .description('build a CDK cloud assembly (CloudFormation templates, manifest, assets) offline: no credentials, no lookups')
    .option('-c, --config <file>', 'the app definition (default: slipway.config.* in the current directory)')
    .option('-o, --out <dir>', 'assembly directory', 'cdk.out')
    .option('--account <id>', 'AWS account of every stack (default: environment-agnostic)')
    .option('--region <region>', 'AWS region of every stack (default: environment-agnostic)')
    .option('--certificate-arn <arn>', 'ACM certificate: HTTPS listeners, port 80 redirects')
    .option('--diff <dir>', 'compare the new templates with a previous assembly')
    .option('--nag', 'run the cdk-nag AwsSolutions checks; unacknowledged errors fail the command')
    .option('--json', 'print the result as JSON')
    .action(async (opts: SynthAwsCliOptions) => {
      // aws-cdk-lib is large: only this verb loads it.
      const { synthAws, readAssembly, diffAssemblies, formatAssemblyDiff } = await import('../../synth/index.js');
      const { file, app } = await loadAppConfig({ file: opts.config });
      const previous = opts.diff === undefined ? undefined : readAssembly(path.resolve(opts.diff));
      const result = synthAws({
        app,
        outDir: opts.out,
        account: opts.account,
        region: opts.region,
        certificateArn: opts.certificateArn,
        sourceDir: path.dirname(file),
        nag: opts.nag,
      });
      const diff = previous === undefined ? undefined : diffAssemblies(previous, readAssembly(result.assemblyDir));
      if (opts.json) {
        printJson({ ...result, diff });
      } else {
        const relative = (p: string) => {
          const rel = path.relative(process.cwd(), p);
          return rel.startsWith('..') ? p : rel || '.';
        };
        println(`synthesized ${result.stacks.length} stacks into ${relative(result.assemblyDir)} in ${(result.durationMs / 1000).toFixed(1)}s`);
        println(table(['stack', 'resources', 'template'], result.stacks.map((s) => [s.name, String(s.resourceCount), relative(s.templateFile)])));
        for (const w of result.warnings) process.stderr.write(`warning: ${w}\n`);
        if (diff !== undefined) {
          println('');
          println(`changes against ${opts.diff}:`);
          println(formatAssemblyDiff(diff));
        }
        for (const e of result.nagErrors) process.stderr.write(`cdk-nag: ${e}\n`);
      }
      if (result.nagErrors.length > 0) throw new InputError('SLW_ERR_SYNTH_NAG', `${result.nagErrors.length} unacknowledged cdk-nag error(s)`);
    });
}
