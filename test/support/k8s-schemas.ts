// Offline schema validation of synthesized Kubernetes objects: the Kubernetes OpenAPI schemas
// (kubernetes-models), the Argo Rollouts and External Secrets CRD schemas (@kubernetes-models/*).
import * as rollouts from '@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1';
import * as externalSecrets from '@kubernetes-models/external-secrets/external-secrets.io/v1';
import * as apps from 'kubernetes-models/apps/v1';
import * as autoscaling from 'kubernetes-models/autoscaling/v2';
import * as networking from 'kubernetes-models/networking.k8s.io/v1';
import * as policy from 'kubernetes-models/policy/v1';
import * as core from 'kubernetes-models/v1';

type Model = new (data: never) => { validate(): void };

const MODELS: Record<string, Record<string, unknown>> = {
  v1: core,
  'apps/v1': apps,
  'autoscaling/v2': autoscaling,
  'networking.k8s.io/v1': networking,
  'policy/v1': policy,
  'argoproj.io/v1alpha1': rollouts,
  'external-secrets.io/v1': externalSecrets,
};

/** Validates one object against its kind's schema; returns the problem, or undefined when it is valid. */
export function schemaProblem(object: { apiVersion: string; kind: string; metadata: { name: string } }): string | undefined {
  const Cls = MODELS[object.apiVersion]?.[object.kind] as Model | undefined;
  if (Cls === undefined) return `${object.apiVersion} ${object.kind}: no schema known to the test`;
  try {
    new Cls(object as never).validate();
    return undefined;
  } catch (e) {
    return `${object.kind}/${object.metadata.name}: ${(e as Error).message}`;
  }
}
