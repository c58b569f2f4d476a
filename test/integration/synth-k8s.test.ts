/* eslint-disable @typescript-eslint/no-explicit-any -- the tests walk parsed YAML of many kinds */
import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAppConfig } from '../../src/core/index.js';
import { resolveApp, type ResolvedApp } from '../../src/shared/index.js';
import { synthK8s, type K8sObject, type SynthK8sResult } from '../../src/synth/index.js';
import { schemaProblem } from '../support/k8s-schemas.js';
import { tempDir } from '../support/temp-dir.js';
import { oncallDefinition } from '../fixtures/configs/oncall-definition.js';

const SHOP = path.resolve(import.meta.dirname, '../../examples/shop');
const HELD_OUT = path.resolve(import.meta.dirname, '../fixtures/configs/k8s-held-out.ts');
const dir = tempDir('slipway-synth-k8s-');
let shopApp: ResolvedApp;
let shop: SynthK8sResult;
let heldOutApp: ResolvedApp;
let heldOut: SynthK8sResult;

/** The objects of an environment as written on disk (the YAML files, not the in-memory charts). */
function objectsOnDisk(result: SynthK8sResult, env: string): K8sObject[] {
  const e = result.environments.find((x) => x.name === env)!;
  return e.files.flatMap((f) => parseAllDocuments(fs.readFileSync(path.join(e.dir, f), 'utf8')).map((d) => d.toJS() as K8sObject));
}
function find(objects: K8sObject[], kind: string, name: string): Record<string, any> {
  const o = objects.find((x) => x.kind === kind && x.metadata.name === name);
  if (o === undefined) throw new Error(`no ${kind}/${name}`);
  return o as Record<string, any>;
}
function containersOf(objects: K8sObject[]): Record<string, any>[] {
  return objects.flatMap((o: Record<string, any>) => (o.spec?.template?.spec?.containers ?? []) as Record<string, any>[]);
}

beforeAll(async () => {
  shopApp = (await loadAppConfig({ cwd: SHOP })).app;
  shop = synthK8s({ app: shopApp, outDir: path.join(dir.path, 'shop') });
  heldOutApp = (await loadAppConfig({ file: HELD_OUT })).app;
  heldOut = synthK8s({ app: heldOutApp, outDir: path.join(dir.path, 'ledger'), trafficRouting: 'nginx', hosts: ['ledger.example.com'] });
}, 60_000);
afterAll(() => dir.cleanup());

describe.each([
  ['the example shop', () => shop],
  ['a held-out app', () => heldOut],
])('slipway synth k8s: %s', (_name, result) => {
  it('writes one YAML file per chart and a kustomization per environment', () => {
    for (const e of result().environments) {
      expect(e.files[0]).toMatch(/platform\.yaml$/);
      const k = parseAllDocuments(fs.readFileSync(path.join(e.dir, 'kustomization.yaml'), 'utf8'))[0]!.toJS() as { resources: string[]; namespace: string };
      expect(k.resources).toEqual(e.files);
      expect(k.namespace).toBe(e.namespace);
    }
  });

  it('validates every object against the Kubernetes, Argo Rollouts and External Secrets schemas', () => {
    for (const e of result().environments) {
      const objects = objectsOnDisk(result(), e.name);
      expect(objects.length).toBeGreaterThan(10);
      expect(objects.map(schemaProblem).filter((p) => p !== undefined)).toEqual([]);
    }
  });

  it('runs no :latest image and no privileged or root container', () => {
    for (const e of result().environments) {
      for (const c of containersOf(objectsOnDisk(result(), e.name))) {
        expect(c.image, c.name).toMatch(/:[A-Za-z0-9_.-]+$/);
        expect(c.image).not.toMatch(/:latest$/);
        expect(c.securityContext?.privileged ?? false).toBe(false);
        expect(c.securityContext?.allowPrivilegeEscalation).toBe(false);
        expect(c.securityContext?.runAsNonRoot).toBe(true);
      }
    }
  });
});

