/**
 * The pure read model: raw Kubernetes objects of one cluster → rollouts, routes, subsets, phase and findings.
 */
export type { KubeObject, KubeObjectMeta, KubeOwnerReference } from './kube';
export {
  DEFAULT_CLUSTER_DOMAIN,
  canonicalHost,
  sameHost,
  serviceHost,
  clusterLocalParts,
  hostMatchesPattern,
} from './hosts';
export type { HostOptions } from './hosts';
export { DEFAULT_MATCH, summarizeMatch } from './matches';
export type { MatchSummary } from './matches';
export {
  parseVirtualService,
  parseDestinations,
  parseMirrors,
} from './parseVirtualService';
export type { ParsedRoute, ParsedVirtualService } from './parseVirtualService';
export {
  destinationRuleHost,
  destinationRulesForHost,
  serviceForHost,
  selectWorkloads,
  toWorkload,
  resolveRouteHosts,
  readyPods,
} from './subsets';
export type { HostSubsets, SubsetSources } from './subsets';
export {
  ARGO_ROLLOUTS_MANAGED_BY,
  ARGO_ROLLOUTS_POD_TEMPLATE_HASH,
  FLAGGER_ORIGINAL_CONFIGURATION,
  ARGOCD_TRACKING_ID,
  ARGOCD_INSTANCE_LABEL,
  detectOwners,
} from './owner';
export type { OwnerEvidence } from './owner';
export {
  destinationRuleNamespaces,
  destinationRulesInScope,
} from './destinationRuleScope';
export {
  ISTIO_REV_LABEL,
  ISTIO_INJECTION_LABEL,
  meshRevisionOf,
} from './meshRevision';
export { FindingCodes } from './findings';
export type { FindingCode } from './findings';
export { buildRollouts } from './buildRollouts';
export type {
  BuildRolloutsOptions,
  ClusterObjects,
  RolloutReadModel,
} from './buildRollouts';
export { redactRouteStanza } from './redactRoute';
