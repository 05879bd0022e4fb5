/*
 * The portal page's entities (issue 16): catalog Components beside the
 * measured one, each with one lean VirtualService, DestinationRule and
 * Deployment in every cluster, labelled `backstage.io/kubernetes-id=<name>`
 * as the entity's annotation says — so the page
 * (`GET /api/istio-rollouts/v1/rollouts`), which lists every labelled object
 * of every cluster, maps them to the catalog. A share of them is mid-release
 * (a canary, or a blue/green pair routed by header) in some clusters, and
 * the page answers one row per such route.
 */
import {
  BENCH_OBJECTS_PER_KIND,
  KUBERNETES_ID_LABEL,
  leanObjects,
  namespaceObject,
  Obj,
  OTHER_NAMESPACES,
  otherNamespace,
  weightedRoute,
} from './manifests';

/** The bar: 500 labelled entities (at 20 × 5,000). */
export const PORTAL_ENTITIES_MAX = 500;

/**
 * How many portal entities a scenario of M objects per kind holds: 500, or
 * half of the objects the measured entity leaves when M is small (48 at
 * 3 × 100), so the other workloads keep their share.
 */
export function portalEntityCount(objectsPerKind: number): number {
  return Math.max(
    0,
    Math.min(
      PORTAL_ENTITIES_MAX,
      Math.floor((objectsPerKind - BENCH_OBJECTS_PER_KIND) / 2),
    ),
  );
}

/** The i-th portal entity's name, its kubernetes-id and its host. */
export function portalEntityId(i: number): string {
  return `svc-${String(i).padStart(3, '0')}`;
}

/** Its namespace in every cluster, and its owner `team-NN` (the same NN). */
export function portalEntityTeam(i: number): string {
  return otherNamespace(i % OTHER_NAMESPACES);
}

/**
 * Releases move through the clusters in waves: entity i is mid-release in
 * cluster c when `(i + c) % RELEASE_CYCLE` is below {@link RELEASE_SLOTS},
 * i.e. in 4 of every 50 (entity, cluster) pairs (8 %), each wave 4 clusters
 * wide. Canaries in a wave stand at the weights of {@link CANARY_WEIGHTS},
 * one per cluster.
 */
export const RELEASE_CYCLE = 50;
export const CANARY_WEIGHTS = [5, 10, 25, 50] as const;
const RELEASE_SLOTS = CANARY_WEIGHTS.length;
/** One entity in this many releases blue/green (a header-routed pair); the others by canary. */
export const BLUE_GREEN_EVERY = 5;

export type ReleaseState =
  | { phase: 'stable' }
  | { phase: 'canary'; weight: number }
  | { phase: 'blue-green' };

/** Where entity i's release stands in cluster c. */
export function releaseState(entity: number, cluster: number): ReleaseState {
  const slot = (entity + cluster) % RELEASE_CYCLE;
  if (slot >= RELEASE_SLOTS) return { phase: 'stable' };
  if (entity % BLUE_GREEN_EVERY === 0) return { phase: 'blue-green' };
  return { phase: 'canary', weight: CANARY_WEIGHTS[slot] };
}

/** The http routes of entity `id`'s VirtualService in that state. */
function httpRoutes(id: string, state: ReleaseState, blueGreen: boolean) {
  const [stable, next] = blueGreen ? ['blue', 'green'] : ['v1', 'v2'];
  switch (state.phase) {
    case 'canary':
      return [
        weightedRoute(id, [
          [stable, 100 - state.weight],
          [next, state.weight],
        ]),
      ];
    case 'blue-green':
      // The demo's shape: the green side by header, everything else blue.
      return [
        {
          name: 'green-by-header',
          match: [{ headers: { 'x-deploy': { exact: next } } }],
          ...weightedRoute(id, [[next, 100]]),
        },
        { name: 'default', ...weightedRoute(id, [[stable, 100]]) },
      ];
    default:
      return [weightedRoute(id, [[stable, 100]])];
  }
}

/**
 * The portal entities' objects in cluster `cluster`: for each of `count`
 * entities a VirtualService (in its release state there), a DestinationRule
 * and a Deployment in its team's namespace, and those namespaces.
 */
