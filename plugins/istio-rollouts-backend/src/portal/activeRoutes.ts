import type {
  KubeObject,
  PortalEntity,
  PortalRolloutRow,
  RolloutReadModel,
  Route,
} from '@internal/plugin-istio-rollouts-common';

/** Phases in which a route is mid-release: what the portal page lists (with any route a plan runs on). */
const ACTIVE_PHASES = ['canary', 'promoted', 'blue-green', 'mirroring'];

/** Whether the page lists the route. */
export function isActiveRoute(route: Route): boolean {
  return ACTIVE_PHASES.includes(route.state.phase) || route.plan !== undefined;
}

/** The VirtualService a rollout was read from, among its cluster's objects. */
export function virtualServiceOf(
  rollout: RolloutReadModel,
  virtualServices: KubeObject[],
): KubeObject | undefined {
  return virtualServices.find(
    vs =>
      vs.metadata?.name === rollout.name &&
      (vs.metadata?.namespace ?? 'default') === rollout.namespace,
  );
}

/** The rows of one rollout's active routes, for the entities given (those the caller may read). */
export function rowsOf(
  rollout: RolloutReadModel & { stale?: unknown },
  entities: PortalEntity[],
): PortalRolloutRow[] {
  return rollout.routes.filter(isActiveRoute).map(route => ({
    entities,
    cluster: rollout.cluster,
    namespace: rollout.namespace,
    rolloutId: rollout.id,
    virtualService: rollout.name,
    route: {
      kind: route.kind,
      index: route.index,
      ...(route.name && { name: route.name }),
    },
    phase: route.state.phase,
    label: route.state.label,
    split: route.destinations.map(d => ({
      subset: d.subset ?? d.host,
      weight: d.weight,
    })),
    ...(route.plan && { plan: route.plan }),
    ...(rollout.stale !== undefined && { stale: true }),
  }));
}
