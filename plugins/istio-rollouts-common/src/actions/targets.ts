import type { RollbackOffer } from '../api';

/** A destination as the targets read it: the read model's and the planner's destinations both fit. */
interface TargetDestination {
  host: string;
  subset?: string;
}

/** Where a rollback returns to, and who said so. @public */
export type RollbackTarget = RollbackOffer;

/**
 * The subset `promote` offers a route: its candidate (the newest destination taking a share, or the one staged at
 * 0 %) when the route lists it under a subset and it does not take all of the traffic yet. None otherwise — never
 * a destination the route has moved on from, which would be a roll back under another name.
 * @public
 */
export function promoteTarget(
  route: { destinations: Array<TargetDestination & { weight: number }> },
  candidateSubset: string | undefined,
): string | undefined {
  if (candidateSubset === undefined || route.destinations.length < 2) {
    return undefined;
  }
  const total = route.destinations.reduce((sum, d) => sum + d.weight, 0);
  const takesAll =
    total > 0 &&
    route.destinations.every(
      d => d.subset === candidateSubset || d.weight === 0,
    );
  const listed = route.destinations.some(d => d.subset === candidateSubset);
  return listed && !takesAll ? candidateSubset : undefined;
}

/**
 * Where a rollback of a route returns to: the subset the history recorded as holding all the traffic before the
 * route's latest rollout began (it outlives a promote, after which the read model calls the candidate stable),
 * else the read model's stable subset. Either must still be a destination of the route (by subset, or by host for
 * a host-level split); undefined when neither is.
 * @public
 */
export function rollbackTarget(
  route: { destinations: TargetDestination[] },
  known: { recorded?: string; stableSubset?: string },
): RollbackTarget | undefined {
  const keys = new Set(route.destinations.map(d => d.subset ?? d.host));
  if (known.recorded !== undefined && keys.has(known.recorded)) {
    return { subset: known.recorded, source: 'history' };
  }
  if (known.stableSubset !== undefined && keys.has(known.stableSubset)) {
    return { subset: known.stableSubset, source: 'readModel' };
  }
  return undefined;
}
