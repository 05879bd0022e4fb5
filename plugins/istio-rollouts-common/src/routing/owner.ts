/**
 * Who else manages a VirtualService, from the markers those tools leave on the objects.
 *
 * - Argo Rollouts never marks the VirtualService it rewrites: it annotates the DestinationRule (and the
 *   stable/canary Services) it manages with `argo-rollouts.argoproj.io/managed-by-rollouts: <rollout>` and
 *   adds `rollouts-pod-template-hash` to the subsets' labels. An ownerReference to an `argoproj.io` Rollout,
 *   or the annotation on the VirtualService itself, count too.
 * - Flagger creates the VirtualService with a controller ownerReference to its `flagger.app` Canary (and
 *   DestinationRules likewise), and keeps `flagger.kubernetes.io/original-configuration` on a VirtualService
 *   it took over.
 * - Argo CD tracks an object with the `argocd.argoproj.io/tracking-id` annotation (`<app>:<group>/<kind>:…`)
 *   or, with a custom tracking label, `argocd.argoproj.io/instance`. The default label
 *   `app.kubernetes.io/instance` alone is not taken as proof: Helm charts set it too.
 * - Flux labels what it applies with `kustomize.toolkit.fluxcd.io/name` (Kustomization) or
 *   `helm.toolkit.fluxcd.io/name` (HelmRelease), each with a `…/namespace` label.
 *
 * Progressive-delivery controllers rewrite the routes themselves (edits are refused); GitOps tools revert
 * drift when self-heal is on (edits may be reverted).
 */
import { RolloutOwner } from '../api';
import {
  annotationsOf,
  asArray,
  asRecord,
  asString,
  asStringMap,
  KubeObject,
  labelsOf,
  nameOf,
  specOf,
} from './kube';

/** The annotation Argo Rollouts puts on the DestinationRules and Services it manages. @public */
export const ARGO_ROLLOUTS_MANAGED_BY =
  'argo-rollouts.argoproj.io/managed-by-rollouts';
/** The label Argo Rollouts adds to the subsets it manages. @public */
export const ARGO_ROLLOUTS_POD_TEMPLATE_HASH = 'rollouts-pod-template-hash';
/** The annotation Flagger keeps on a VirtualService it took over. @public */
export const FLAGGER_ORIGINAL_CONFIGURATION =
  'flagger.kubernetes.io/original-configuration';
/** Argo CD's annotation-based tracking. @public */
export const ARGOCD_TRACKING_ID = 'argocd.argoproj.io/tracking-id';
/** The custom tracking label Argo CD's docs suggest. @public */
export const ARGOCD_INSTANCE_LABEL = 'argocd.argoproj.io/instance';

const FLUX_LABELS = ['kustomize.toolkit.fluxcd.io', 'helm.toolkit.fluxcd.io'];

/** Objects next to the VirtualService that reveal a controller: the DRs and Services of its route hosts. */
export interface OwnerEvidence {
  destinationRules?: KubeObject[];
  services?: KubeObject[];
}

function ownerRef(
  obj: KubeObject,
  kind: string,
  group: string,
): string | undefined {
  return obj.metadata?.ownerReferences?.find(
    ref => ref.kind === kind && ref.apiVersion?.startsWith(`${group}/`),
  )?.name;
}

