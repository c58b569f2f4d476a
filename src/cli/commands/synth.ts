import path from 'node:path';
import type { Command } from 'commander';
import { loadAppConfig } from '../../core/index.js';
import { InputError } from '../../shared/index.js';
import type { AnalysisProvider, EksCapacity } from '../../synth/index.js';
import { printJson, println, table } from '../output.js';

interface SynthAwsCliOptions {
  config?: string;
  out: string;
  account?: string;
  region?: string;
  diff?: string;
  nag?: boolean;
  certificateArn?: string;
  eksCapacity?: string;
  eksInstanceType?: string;
  eksNodes?: string;
  eksAnalysis?: string;
  eksPrometheusUrl?: string;
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
    .option('--diff <dir>', 'a change set per stack against a previous assembly: +/~/- per resource, property old → new, (replacement) where CloudFormation replaces it')
    .option('--nag', 'run the cdk-nag AwsSolutions checks; unacknowledged errors fail the command')
    .option('--eks-capacity <capacity>', 'EKS environments: nodegroup (every pod on a managed node group) or fargate (the services on a Fargate profile)')
    .option('--eks-instance-type <type>', 'EKS environments: instance type of the managed node group (default: m6i.large)')
    .option('--eks-nodes <n>', 'EKS environments: nodes of the managed node group (default: 2)')
    .option('--eks-analysis <provider>', 'EKS environments: metric provider of the Rollouts analysis, prometheus or cloudwatch (default: prometheus)')
    .option('--eks-prometheus-url <url>', 'EKS environments: Prometheus the analysis queries')
    .option('--json', 'print the result as JSON')
    .action(async (opts: SynthAwsCliOptions) => {
      // aws-cdk-lib is large: only this verb loads it.
      const { synthAws, readAssembly, diffAssemblies, formatAssemblyDiff } = await import('../../synth/index.js');
      const { file, app } = await loadAppConfig({ file: opts.config });
      if (opts.eksNodes !== undefined && !/^\d+$/.test(opts.eksNodes)) throw new InputError('SLW_ERR_SYNTH_OPTION', `--eks-nodes: "${opts.eksNodes}" is not a whole number`);
      const previous = opts.diff === undefined ? undefined : readAssembly(path.resolve(opts.diff));
      const result = synthAws({
        app,
        outDir: opts.out,
        account: opts.account,
        region: opts.region,
        certificateArn: opts.certificateArn,
        sourceDir: path.dirname(file),
        nag: opts.nag,
        eks: {
          capacity: opts.eksCapacity as EksCapacity | undefined,
          instanceType: opts.eksInstanceType,
          nodes: opts.eksNodes === undefined ? undefined : Number(opts.eksNodes),
          analysisProvider: opts.eksAnalysis as AnalysisProvider | undefined,
          prometheusAddress: opts.eksPrometheusUrl,
        },
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
  synth
    .command('k8s')
    .description('write Kubernetes manifests (Argo Rollouts, Services, HPAs, Ingress, analysis, collector, flagd) per environment, with a kustomization')
    .option('-c, --config <file>', 'the app definition (default: slipway.config.* in the current directory)')
    .option('-o, --out <dir>', 'output directory: one folder per environment', 'k8s.out')
    .option('-e, --env <name...>', 'only these environments (default: every environment)')
    .option('--traffic-routing <router>', 'canary traffic split at the ingress: alb (AWS Load Balancer Controller) or nginx', 'alb')
    .option('--analysis <provider>', 'metric provider of the AnalysisTemplates: prometheus or cloudwatch', 'prometheus')
    .option('--prometheus-url <url>', 'Prometheus the AnalysisTemplates query')
    .option('--secrets <source>', 'external-secrets (AWS Secrets Manager) or placeholder (plain Secrets to fill in)', 'external-secrets')
    .option('--telemetry <export>', 'collector export: aws (X-Ray, CloudWatch) or otlp', 'aws')
    .option('--otlp-endpoint <url>', 'where the collector forwards OTLP (with --telemetry otlp)')
    .option('--registry <host>', 'image registry (and path) of <registry>/<app>/<service>')
    .option('--tag <tag>', 'image tag of every service (default: the environment name)')
    .option('--host <host...>', 'host names of the ingress rules')
    .option('--region <region>', 'AWS region of the Secrets Manager store, CloudWatch and X-Ray')
    .option('--json', 'print the result as JSON')
    .action(async (opts: SynthK8sCliOptions) => {
      const { synthK8s } = await import('../../synth/index.js');
      const { app } = await loadAppConfig({ file: opts.config });
      const result = synthK8s({
        app,
        outDir: opts.out,
        environments: opts.env,
        trafficRouting: opts.trafficRouting as 'alb' | 'nginx',
        analysisProvider: opts.analysis as 'prometheus' | 'cloudwatch',
        prometheusAddress: opts.prometheusUrl,
        secrets: opts.secrets as 'external-secrets' | 'placeholder',
        telemetry: opts.telemetry as 'aws' | 'otlp',
        otlpEndpoint: opts.otlpEndpoint,
        imageRegistry: opts.registry,
        imageTag: opts.tag,
        hosts: opts.host,
        region: opts.region,
      });
      if (opts.json) {
        printJson({ ...result, environments: result.environments.map(({ objects, ...e }) => ({ ...e, objectCount: objects.length })) });
        return;
      }
      const relative = (p: string) => path.relative(process.cwd(), p) || '.';
      println(`synthesized ${result.environments.length} environment(s) into ${relative(result.outDir)} in ${(result.durationMs / 1000).toFixed(1)}s`);
      println(table(['environment', 'namespace', 'objects', 'apply with'], result.environments.map((e) => [e.name, e.namespace, String(e.objects.length), `kubectl apply -k ${relative(e.dir)}`])));
      for (const w of result.warnings) process.stderr.write(`warning: ${w}\n`);
    });
}

interface SynthK8sCliOptions {
  config?: string;
  out: string;
  env?: string[];
  trafficRouting: string;
  analysis: string;
  prometheusUrl?: string;
  secrets: string;
  telemetry: string;
  otlpEndpoint?: string;
  registry?: string;
  tag?: string;
  host?: string[];
  region?: string;
  json?: boolean;
}