describe('the shop on Kubernetes', () => {
  it("gives each production Rollout the model's canary steps, each but the last held for the interval", () => {
    const strategy = shopApp.environments.production!.strategy as unknown as { steps: number[] };
    const objects = objectsOnDisk(shop, 'production');
    for (const s of Object.keys(shopApp.services)) {
      const steps = find(objects, 'Rollout', s).spec.strategy.canary.steps as Record<string, any>[];
      expect(steps.filter((x) => 'setWeight' in x).map((x) => x.setWeight)).toEqual(strategy.steps);
      expect(steps.filter((x) => 'pause' in x).map((x) => x.pause.duration)).toEqual(['30s', '30s', '30s']);
    }
    expect(find(objects, 'Rollout', 'gateway').spec.strategy.canary.trafficRouting).toEqual({ alb: { ingress: 'gateway', servicePort: 80 } });
  });

  it('has an AnalysisTemplate per rollbackOn alarm with its M-of-N window, watched by every Rollout', () => {
    const objects = objectsOnDisk(shop, 'production');
    const templates = objects.filter((o) => o.kind === 'AnalysisTemplate') as Record<string, any>[];
    expect(templates.map((t) => t.metadata.annotations['slipway.dev/alarm'])).toEqual(['gateway-5xx', 'gateway-p99']);
    const m = templates[0]!.spec.metrics[0];
    expect(m.interval).toBe('10s');
    expect(m.successCondition).toBe('result[0] < 2');
    expect(m.provider.prometheus.query).toContain('> bool 5)[30s:10s]');
    expect(find(objects, 'Rollout', 'orders').spec.strategy.canary.analysis.templates).toEqual([{ templateName: 'alarm-gateway-5xx' }, { templateName: 'alarm-gateway-p99' }]);
  });

  it('runs staging (all at once, no alarms) as plain Deployments with a full surge', () => {
    const objects = objectsOnDisk(shop, 'staging');
    expect(objects.some((o) => o.kind === 'Rollout')).toBe(false);
    expect(find(objects, 'Deployment', 'gateway').spec.strategy.rollingUpdate).toEqual({ maxSurge: '100%', maxUnavailable: 0 });
  });

  it('derives probes, resources, HPAs, env and the collector endpoint from the model', () => {
    const objects = objectsOnDisk(shop, 'production');
    const c = find(objects, 'Rollout', 'gateway').spec.template.spec.containers[0];
    expect(c.readinessProbe).toMatchObject({ httpGet: { path: '/healthz' }, periodSeconds: 2, timeoutSeconds: 1, failureThreshold: 3 });
    expect(c.resources.requests).toEqual({ cpu: '250m', memory: '512Mi' });
    const env = Object.fromEntries((c.env as { name: string; value: string }[]).map((e) => [e.name, e.value]));
    expect(env.CATALOG_URL).toBe('http://catalog.shop-production.svc.cluster.local');
    expect(env.OTEL_EXPORTER_OTLP_ENDPOINT).toBe('http://otel-collector.shop-production.svc.cluster.local:4318');
    const hpa = find(objects, 'HorizontalPodAutoscaler', 'gateway').spec;
    expect(hpa).toMatchObject({ minReplicas: 2, maxReplicas: 4, scaleTargetRef: { kind: 'Rollout', name: 'gateway' } });
    expect(hpa.metrics[0].resource.target.averageUtilization).toBe(60);
    for (const s of Object.keys(shopApp.services)) find(objects, 'PodDisruptionBudget', s);
    expect(find(objects, 'Ingress', 'gateway').spec.rules[0].http.paths[0]).toMatchObject({ path: '/', backend: { service: { name: 'gateway', port: { name: 'use-annotation' } } } });
    const flags = JSON.parse(find(objects, 'ConfigMap', 'shop-flags').data['flags.flagd.json'] as string);
    expect(flags.flags.newCheckout.targeting.if[0]).toEqual({ '==': [{ fractional: [['in', 10], ['out', 90]] }, 'in'] });
    // Staging's flagd holds staging's override of newCheckout: everyone
    const staging = JSON.parse(find(objectsOnDisk(shop, 'staging'), 'ConfigMap', 'shop-flags').data['flags.flagd.json'] as string);
    expect(staging.flags.newCheckout.targeting).toEqual({ if: [true, 'true', 'false'] });
  });
});

