import {
  istioRolloutsTrafficPromotePermission,
  istioRolloutsTrafficUpdatePermission,
  Rollout,
  RolloutAction,
  RolloutOwner,
  Route,
} from '@internal/plugin-istio-rollouts-common';
import { destinationKey } from './split';

/** The permission each action needs, as the backend checks it. */
export const PERMISSION_OF_ACTION: Record<RolloutAction, string> = {
  setWeights: istioRolloutsTrafficUpdatePermission.name,
  rollback: istioRolloutsTrafficUpdatePermission.name,
  startCanary: istioRolloutsTrafficUpdatePermission.name,
  promote: istioRolloutsTrafficPromotePermission.name,
  switch: istioRolloutsTrafficPromotePermission.name,
};

/** What an action is called on a button and in the history. */
export const ACTION_LABELS: Record<RolloutAction, string> = {
  setWeights: 'Set weights',
  promote: 'Promote',
  rollback: 'Roll back',
  switch: 'Switch',
  startCanary: 'Start canary',
};

const OWNER_NAMES: Record<RolloutOwner['kind'], string> = {
  ArgoRollouts: 'Argo Rollouts',
  Flagger: 'Flagger',
  ArgoCD: 'Argo CD',
  Flux: 'Flux',
};

/** `Argo Rollouts` */
export function ownerKindName(owner: RolloutOwner): string {
  return OWNER_NAMES[owner.kind] ?? owner.kind;
}

/** `Argo Rollouts (reviews)` */
export function ownerName(owner: RolloutOwner): string {
  const name = ownerKindName(owner);
  return owner.name ? `${name} (${owner.name})` : name;
}

/**
 * Why the caller may not take an action on a rollout, or undefined when they
 * may. A controller that refuses edits is named first: no permission would
 * help there.
 */
export function disabledReason(
  rollout: Rollout,
  action: RolloutAction,
): string | undefined {
  if (rollout.owner?.effect === 'refuses-edits') {
    return `Managed by ${ownerName(
      rollout.owner,
    )}, which sets the weights itself and reverts direct edits: change it through ${ownerKindName(
      rollout.owner,
    )}.`;
  }
  if (rollout.readOnly) {
    // The server's words: the catalog or the cluster keeps it read-only.
    return rollout.readOnly.message;
  }
  if (!rollout.allowedActions.includes(action)) {
    return `You don't have the permission ${PERMISSION_OF_ACTION[action]} on this entity.`;
  }
  return undefined;
}

/**
 * The permissions the caller lacks on a rollout, for a one-line explanation
 * under read-only controls; empty when every action is allowed.
 */
export function missingPermissions(rollout: Rollout): string[] {
  const missing = new Set<string>();
  // Read-only for another reason than permissions: none is missing.
  if (rollout.readOnly) return [];
  for (const action of Object.keys(PERMISSION_OF_ACTION) as RolloutAction[]) {
    if (!rollout.allowedActions.includes(action)) {
      missing.add(PERMISSION_OF_ACTION[action]);
    }
  }
  return [...missing];
}

/**
 * The subset `Promote` sends a route's traffic to: the rollout's candidate when
 * the route lists it, else the route's second-heaviest destination. Undefined
 * when the route has a single destination (nothing to promote).
 */
export function promoteTarget(
  rollout: Rollout,
  route: Route,
): string | undefined {
  const subsets = route.destinations
    .map(d => d.subset)
    .filter((s): s is string => Boolean(s));
  if (route.destinations.length < 2 || subsets.length < 2) return undefined;
  if (
    rollout.candidateSubset &&
    subsets.includes(rollout.candidateSubset) &&
    !isAllOn(route, rollout.candidateSubset)
  ) {
    return rollout.candidateSubset;
  }
  const sorted = route.destinations
    .filter(d => d.subset)
    .map((d, i) => ({ d, i }))
    .sort((a, b) => b.d.weight - a.d.weight || a.i - b.i);
  return sorted[1]?.d.subset;
}

/** True when every request of the route goes to `key`. */
export function isAllOn(route: Route, key: string): boolean {
  const total = route.destinations.reduce((s, d) => s + d.weight, 0);
  return (
    total > 0 &&
    route.destinations.every(d => destinationKey(d) === key || d.weight === 0)
  );
}

/**
 * The subsets `Start canary` can add to a route: those of the route's hosts'
 * DestinationRules that the route doesn't list yet.
 */
export function canarySubsets(rollout: Rollout, route: Route): string[] {
  const listed = new Set(route.destinations.map(d => d.subset));
  const hosts = new Set(route.destinations.map(d => shortHost(d.host)));
  return rollout.subsets
    .filter(s => hosts.has(shortHost(s.host)) && !listed.has(s.name))
    .map(s => s.name)
    .filter((name, i, all) => all.indexOf(name) === i);
}

/** `reviews.bookinfo.svc.cluster.local` → `reviews`: enough to tell a VirtualService's own hosts apart in the UI. */
export function shortHost(host: string): string {
  return host.split('.')[0];
}

/** A blue/green header route pair that `switch` can swap. */
export interface SwitchPair {
  headerRoute: Route;
  defaultRoute: Route;
  /** The subset the header route reaches (the idle side). */
  idle: string;
  /** The subset the default route serves (the live side). */
  live: string;
}

function soleSubset(route: Route): string | undefined {
  const live = route.destinations.filter(d => d.weight > 0);
  return live.length === 1 ? live[0].subset : undefined;
}

/**
 * The VirtualService's blue/green header route pair, as the backend's `switch`
 * wants it: an http route matching a header that sends everything to one
 * subset, before the default http route that sends everything to another.
 */
export function findSwitchPair(rollout: Rollout): SwitchPair | undefined {
  const http = rollout.routes.filter(r => r.kind === 'http');
  const defaultRoute = http.find(r => r.match === 'default');
  if (!defaultRoute) return undefined;
  const live = soleSubset(defaultRoute);
  if (!live) return undefined;
  for (const headerRoute of http) {
    if (headerRoute.index >= defaultRoute.index) break;
    if (!headerRoute.matchedHeaders?.length) continue;
    const idle = soleSubset(headerRoute);
    if (idle && idle !== live) {
      return { headerRoute, defaultRoute, idle, live };
    }
  }
  return undefined;
}
