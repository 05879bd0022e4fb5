import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { NotFoundError, ServiceUnavailableError } from '@backstage/errors';
import {
  ActionValidationError,
  ClusterObjects,
  KubeObject,
  RolloutReadModel,
} from '@internal/plugin-istio-rollouts-common';
import { ClusterDetails } from '../clusters';
import { conflictError } from '../errors';
import { ClusterReadError } from '../kubernetes';
import { RolloutsReader } from '../rollouts';
import { EntitySelection, selectEntityObjects } from '../selection';
import { parseRolloutId } from './parseRolloutId';

/** The rollout an action is about, read from its cluster as the rollouts endpoint reads it. */
export interface RolloutTarget {
  cluster: ClusterDetails;
  selection: EntitySelection;
  /** Everything the entity's selector selects in that cluster: the planner's input. */
  objects: ClusterObjects;
  /** The raw VirtualService, as the API server answered it. */
  virtualService: KubeObject;
  /** The read model of that VirtualService: owner, stable subset, routes. */
  rollout: RolloutReadModel;
}

/**
 * Finds the VirtualService a `rolloutId` names among the entity's objects in
 * its cluster. It is looked for among the objects listed with the entity's
 * selector (and namespace annotation), the same list the rollouts endpoint
 * shows, so the API server itself decides whether the VirtualService belongs
 * to the entity: one that exists but does not carry the selector is
 * "not found", exactly like one that does not exist.
 */
export async function loadRolloutTarget(options: {
  reader: RolloutsReader;
  entity: Entity;
  rolloutId: string;
  /** The VirtualService's version the user saw: the watch cache's objects serve only at exactly that version. */
  resourceVersion: string;
  /** Read the cluster, never the watch cache (a plan's runner: a cache a moment behind would hide a change). */
  fresh?: boolean;
}): Promise<RolloutTarget> {
  const { reader, entity, rolloutId, resourceVersion, fresh } = options;
  const entityRef = stringifyEntityRef(entity);
  const selected = selectEntityObjects(entity);
  if ('notConfigured' in selected) {
    throw new NotFoundError(
      `No rollout ${rolloutId}: ${selected.notConfigured.message}`,
    );
  }
  const { selection } = selected;
  const address = parseRolloutId(rolloutId);
  const cluster = reader.findCluster(address.cluster);
  if (!cluster) {
    const known = reader.listClusters().map(c => `"${c.name}"`);
    throw new ActionValidationError(
      'rolloutId',
      `no cluster named "${address.cluster}" is configured${
        known.length ? ` (the clusters are ${known.join(', ')})` : ''
      }`,
    );
  }

  let read;
  try {
    // From memory only when the cache holds the VirtualService the user saw;
    // otherwise (behind, ahead, or not cached) from the cluster, which then
    // decides whether the user's version is still current.
    read = await reader.readOne(
      cluster,
      selection,
      cached =>
        !fresh &&
        cached.virtualServices.some(
          vs =>
            vs.metadata?.name === address.name &&
            (vs.metadata?.namespace ?? 'default') === address.namespace &&
            vs.metadata?.resourceVersion === resourceVersion,
        ),
    );
  } catch (e) {
    if (e instanceof ClusterReadError) {
      throw new ServiceUnavailableError(
        `Could not read ${rolloutId}: ${e.message}`,
      );
    }
    throw e;
  }

  const id = `${cluster.name}/${address.namespace}/${address.name}`;
  const rollout = read.rollouts.find(r => r.id === id);
  const virtualService = read.objects.virtualServices.find(
    vs =>
      vs.metadata?.name === address.name &&
      (vs.metadata?.namespace ?? 'default') === address.namespace,
  );
  if (!rollout || !virtualService) {
    throw new NotFoundError(
      `${entityRef} has no rollout ${rolloutId}: no VirtualService ${
        address.namespace
      }/${address.name} in cluster "${cluster.name}" carries its selector ${
        selection.labelSelector
      }${selection.namespace ? ` in namespace ${selection.namespace}` : ''}`,
    );
  }
  return { cluster, selection, objects: read.objects, virtualService, rollout };
}

/**
 * Refuses an action planned on a VirtualService the user did not see: its
 * resourceVersion moved since they loaded it. The patch's own guard would
 * refuse it too; checking first keeps a dry run from previewing a change to
 * an object the user has not seen, and saves the cluster a doomed write.
 */
export function requireLoadedVersion(
  target: RolloutTarget,
  resourceVersion: string,
): void {
  const current = target.virtualService.metadata?.resourceVersion;
  if (current !== resourceVersion) {
    throw conflictError(
      'Changed',
      `VirtualService ${target.rollout.namespace}/${target.rollout.name} in cluster "${target.cluster.name}" ` +
        `was changed since you loaded it (resourceVersion ${resourceVersion}, now ${current}); reload and try again.`,
    );
  }
}
