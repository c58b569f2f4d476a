// Infrastructure as code: the running system as resources, the app model as the same resources, and plans between them.
export type { AttributeChange, AttributeValue, Change, ChangeAction, ChangeEffect, ChangeSet, Resource, ResourceType } from '../shared/index.js';
export { desiredResources, ingressRules, resourceId, serviceAttributes, strategyAttribute, toAttribute } from './desired-state.js';
export { attributeEffect, canonicalJson, dependencyOrder, destructiveReasons, diffAttributes, fingerprint, planChanges } from './plan.js';