export function portalEntityObjects(cluster: number, count: number): Obj[] {
  const items: Obj[] = [];
  for (let n = 0; n < Math.min(count, OTHER_NAMESPACES); n++) {
    items.push(namespaceObject(otherNamespace(n)));
  }
  for (let i = 0; i < count; i++) {
    const id = portalEntityId(i);
    const blueGreen = i % BLUE_GREEN_EVERY === 0;
    items.push(
      ...leanObjects({
        id,
        namespace: portalEntityTeam(i),
        labels: { app: id, [KUBERNETES_ID_LABEL]: id },
        subsets: blueGreen ? ['blue', 'green'] : ['v1', 'v2'],
        http: httpRoutes(id, releaseState(i, cluster), blueGreen),
      }),
    );
  }
  return items;
}

/** The catalog documents of `count` portal entities: their teams (Groups) and Components. */
export function portalCatalogDocs(count: number): Obj[] {
  const teams = Math.min(count, OTHER_NAMESPACES);
  return [
    ...Array.from({ length: teams }, (_, n) => ({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Group',
      metadata: { name: otherNamespace(n) },
      spec: { type: 'team', children: [] },
    })),
    ...Array.from({ length: count }, (_, i) => ({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name: portalEntityId(i),
        annotations: { [KUBERNETES_ID_LABEL]: portalEntityId(i) },
      },
      spec: {
        type: 'service',
        lifecycle: 'production',
        owner: `group:default/${portalEntityTeam(i)}`,
      },
    })),
  ];
}

/** The phases of the page's rows. */
export type PortalPhase = 'canary' | 'blue-green';

type Route = {
  match?: Array<{ headers?: Record<string, unknown> }>;
  route?: Array<{ destination?: { subset?: string }; weight?: number }>;
};

const loneSubset = (r: Route) =>
  r.route?.length === 1 ? r.route[0].destination?.subset : undefined;

/**
 * The rows the page answers for one VirtualService, by the page's rules for
 * the shapes the bench generates — checked independently of the plugin's
 * code: both routes of a header pair (an http route matching a header with
 * one subset, before the default route with another) are `blue-green`; any
 * other route with traffic on two or more destinations is a `canary`.
 * Routes with all traffic on one destination are not listed.
 */
export function portalRowsOf(virtualService: Obj): PortalPhase[] {
  const http = ((virtualService.spec as { http?: Route[] })?.http ??
    []) as Route[];
  const fallback = http.findIndex(r => !r.match?.length);
  const live = fallback >= 0 ? loneSubset(http[fallback]) : undefined;
  const paired = new Set<number>();
  http.slice(0, Math.max(fallback, 0)).forEach((r, i) => {
    const idle = loneSubset(r);
    const byHeader = (r.match ?? []).some(
      m => Object.keys(m.headers ?? {}).length > 0,
    );
    if (live && idle && idle !== live && byHeader) {
      paired.add(i).add(fallback);
    }
  });
  return http.flatMap((r, i): PortalPhase[] => {
    if (paired.has(i)) return ['blue-green'];
    const live2 = (r.route ?? []).filter(d => (d.weight ?? 0) > 0);
    return live2.length > 1 ? ['canary'] : [];
  });
}

/** What the page must answer: a row count by phase, over all clusters. */
export interface PortalExpectation {
  clusters: number;
  /** Catalog entities whose objects the clusters hold (the portal entities). */
  entities: number;
  rows: number;
  byPhase: Record<PortalPhase, number>;
}

/**
 * The rows of clusters holding `perCluster` objects (each cluster's list),
 * for the VirtualServices whose kubernetes-id names a catalog entity.
 */
export function expectedPortalRows(
  perCluster: Obj[][],
  catalogIds: ReadonlySet<string>,
  entities: number,
): PortalExpectation {
  const byPhase: Record<PortalPhase, number> = { canary: 0, 'blue-green': 0 };
  for (const items of perCluster) {
    for (const o of items) {
      const labels = (o.metadata as { labels?: Record<string, string> })
        ?.labels;
      const id = labels?.[KUBERNETES_ID_LABEL];
      if (o.kind !== 'VirtualService' || !id || !catalogIds.has(id)) continue;
      for (const phase of portalRowsOf(o)) byPhase[phase]++;
    }
  }
  return {
    clusters: perCluster.length,
    entities,
    rows: byPhase.canary + byPhase['blue-green'],
    byPhase,
  };
}
