import fs from 'node:fs';
import path from 'node:path';
import { App, YamlOutputType } from 'cdk8s';
import { stringify } from 'yaml';
import type { ResolvedApp } from '../../shared/index.js';
import { InputError } from '../../shared/index.js';
import { SynthWarnings } from '../aws/model/synth-warnings.js';
import { warnOncall } from '../aws/model/oncall-warning.js';
import { imageName, objectName } from './model/names.js';
import { compileK8sOptions, type K8sOptions } from './options.js';
import { addEnvironmentCharts } from './slipway-k8s-environment.js';

/** Options of {@link synthK8s}. */
export interface SynthK8sOptions extends K8sOptions {
  readonly app: ResolvedApp;
  /** Directory of the manifests: one folder per environment (created; its YAML files are replaced). */
  readonly outDir: string;
  /** Environments to synthesize. @default every environment */
  readonly environments?: readonly string[];
}

/** One synthesized Kubernetes object. */
export interface K8sObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly [key: string]: unknown };
  readonly [key: string]: unknown;
}

/** One environment's manifests. */
export interface SynthesizedEnvironment {
  readonly name: string;
  readonly namespace: string;
  /** The folder (`kubectl apply -k <dir>` applies it). */
  readonly dir: string;
  /** The chart files, in apply order, relative to `dir`. */
  readonly files: readonly string[];
  readonly objects: readonly K8sObject[];
}

/** What {@link synthK8s} produced. */
export interface SynthK8sResult {
  readonly outDir: string;
  readonly environments: readonly SynthesizedEnvironment[];
  /** What the model says that Kubernetes expresses only approximately, `<model path>: <difference>`. */
  readonly warnings: readonly string[];
  /** Time spent, in ms. */
  readonly durationMs: number;
}

/**
 * Synthesizes the resolved app model to Kubernetes manifests with cdk8s, offline: per environment a
 * folder with one YAML file per chart (the platform, then one per service) and a `kustomization.yaml`
 * that sets the namespace and the image tags.
 * @throws {InputError} `SLW_ERR_SYNTH_OPTION` for an unknown environment or a malformed option.
 * @throws {InputError} `SLW_ERR_SYNTH_UNMAPPABLE` with the field path when the model cannot be expressed.
 */
export function synthK8s(options: SynthK8sOptions): SynthK8sResult {
  const started = performance.now();
  const { app } = options;
  const compiled = compileK8sOptions(options);
  const names = options.environments ?? Object.keys(app.environments);
  for (const name of names) {
    if (app.environments[name] === undefined) throw new InputError('SLW_ERR_SYNTH_OPTION', `environment "${name}" is not in the model (${Object.keys(app.environments).join(', ')})`);
  }
  const outDir = path.resolve(options.outDir);
  const warnings = new SynthWarnings();
  warnOncall(app, warnings, 'Kubernetes has no counterpart');
  const environments: SynthesizedEnvironment[] = [];
  for (const name of names) {
    const environment = app.environments[name]!;
    const dir = path.join(outDir, objectName(name));
    fs.mkdirSync(dir, { recursive: true });
    for (const f of fs.readdirSync(dir)) if (f.endsWith('.yaml')) fs.rmSync(path.join(dir, f));
    const cdk8sApp = new App({ outdir: dir, outputFileExtension: '.yaml', yamlOutputType: YamlOutputType.FILE_PER_CHART });
    const charts = addEnvironmentCharts(cdk8sApp, { app, environment, options: compiled, warnings });
    cdk8sApp.synth();
    const files = fs.readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort();
    const objects = [charts.platform, ...charts.services].flatMap((c) => c.toJson() as K8sObject[]);
    const tag = compiled.imageTag ?? objectName(name);
    const kustomization = {
      apiVersion: 'kustomize.config.k8s.io/v1beta1',
      kind: 'Kustomization',
      namespace: charts.namespace,
      resources: files,
      // The pipeline deploys a commit with `kustomize edit set image <name>=<name>:<sha>`, which updates the Rollouts.
      images: Object.keys(app.services).map((s) => ({ name: imageName(compiled.imageRegistry, app.name, s), newTag: tag })),
    };
    fs.writeFileSync(path.join(dir, 'kustomization.yaml'), stringify(kustomization));
    environments.push({ name, namespace: charts.namespace, dir, files, objects });
  }
  return { outDir, environments, warnings: warnings.list(), durationMs: Math.round(performance.now() - started) };
}