describe('the held-out app on Kubernetes', () => {
  it('maps blue/green to activeService, previewService, post-promotion analysis over the bake time', () => {
    const bg = find(objectsOnDisk(heldOut, 'prod'), 'Rollout', 'api').spec.strategy.blueGreen;
    expect(bg).toMatchObject({ activeService: 'api', previewService: 'api-preview', autoPromotionEnabled: true, scaleDownDelaySeconds: 600 });
    expect(bg.postPromotionAnalysis.templates).toEqual([{ templateName: 'alarm-api-errors' }, { templateName: 'alarm-api-latency' }]);
    const errors = find(objectsOnDisk(heldOut, 'prod'), 'AnalysisTemplate', 'alarm-api-errors').spec.metrics[0];
    expect(errors.count).toBe(5);
    expect(errors.provider.prometheus.query).toContain('(5 - (count_over_time');
  });

  it('maps linear to equal setWeight steps with NGINX routing and threshold analysis', () => {
    const objects = objectsOnDisk(heldOut, 'qa');
    const canary = find(objects, 'Rollout', 'web').spec.strategy.canary;
    expect(canary.steps.filter((x: object) => 'setWeight' in x).map((x: { setWeight: number }) => x.setWeight)).toEqual([20, 40, 60, 80, 100]);
    expect(canary.trafficRouting).toEqual({ nginx: { stableIngress: 'web' } });
    expect(canary.analysis.templates).toContainEqual({ templateName: 'web-canary-thresholds' });
    expect(find(objects, 'Ingress', 'api').spec.rules[0].host).toBe('ledger.example.com');
  });

  it('maps rolling to maxSurge/maxUnavailable, secrets to ExternalSecrets, the grace period to a startup probe', () => {
    const objects = objectsOnDisk(heldOut, 'dev');
    const d = find(objects, 'Deployment', 'api').spec;
    expect(d.strategy.rollingUpdate).toEqual({ maxSurge: '25%', maxUnavailable: '25%' });
    expect(d.template.spec.containers[0].startupProbe.failureThreshold).toBe(4);
    expect(d.template.spec.containers[0].env).toContainEqual({ name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'api-secrets', key: 'DB_PASSWORD' } } });
    expect(d.template.spec.containers[0].env).toContainEqual({ name: 'WORKER_URL', value: 'http://worker.ledger-dev.svc.cluster.local/jobs' });
    expect(find(objects, 'ExternalSecret', 'api-secrets').spec.data).toContainEqual({ secretKey: 'SIGNING_KEY', remoteRef: { key: 'ledger/dev/SIGNING_KEY' } });
    expect(objects.some((o) => o.kind === 'HorizontalPodAutoscaler' && o.metadata.name === 'worker')).toBe(false);
  });

  it('fails with the field path where the model cannot be expressed', () => {
    expect(() => synthK8s({ app: heldOutApp, outDir: path.join(dir.path, 'cw'), analysisProvider: 'cloudwatch' })).toThrow(/alarms\.api-errors: HTTPCode_Target_5XX_Count needs the response status/);
    expect(() => synthK8s({ app: heldOutApp, outDir: path.join(dir.path, 'x'), imageTag: 'latest' })).toThrow(/imageTag: "latest" is not allowed/);
    expect(() => synthK8s({ app: heldOutApp, outDir: path.join(dir.path, 'x'), environments: ['nope'] })).toThrow(/environment "nope" is not in the model/);
  });
});

describe('slipway synth k8s: on-call', () => {
  it('says that on-call paging is not synthesized', () => {
    // GIVEN an app with schedules and policies WHEN synthesized THEN one warning names the oncall block
    const app = resolveApp(oncallDefinition('https://pager.example.com/alice', 'https://pager.example.com/carol'));
    const result = synthK8s({ app, outDir: path.join(dir.path, 'oncall') });
    expect(result.warnings).toContain('oncall: schedules and escalation policies page from the slipway control plane only; Kubernetes has no counterpart');
    // AND an app without one gets no such warning
    expect(shop.warnings.some((w) => w.startsWith('oncall:'))).toBe(false);
  });
});
