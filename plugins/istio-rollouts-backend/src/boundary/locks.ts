/**
 * Why an entity's owners may not change a rollout, whatever Backstage's
 * policy grants them: the catalog or the cluster says the entity is not the
 * only one, or not a welcome one, to act on it. Pure: the facts come in,
 * locks and their findings go out.
 */
import {
  Finding,
  FindingCode,
  FindingCodes,
  KubeObject,
  RolloutReadOnly,
} from '@internal/plugin-istio-rollouts-common';

/** The Namespace annotation by which a cluster admin lets entities act in a namespace. */
export const NAMESPACE_CONSENT_ANNOTATION =
  'istio-rollouts.backstage.io/entities';

/**
 * A reason a rollout is read-only for the entity, with the words for it. (A
 * cluster that is not answering is the read path's lock: `rollouts/stale.ts`.)
 */
export type RolloutLock = RolloutReadOnly & {
  reason: Exclude<RolloutReadOnly['reason'], 'ClusterUnavailable'>;
};

/** The entity refs a Namespace's consent annotation lists, lower-cased (refs compare case-insensitively). */
export function consentingEntities(
  namespace: KubeObject | undefined,
): Set<string> {
  const value =
    namespace?.metadata?.annotations?.[NAMESPACE_CONSENT_ANNOTATION] ?? '';
  return new Set(
    value
      .split(/[\s,]+/)
      .map(ref => ref.trim().toLocaleLowerCase('en-US'))
      .filter(Boolean),
  );
}

/** The lock of a namespace that has not consented to the entity acting there, if it has not. */
export function namespaceConsentLock(options: {
  entityRef: string;
  namespaceName: string;
  namespace: KubeObject | undefined;
}): RolloutLock | undefined {
  const { entityRef, namespaceName, namespace } = options;
  if (consentingEntities(namespace).has(entityRef.toLocaleLowerCase('en-US'))) {
    return undefined;
  }
  return {
    reason: 'NoNamespaceConsent',
    message:
      `Namespace ${namespaceName} does not let ${entityRef} change its traffic: this portal requires the ` +
      `namespace's consent, and its annotation ${NAMESPACE_CONSENT_ANNOTATION} does not list ${entityRef}. ` +
      `A cluster admin can add it (kubectl annotate namespace ${namespaceName} ${NAMESPACE_CONSENT_ANNOTATION}=${entityRef}).`,
  };
}

/** The lock of an object that other catalog entities claim as well, if any do. */
export function sharedClaimLock(options: {
  object: string;
  others: string[];
}): RolloutLock | undefined {
  const { object, others } = options;
  if (others.length === 0) return undefined;
  return {
    reason: 'SharedClaim',
    message:
      `${object} is claimed by ${others.join(
        ', ',
      )} as well: their annotations select it too. ` +
      `An object claimed by several catalog entities is read-only for all of them, so no entity can ` +
      `take over another's traffic by copying its annotations. Give each entity a selector of its own.`,
  };
}

/** The lock when the claims could not be checked: fail closed. */
export function claimsUnavailableLock(cause: string): RolloutLock {
  return {
    reason: 'ClaimsUnavailable',
    message: `Whether other catalog entities claim this VirtualService could not be checked (${cause}), so it is read-only for now; reload in a moment.`,
  };
}

const FINDING_OF_LOCK: Record<
  Exclude<RolloutLock['reason'], 'OwnedByController'>,
  FindingCode
> = {
  SharedClaim: FindingCodes.SHARED_CLAIM,
  NoNamespaceConsent: FindingCodes.NO_NAMESPACE_CONSENT,
  ClaimsUnavailable: FindingCodes.CLAIMS_UNAVAILABLE,
};

/** A lock as a finding of the rollout, so the tab lists it with the others. */
export function lockFinding(lock: RolloutLock): Finding {
  const code =
    lock.reason === 'OwnedByController'
      ? FindingCodes.OWNED_BY_CONTROLLER
      : FINDING_OF_LOCK[lock.reason];
  return { code, severity: 'warning', message: lock.message };
}
