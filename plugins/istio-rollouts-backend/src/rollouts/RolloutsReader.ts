import { LoggerService } from '@backstage/backend-plugin-api';
import type {
  ClusterObjects,
  ClusterStatus,
  KubeObject,
  RolloutReadModel,
} from '@internal/plugin-istio-rollouts-common';
import {
  ClusterDetails,
  ClusterSource,
  staticClusterSource,
} from '../clusters';
import {
  ClusterClients,
  ClusterErrorReason,
  ClusterReadError,
  describeClusterError,
  IstioResource,
  IstioVersionCache,
  NamespaceCache,
  withTimeout,
} from '../kubernetes';
import { EntitySelection } from '../selection';
import type { CachedClusterObjects, WatchCache } from '../cache';
import {
  fetchClusterObjects,
  readVirtualServiceNamespaces,
} from './fetchClusterObjects';
import { LastKnownRollouts } from './LastKnownRollouts';
import { isNotAnswering, markStale } from './stale';

/** The kinds an action patches, by the resource the watch cache knows them as. */
const WRITTEN_RESOURCES: Record<string, IstioResource | undefined> = {
  VirtualService: 'virtualservices',
  DestinationRule: 'destinationrules',
};

// A rollout as the read model builds it, before the caller's actions are known.
export type { RolloutReadModel };

/** The pure read model: objects of one cluster in, rollouts out. */
export type BuildRollouts = (objects: ClusterObjects) => RolloutReadModel[];

/** One cluster's objects for an entity, and the rollouts built from them. */
export interface ClusterRead {
  objects: ClusterObjects;
  rollouts: RolloutReadModel[];
}

/** What every cluster says about one entity's objects. */
export interface RolloutsRead {
  clusters: ClusterStatus[];
  rollouts: RolloutReadModel[];
  /** The objects the rollouts were built from, per cluster that answered. */
  objects: ClusterObjects[];
}

/**
 * Reads an entity's rollouts from all clusters at once. Each cluster gets its
 * own time budget and its own error entry, so a slow or broken cluster costs
 * the page at most the timeout and never hides the others' data.
 */
export class RolloutsReader {
  /** Asked on every call: catalog-located clusters come and go while the backend runs. */
  private readonly clusters: ClusterSource;
  private readonly timeoutMs: number;
  private readonly clients: ClusterClients;
  private readonly versions: IstioVersionCache;
  private readonly namespaces: NamespaceCache;
  private readonly cache?: WatchCache;
  /** The last read model per cluster and selection: reused while unchanged, shown stale when the cluster stops answering. */
  private readonly lastKnown: LastKnownRollouts;
  private readonly buildRollouts: BuildRollouts;
  private readonly logger: LoggerService;

  constructor(options: {
    /** A fixed list, or a source whose list may change (clusters from the catalog). */
    clusters: ClusterDetails[] | ClusterSource;
    timeoutMs: number;
    clients: ClusterClients;
    versions: IstioVersionCache;
    namespaces?: NamespaceCache;
    /** Answers reads from watches after an entity's first read; without it every read lists. */
    cache?: WatchCache;
    buildRollouts: BuildRollouts;
    logger: LoggerService;
    /**
     * How long a cluster that stops answering (timeout, unreachable, 5xx)
     * still shows its last-known rollouts, marked stale; 0 never does.
     */
    lastKnownMaxAgeMs?: number;
    now?: () => number;
  }) {
    this.clusters = Array.isArray(options.clusters)
      ? staticClusterSource(options.clusters)
      : options.clusters;
    this.timeoutMs = options.timeoutMs;
    this.clients = options.clients;
    this.versions = options.versions;
    this.namespaces = options.namespaces ?? new NamespaceCache();
    this.cache = options.cache;
    this.buildRollouts = options.buildRollouts;
    this.logger = options.logger;
    this.lastKnown = new LastKnownRollouts({
      maxAgeMs: options.lastKnownMaxAgeMs,
      now: options.now,
    });
  }

