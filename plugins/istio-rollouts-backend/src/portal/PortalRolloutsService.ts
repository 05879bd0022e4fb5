import type {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  ClusterStatus,
  istioRolloutsTrafficReadPermission,
  PortalEntity,
  PortalHealthResponse,
  PortalRolloutRow,
  PortalRolloutsResponse,
  RolloutReadModel,
} from '@internal/plugin-istio-rollouts-common';
import type { ClaimIndex } from '../catalog';
import type { RolloutMetricsReader } from '../metrics';
import type { RolloutsReader } from '../rollouts';
import type { EntitySelection } from '../selection';
import { isActiveRoute, rowsOf, virtualServiceOf } from './activeRoutes';

/**
 * Every object labelled for an entity the Kubernetes plugin's way, in every namespace: one cluster-wide,
 * label-selected read (a watch, with the watch cache) per cluster, whichever entities there are.
 */
export const PORTAL_SELECTION: EntitySelection = {
  labelSelector: 'backstage.io/kubernetes-id',
};

/** The metrics reader's cache key for the page's answers: the figures of a workload are the same for every caller. */
const PORTAL_METRICS_KEY = 'portal';

/**
 * The portal-wide page: every active route (canary, promoted, blue/green, mirroring, or with a plan) of every
 * labelled VirtualService, with the entities that claim it, as far as the caller may read them. The clusters are
 * read once for all entities; claims come from the catalog snapshot the trust boundary keeps; the caller's
 * `.traffic.read` is asked in one batch for every claimant, and the entities' names and owners in one catalog
 * call with the caller's credentials (so an entity the caller may not see is never named).
 */
export class PortalRolloutsService {
  constructor(
    private readonly deps: {
      reader: RolloutsReader;
      claims: ClaimIndex;
      catalog: CatalogService;
      permissions: PermissionsService;
      /** Adds each route's step plan (the read model's `plan`). */
      withPlans: <T extends RolloutReadModel>(rollouts: T[]) => Promise<T[]>;
      /** Canary health from each cluster's Prometheus. */
      metrics: Pick<RolloutMetricsReader, 'read'>;
    },
  ) {}

  async list(
    credentials: BackstageCredentials,
  ): Promise<PortalRolloutsResponse> {
    const { clusters, rows } = await this.visibleRows(credentials);
    return { clusters, rows };
  }

  /**
   * The canary verdicts of the rows {@link list} shows the caller: their rollouts' workloads asked of each
   * cluster's Prometheus at once (two queries per cluster, whatever the number of entities), never the workloads of
   * a rollout the caller may not read.
   */
  async health(
    credentials: BackstageCredentials,
  ): Promise<PortalHealthResponse> {
    const { clusters, rows, rollouts } = await this.visibleRows(credentials);
    const shown = new Set(rows.map(r => r.rolloutId));
    const metrics = await this.deps.metrics.read(
      PORTAL_METRICS_KEY,
      rollouts.filter(r => shown.has(r.id)),
      clusters,
    );
    const onRow = new Set(
      rows.map(r => `${r.rolloutId}#${r.route.kind}#${r.route.index}`),
    );
    return {
      windowSeconds: metrics.windowSeconds,
      thresholds: metrics.thresholds,
      clusters: metrics.clusters,
      routes: metrics.rollouts.flatMap(rollout =>
        rollout.routes
          .filter(h =>
            onRow.has(`${rollout.rolloutId}#${h.route.kind}#${h.route.index}`),
          )
          .map(h => ({ rolloutId: rollout.rolloutId, ...h })),
      ),
    };
  }

  /** The active rows the caller may see, with the read they come from. */
  private async visibleRows(credentials: BackstageCredentials): Promise<{
    clusters: ClusterStatus[];
    rows: PortalRolloutRow[];
    rollouts: RolloutReadModel[];
  }> {
    const [read, snapshot] = await Promise.all([
      this.deps.reader.read(PORTAL_SELECTION),
      this.deps.claims.snapshot(),
    ]);
    const rollouts = await this.deps.withPlans(read.rollouts);
    const claimed = rollouts
      .filter(r => r.routes.some(isActiveRoute))
      .map(rollout => {
        const objects = read.objects.find(o => o.cluster === rollout.cluster);
        const vs = virtualServiceOf(rollout, objects?.virtualServices ?? []);
        const claimants = vs
          ? snapshot.claimantsOf({
              namespace: rollout.namespace,
              labels: vs.metadata?.labels ?? {},
            })
          : [];
        return { rollout, claimants };
      });
    const visible = await this.visibleEntities(
      [...new Set(claimed.flatMap(c => c.claimants))],
      credentials,
    );
    const rows: PortalRolloutRow[] = claimed.flatMap(
      ({ rollout, claimants }) => {
        const entities = claimants.flatMap(ref => {
          const entity = visible.get(ref.toLocaleLowerCase('en-US'));
          return entity ? [entity] : [];
        });
        return entities.length ? rowsOf(rollout, entities) : [];
      },
    );
    return { clusters: read.clusters, rows, rollouts };
  }

  /**
   * The claimants the caller may read rollouts of (one batched authorize) and see in the catalog (one batched
   * read with the caller's credentials), by lower-cased ref.
   */
  private async visibleEntities(
    refs: string[],
    credentials: BackstageCredentials,
  ): Promise<Map<string, PortalEntity>> {
    const found = new Map<string, PortalEntity>();
    if (refs.length === 0) return found;
    const decisions = await this.deps.permissions.authorize(
      refs.map(resourceRef => ({
        permission: istioRolloutsTrafficReadPermission,
        resourceRef,
      })),
      { credentials },
    );
    const allowed = refs.filter(
      (_, i) => decisions[i]?.result === AuthorizeResult.ALLOW,
    );
    if (allowed.length === 0) return found;
    const { items } = await this.deps.catalog.getEntitiesByRefs(
      {
        entityRefs: allowed,
        fields: [
          'kind',
          'metadata.name',
          'metadata.namespace',
          'metadata.title',
          'spec.owner',
        ],
      },
      { credentials },
    );
    for (const entity of items) {
      if (!entity) continue;
      const ref = stringifyEntityRef(entity);
      const owner = (entity.spec as { owner?: unknown } | undefined)?.owner;
      found.set(ref.toLocaleLowerCase('en-US'), {
        ref,
        ...(entity.metadata.title && { title: entity.metadata.title }),
        ...(typeof owner === 'string' && {
          owner: ownerRef(owner, entity.metadata.namespace),
        }),
      });
    }
    return found;
  }
}

/** `spec.owner` as a full entity ref: a group in the entity's namespace unless it says otherwise. */
function ownerRef(owner: string, namespace = 'default'): string {
  try {
    return stringifyEntityRef(
      parseEntityRef(owner, {
        defaultKind: 'group',
        defaultNamespace: namespace,
      }),
    );
  } catch {
    return owner;
  }
}
