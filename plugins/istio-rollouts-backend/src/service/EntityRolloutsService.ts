import type {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  CompoundEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  istioRolloutsTrafficReadPermission,
  RolloutsResponse,
} from '@internal/plugin-istio-rollouts-common';
import {
  actionsForRollout,
  AllowedActionsCache,
  loadAuthorizedEntity,
} from '../permissions';
import { RolloutsReader } from '../rollouts';
import { selectEntityObjects } from '../selection';

/**
 * Answers "what is this entity's traffic doing, and what may the caller do
 * about it": loads the entity as the caller, checks read permission, then
 * reads every cluster. Nothing about the entity is taken from the request
 * but its ref.
 */
export class EntityRolloutsService {
  private readonly catalog: CatalogService;
  private readonly permissions: PermissionsService;
  private readonly reader: RolloutsReader;
  private readonly allowedActions: AllowedActionsCache;

  constructor(options: {
    catalog: CatalogService;
    permissions: PermissionsService;
    reader: RolloutsReader;
    allowedActions?: AllowedActionsCache;
  }) {
    this.catalog = options.catalog;
    this.permissions = options.permissions;
    this.reader = options.reader;
    this.allowedActions =
      options.allowedActions ?? new AllowedActionsCache(options.permissions);
  }

  async getRollouts(
    ref: CompoundEntityRef,
    credentials: BackstageCredentials,
  ): Promise<RolloutsResponse> {
    // Before any Kubernetes call, so a denied caller costs the clusters nothing.
    const entity = await loadAuthorizedEntity({
      catalog: this.catalog,
      permissions: this.permissions,
      ref,
      credentials,
      permission: istioRolloutsTrafficReadPermission,
    });
    const resourceRef = stringifyEntityRef(entity);

    const selected = selectEntityObjects(entity);
    if ('notConfigured' in selected) {
      return {
        clusters: this.reader.listClusters(),
        rollouts: [],
        notConfigured: selected.notConfigured,
      };
    }

    // The action check runs alongside the cluster reads: it doesn't need them.
    const [read, allowed] = await Promise.all([
      this.reader.read(selected.selection),
      this.allowedActions.get(credentials, resourceRef),
    ]);
    return {
      clusters: read.clusters,
      rollouts: read.rollouts.map(rollout => ({
        ...rollout,
        allowedActions: actionsForRollout(rollout, allowed),
      })),
    };
  }
}