  /** Every cluster there is to read, as an `ok` entry: for answers that contact none. */
  listClusters(): ClusterStatus[] {
    return this.clusters.list().map(c => ({
      name: c.name,
      ...(c.title && { title: c.title }),
      status: 'ok' as const,
    }));
  }

  /**
   * The entity's rollouts in every cluster, and each cluster's status; clusters that are never contacted (a
   * catalog Resource without credentials) are error entries after the others.
   */
  async read(selection: EntitySelection): Promise<RolloutsRead> {
    const results = await Promise.all(
      this.clusters.list().map(cluster => this.readCluster(cluster, selection)),
    );
    const unavailable: ClusterStatus[] = this.clusters
      .unavailable()
      .map(({ name, title, error }) => ({
        name,
        ...(title && { title }),
        status: 'error',
        error,
      }));
    return {
      clusters: [...results.map(r => r.status), ...unavailable],
      rollouts: results.flatMap(r => r.rollouts),
      objects: results.flatMap(r => (r.objects ? [r.objects] : [])),
    };
  }

  /** The rollouts of one cluster's objects, e.g. as a write left them. */
  build(objects: ClusterObjects): RolloutReadModel[] {
    return this.buildRollouts(objects);
  }

  /** The cluster of that name there is to read now, if any. */
  findCluster(name: string): ClusterDetails | undefined {
    return this.clusters.list().find(c => c.name === name);
  }

  /**
   * One cluster's objects and rollouts for an entity, as an action needs
   * them: the raw objects to patch and the read model to check. Objects from
   * the watch cache are used only when `accept` takes them (an action accepts
   * them at exactly the version its user saw); otherwise the cluster is read.
   * Unlike `read`, a failure throws, as a {@link ClusterReadError} naming the
   * cluster.
   */
  async readOne(
    cluster: ClusterDetails,
    selection: EntitySelection,
    accept?: (cached: CachedClusterObjects) => boolean,
  ): Promise<ClusterRead> {
    try {
      const objects = await this.fetch(cluster, selection, accept);
      return {
        objects,
        rollouts: this.buildOnce(cluster, selection, objects),
      };
    } catch (e) {
      if (e instanceof ClusterReadError) throw e;
      const error = describeClusterError(cluster, e);
      throw new ClusterReadError(error.reason, error.message);
    }
  }

  /**
   * Read-your-writes on this replica: objects a write just stored replace
   * the cached ones at once, before the watch delivers them.
   */
  recordWrite(
    cluster: ClusterDetails,
    selection: EntitySelection,
    stored: KubeObject[],
  ): void {
    for (const object of stored) {
      const resource = WRITTEN_RESOURCES[object.kind ?? ''];
      if (resource) {
        this.cache?.recordWrite(watchKey(cluster), selection, resource, object);
      }
    }
  }

  /**
   * The read model of objects the cluster just answered, remembered as its
   * last-known state; built again only when one of them is not the very
   * object the last build of this cluster and selection saw.
   */
  private buildOnce(
    cluster: ClusterDetails,
    selection: EntitySelection,
    objects: ClusterObjects,
  ): RolloutReadModel[] {
    return this.lastKnown.remember(
      readKey(cluster, selection),
      objects,
      this.buildRollouts,
    );
  }

  /** The cluster's last-known rollouts, marked stale, when it failed by not answering. */
  private staleRollouts(
    cluster: ClusterDetails,
    selection: EntitySelection,
    reason: ClusterErrorReason,
  ): RolloutReadModel[] {
    const key = readKey(cluster, selection);
    if (!isNotAnswering(reason)) {
      // It answered, and refused: what it showed before is no longer ours to show.
      this.lastKnown.forget(key);
      return [];
    }
    const last = this.lastKnown.recall(key);
    return last ? markStale(last.rollouts, last.seenAt, reason) : [];
  }

  private async fetch(
    cluster: ClusterDetails,
    selection: EntitySelection,
    accept?: (cached: CachedClusterObjects) => boolean,
  ): Promise<ClusterObjects> {
    const pinned = cluster.namespaces;
    if (
      pinned &&
      selection.namespace &&
      !pinned.includes(selection.namespace)
    ) {
      // The operator keeps the plugin out of that namespace: nothing to list.
      return emptyObjects(cluster.name);
    }
    const objects = await this.fetchAll(cluster, selection, accept);
    return pinned ? withinNamespaces(objects, pinned) : objects;
  }