function argoRollouts(
  vs: KubeObject,
  evidence: OwnerEvidence,
): RolloutOwner | undefined {
  const owner = (name: string | undefined, via: string): RolloutOwner => ({
    kind: 'ArgoRollouts',
    ...(name ? { name } : {}),
    effect: 'refuses-edits',
    via,
  });
  const ref = ownerRef(vs, 'Rollout', 'argoproj.io');
  if (ref) return owner(ref, `ownerReference Rollout/${ref}`);
  const own = annotationsOf(vs)[ARGO_ROLLOUTS_MANAGED_BY];
  if (own) return owner(own, `annotation ${ARGO_ROLLOUTS_MANAGED_BY}`);
  for (const dr of evidence.destinationRules ?? []) {
    const managedBy = annotationsOf(dr)[ARGO_ROLLOUTS_MANAGED_BY];
    if (managedBy) {
      return owner(
        managedBy,
        `DestinationRule ${nameOf(dr)} annotation ${ARGO_ROLLOUTS_MANAGED_BY}`,
      );
    }
    for (const raw of asArray(specOf(dr).subsets)) {
      const subset = asRecord(raw);
      if (ARGO_ROLLOUTS_POD_TEMPLATE_HASH in asStringMap(subset?.labels)) {
        return owner(
          undefined,
          `DestinationRule ${nameOf(dr)} subset ${
            asString(subset?.name) ?? ''
          } label ${ARGO_ROLLOUTS_POD_TEMPLATE_HASH}`,
        );
      }
    }
  }
  for (const svc of evidence.services ?? []) {
    const managedBy = annotationsOf(svc)[ARGO_ROLLOUTS_MANAGED_BY];
    if (managedBy) {
      return owner(
        managedBy,
        `Service ${nameOf(svc)} annotation ${ARGO_ROLLOUTS_MANAGED_BY}`,
      );
    }
  }
  return undefined;
}

function flagger(
  vs: KubeObject,
  evidence: OwnerEvidence,
): RolloutOwner | undefined {
  const owner = (name: string | undefined, via: string): RolloutOwner => ({
    kind: 'Flagger',
    ...(name ? { name } : {}),
    effect: 'refuses-edits',
    via,
  });
  const ref = ownerRef(vs, 'Canary', 'flagger.app');
  if (ref) return owner(ref, `ownerReference Canary/${ref}`);
  if (FLAGGER_ORIGINAL_CONFIGURATION in annotationsOf(vs)) {
    return owner(undefined, `annotation ${FLAGGER_ORIGINAL_CONFIGURATION}`);
  }
  for (const dr of evidence.destinationRules ?? []) {
    const drRef = ownerRef(dr, 'Canary', 'flagger.app');
    if (drRef) {
      return owner(
        drRef,
        `DestinationRule ${nameOf(dr)} ownerReference Canary/${drRef}`,
      );
    }
  }
  return undefined;
}

function argoCd(vs: KubeObject): RolloutOwner | undefined {
  const trackingId = annotationsOf(vs)[ARGOCD_TRACKING_ID];
  if (trackingId) {
    // `<application>:<group>/<kind>:<namespace>/<name>`
    const app = trackingId.split(':')[0];
    return {
      kind: 'ArgoCD',
      ...(app ? { name: app } : {}),
      effect: 'may-revert',
      via: `annotation ${ARGOCD_TRACKING_ID}`,
    };
  }
  const instance = labelsOf(vs)[ARGOCD_INSTANCE_LABEL];
  if (instance) {
    return {
      kind: 'ArgoCD',
      name: instance,
      effect: 'may-revert',
      via: `label ${ARGOCD_INSTANCE_LABEL}`,
    };
  }
  return undefined;
}

function flux(vs: KubeObject): RolloutOwner | undefined {
  const labels = labelsOf(vs);
  for (const prefix of FLUX_LABELS) {
    const name = labels[`${prefix}/name`];
    if (name) {
      const namespace = labels[`${prefix}/namespace`];
      return {
        kind: 'Flux',
        name: namespace ? `${namespace}/${name}` : name,
        effect: 'may-revert',
        via: `label ${prefix}/name`,
      };
    }
  }
  return undefined;
}

/**
 * Every tool that manages the VirtualService, controllers first (they decide the owner shown), then GitOps.
 * @public
 */
export function detectOwners(
  vs: KubeObject,
  evidence: OwnerEvidence = {},
): RolloutOwner[] {
  return [
    argoRollouts(vs, evidence),
    flagger(vs, evidence),
    argoCd(vs),
    flux(vs),
  ].filter((o): o is RolloutOwner => o !== undefined);
}
