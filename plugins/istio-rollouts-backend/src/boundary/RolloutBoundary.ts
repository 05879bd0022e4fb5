import { NotAllowedError, ServiceUnavailableError } from '@backstage/errors';
import type {
  ClusterObjects,
  KubeObject,
  RolloutObjectPatch,
} from '@internal/plugin-istio-rollouts-common';
import type { ClaimIndex, ClaimSnapshot } from '../catalog';
import { conflictError } from '../errors';
import {
  claimsUnavailableLock,
  namespaceConsentLock,
  RolloutLock,
  sharedClaimLock,
} from './locks';

/** A rollout as far as the boundary goes: which VirtualService, where. */
interface LockedRollout {
  id: string;
  cluster: string;
  namespace: string;
  name: string;
}

function describe(
  kind: string,
  namespace: string,
  name: string,
  cluster: string,
) {
  return `${kind} ${namespace}/${name} in cluster "${cluster}"`;
}

function namespaceOf(o: KubeObject): string {
  return o.metadata?.namespace ?? 'default';
}

/**
 * Decides, beyond Backstage's permissions, which of an entity's rollouts its
 * owners may change: not one whose objects other catalog entities claim too
 * (the catalog is written by anyone: a copied `kubernetes-id` must not hand
 * over another team's traffic), and, when the operator requires it, only in
 * namespaces that list the entity in their consent annotation. Reads get
 * the locks to show; writes are refused with the same words.
 */
export class RolloutBoundary {
  constructor(
    private readonly options: {
      claims: Pick<ClaimIndex, 'snapshot'>;
      requireNamespaceConsent: boolean;
    },
  ) {}

  /** The lock of each locked rollout (by id), for a read of the entity's objects. */
  async locks(
    entityRef: string,
    objects: ClusterObjects[],
    rollouts: LockedRollout[],
  ): Promise<Map<string, RolloutLock>> {
    const locks = new Map<string, RolloutLock>();
    if (rollouts.length === 0) return locks;
    let claims: ClaimSnapshot | undefined;
    let failure: string | undefined;
    try {
      claims = await this.options.claims.snapshot();
    } catch (e) {
      failure = (e as Error).message;
    }
    for (const rollout of rollouts) {
      const cluster = objects.find(o => o.cluster === rollout.cluster);
      const vs = cluster?.virtualServices.find(
        o =>
          o.metadata?.name === rollout.name &&
          namespaceOf(o) === rollout.namespace,
      );
      if (!cluster || !vs) continue;
      const lock = claims
        ? this.lockOf(entityRef, claims, cluster, [vs])
        : claimsUnavailableLock(failure ?? 'unknown error');
      if (lock) locks.set(rollout.id, lock);
    }
    return locks;
  }

  /**
   * Refuses a write the entity may not make: 409 `SharedClaim` when another
   * entity claims an object the plan patches, 403 when a namespace has not
   * consented, 503 when the claims cannot be checked (nothing is written).
   */
  async requireWritable(
    entityRef: string,
    objects: ClusterObjects,
    patches: Array<Pick<RolloutObjectPatch, 'kind' | 'namespace' | 'name'>>,
  ): Promise<void> {
    let claims: ClaimSnapshot;
    try {
      claims = await this.options.claims.snapshot();
    } catch (e) {
      throw new ServiceUnavailableError(
        `Could not check which catalog entities claim these objects, so nothing was changed: ${
          (e as Error).message
        }`,
      );
    }
    const patched = patches.flatMap(p => {
      const list =
        p.kind === 'VirtualService'
          ? objects.virtualServices
          : objects.destinationRules;
      const found = list.find(
        o => o.metadata?.name === p.name && namespaceOf(o) === p.namespace,
      );
      return found ? [found] : [];
    });
    const lock = this.lockOf(entityRef, claims, objects, patched);
    if (!lock) return;
    if (lock.reason === 'SharedClaim') {
      throw conflictError('SharedClaim', lock.message);
    }
    throw new NotAllowedError(lock.message);
  }

  /** The first lock of these objects: a shared claim, then a missing consent. */
  private lockOf(
    entityRef: string,
    claims: ClaimSnapshot,
    cluster: ClusterObjects,
    objects: KubeObject[],
  ): RolloutLock | undefined {
    for (const object of objects) {
      const namespace = namespaceOf(object);
      const lock = sharedClaimLock({
        object: describe(
          object.kind ?? 'Object',
          namespace,
          object.metadata?.name ?? '',
          cluster.cluster,
        ),
        others: claims.otherClaimants(entityRef, {
          namespace,
          labels: object.metadata?.labels,
        }),
      });
      if (lock) return lock;
    }
    if (!this.options.requireNamespaceConsent) return undefined;
    for (const namespaceName of new Set(objects.map(namespaceOf))) {
      const lock = namespaceConsentLock({
        entityRef,
        namespaceName,
        namespace: cluster.namespaces.find(
          n => n.metadata?.name === namespaceName,
        ),
      });
      if (lock) return lock;
    }
    return undefined;
  }
}