  private fetchAll(
    cluster: ClusterDetails,
    selection: EntitySelection,
    accept: (cached: CachedClusterObjects) => boolean = () => true,
  ): Promise<ClusterObjects> {
    return withTimeout(
      this.timeoutMs,
      async signal => {
        const client = await this.clients.get(cluster);
        const cached = this.cache?.get(watchKey(cluster), selection);
        if (cached && accept(cached)) {
          return {
            cluster: cluster.name,
            ...cached,
            namespaces: await readVirtualServiceNamespaces({
              cluster: cluster.name,
              client,
              namespaces: this.namespaces,
              virtualServices: cached.virtualServices,
              signal,
            }),
          };
        }
        const objects = await fetchClusterObjects({
          cluster: cluster.name,
          client,
          versions: this.versions,
          namespaces: this.namespaces,
          selection,
          signal,
        });
        // Later reads of this entity come from watches, once they are in sync.
        this.cache?.ensure(
          watchKey(cluster),
          client,
          objects.istioVersion,
          selection,
        );
        return objects;
      },
      () =>
        new ClusterReadError(
          'Timeout',
          `Cluster "${cluster.name}" did not answer within ${this.timeoutMs} ms`,
        ),
    );
  }

  private async readCluster(
    cluster: ClusterDetails,
    selection: EntitySelection,
  ): Promise<{
    status: ClusterStatus;
    rollouts: RolloutReadModel[];
    objects?: ClusterObjects;
  }> {
    const base = {
      name: cluster.name,
      ...(cluster.title && { title: cluster.title }),
    };
    try {
      const objects = await this.fetch(cluster, selection);
      return {
        status: { ...base, status: 'ok' },
        rollouts: this.buildOnce(cluster, selection, objects),
        objects,
      };
    } catch (e) {
      const error = describeClusterError(cluster, e);
      this.logger.warn(
        `Could not read rollouts (${selection.labelSelector}) from cluster ${cluster.name}: ${error.reason}: ${error.message}`,
      );
      return {
        status: { ...base, status: 'error', error },
        rollouts: this.staleRollouts(cluster, selection, error.reason),
      };
    }
  }
}

/** A remembered read's key: the cluster and the entity's selection. */
function readKey(cluster: ClusterDetails, selection: EntitySelection): string {
  return `${watchKey(cluster)}\u0000${selection.namespace ?? ''}\u0000${
    selection.labelSelector
  }`;
}

/**
 * The cluster as the watch cache and the last-known reads know it: its name, and for a catalog-located cluster
 * its URL too, so that a Resource moved to another API server never answers from the old one's objects.
 */
function watchKey(cluster: ClusterDetails): string {
  return cluster.catalog ? `${cluster.name} at ${cluster.url}` : cluster.name;
}

function emptyObjects(cluster: string): ClusterObjects {
  return {
    cluster,
    istioVersion: '',
    virtualServices: [],
    destinationRules: [],
    deployments: [],
    services: [],
    namespaces: [],
  };
}

/**
 * Only the objects in the namespaces the operator pinned the cluster to
 * (`istioRollouts.clusters[].namespaces`): whatever an entity's selector
 * matches elsewhere is neither shown nor patched.
 */
export function withinNamespaces(
  objects: ClusterObjects,
  namespaces: string[],
): ClusterObjects {
  const allowed = new Set(namespaces);
  const keep = (list: KubeObject[]) =>
    list.filter(o => allowed.has(o.metadata?.namespace ?? 'default'));
  return {
    ...objects,
    virtualServices: keep(objects.virtualServices),
    destinationRules: keep(objects.destinationRules),
    deployments: keep(objects.deployments),
    services: keep(objects.services),
    namespaces: objects.namespaces.filter(n =>
      allowed.has(n.metadata?.name ?? ''),
    ),
  };
}
