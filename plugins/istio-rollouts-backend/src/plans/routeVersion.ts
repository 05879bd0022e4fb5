import type {
  RolloutReadModel,
  Route,
  RouteRef,
  StepPlanRouteVersion,
} from '@internal/plugin-istio-rollouts-common';

/** The read model's route a plan's reference names: by kind and index (the address its patches use). */
export function findPlanRoute(
  rollout: RolloutReadModel,
  ref: RouteRef,
): Route | undefined {
  return rollout.routes.find(r => r.kind === ref.kind && r.index === ref.index);
}

/**
 * The route as a plan compares it with its last write: the VirtualService's resourceVersion and every destination's
 * weight by subset (by host for one without a subset).
 */
export function routeVersionOf(
  rollout: RolloutReadModel,
  route: Route,
): StepPlanRouteVersion {
  return {
    resourceVersion: rollout.resourceVersion,
    weights: Object.fromEntries(
      route.destinations.map(d => [d.subset ?? d.host, d.weight]),
    ),
  };
}
