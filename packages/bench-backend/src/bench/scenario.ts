/*
 * One scenario's cluster contents and catalog: the measured entity, the UI
 * entity (when asked for), the portal page's entities (portal.ts) and the
 * other workloads (manifests.ts), and what the portal page must answer.
 */
import {
  BENCH_ENTITY,
  BENCH_OBJECTS_PER_KIND,
  benchEntityObjects,
  KUBERNETES_ID_LABEL,
  list,
  Obj,
  otherEntitiesObjects,
  spreadOver,
  UI_ENTITY,
  uiEntityObjects,
} from './manifests';
import {
  expectedPortalRows,
  portalCatalogDocs,
  portalEntityCount,
  portalEntityId,
  portalEntityObjects,
  PortalExpectation,
} from './portal';

export interface ScenarioOptions {
  clusters: number;
  /** M: VirtualServices, DestinationRules and Deployments per cluster, each. */
  objectsPerKind: number;
  /** > 0 adds the UI entity's VirtualServices, spread over the clusters. */
  uiVirtualServices?: number;
  /** The portal page's catalog entities; {@link portalEntityCount} of M when absent. */
  portalEntities?: number;
}

/**
 * What one scenario puts in each cluster: M VirtualServices,
 * DestinationRules and Deployments in all, of which the measured entity owns
 * 3 of each, the portal entities one each, and workloads outside the catalog
 * the rest (plus the measured entity's 3 Services, and the UI entity's
 * objects when asked for).
 */
export interface ClusterManifests {
  /** Shared by every cluster of a scenario: the other workloads' objects. */
  others: string;
  /** Per cluster: the catalog entities' objects (measured, UI, portal). */
  perCluster: string[];
}

function checked(options: ScenarioOptions) {
  const { clusters, objectsPerKind } = options;
  if (!Number.isInteger(clusters) || clusters < 1) {
    throw new Error(`clusters must be a positive integer, got ${clusters}`);
  }
  if (
    !Number.isInteger(objectsPerKind) ||
    objectsPerKind < BENCH_OBJECTS_PER_KIND
  ) {
    throw new Error(
      `objectsPerKind must be an integer >= ${BENCH_OBJECTS_PER_KIND}, got ${objectsPerKind}`,
    );
  }
  const portal = options.portalEntities ?? portalEntityCount(objectsPerKind);
  const room = objectsPerKind - BENCH_OBJECTS_PER_KIND;
  if (!Number.isInteger(portal) || portal < 0 || portal > room) {
    throw new Error(
      `portalEntities must be an integer from 0 to ${room}, got ${portal}`,
    );
  }
  return { clusters, objectsPerKind, portal };
}

/** Each cluster's own objects (not the shared other workloads'), as items. */
function clusterItems(options: ScenarioOptions): Obj[][] {
  const { clusters, portal } = checked(options);
  const ui = spreadOver(options.uiVirtualServices ?? 0, clusters);
  let offset = 0;
  return ui.map((count, i) => {
    const items = [
      ...benchEntityObjects(),
      ...uiEntityObjects(count, offset),
      ...portalEntityObjects(i, portal),
    ];
    offset += count;
    return items;
  });
}

/** The manifests of a scenario (see {@link ScenarioOptions}). */
export function scenarioManifests(options: ScenarioOptions): ClusterManifests {
  const { objectsPerKind, portal } = checked(options);
  return {
    others: JSON.stringify(
      list(
        otherEntitiesObjects(objectsPerKind - BENCH_OBJECTS_PER_KIND - portal),
      ),
    ),
    perCluster: clusterItems(options).map(items => JSON.stringify(list(items))),
  };
}

/** The catalog's entities with a kubernetes-id, for `portalEntities` portal entities. */
function catalogIds(portalEntities: number): Set<string> {
  return new Set([
    BENCH_ENTITY,
    UI_ENTITY,
    ...Array.from({ length: portalEntities }, (_, i) => portalEntityId(i)),
  ]);
}

/**
 * What `GET /api/istio-rollouts/v1/rollouts` answers in this scenario: a row
 * per active route of every VirtualService a catalog entity claims (the
 * measured entity's canaries too), counted from the generated objects. The
 * other workloads' objects carry no kubernetes-id: the page never sees them.
 */
export function portalExpectation(options: ScenarioOptions): PortalExpectation {
  const { portal } = checked(options);
  return expectedPortalRows(clusterItems(options), catalogIds(portal), portal);
}

/**
 * The catalog file of the bench: the guest user, its team, the measured and
 * UI entities, and `portalEntities` portal entities with their teams.
 */
export function catalogYaml(options: { portalEntities?: number } = {}): string {
  const portal = options.portalEntities ?? 0;
  const docs: Obj[] = [
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Group',
      metadata: { name: 'team-bench' },
      spec: { type: 'team', children: [], members: ['guest'] },
    },
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'User',
      metadata: { name: 'guest' },
      spec: {
        profile: { displayName: 'Guest (bench)' },
        memberOf: ['team-bench'],
      },
    },
    ...[BENCH_ENTITY, UI_ENTITY].map(name => ({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name,
        annotations: { [KUBERNETES_ID_LABEL]: name },
      },
      spec: {
        type: 'service',
        lifecycle: 'production',
        owner: 'group:default/team-bench',
      },
    })),
  ];
  // JSON documents are YAML documents; the portal's many on one line each,
  // which keeps the file small (~100 KB for 500).
  return `${[
    ...docs.map(d => JSON.stringify(d, null, 2)),
    ...portalCatalogDocs(portal).map(d => JSON.stringify(d)),
  ].join('\n---\n')}\n`;
}
