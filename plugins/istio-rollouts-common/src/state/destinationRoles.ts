/**
 * Which destinations of a route carry traffic, which one is staged and which are retired — read from the weights
 * and the order the route lists them in. `startCanary` appends a new destination at the end, and promote, roll
 * back and set weights keep the order, so a route's list reads oldest to newest:
 * - live: weight above 0;
 * - staged: the last destination, at 0 %, listed after every live one (the newest version, waiting for traffic);
 * - retired: every other destination at 0 % (a version the route has moved on from).
 * The one rule both the read model (the route's state) and the `finish` planner (what it removes) follow.
 */

/** A destination by its key (subset, or host) and the weight Istio reads for it. @public */
export interface KeyedWeight {
  key: string;
  weight: number;
}

/** The roles of a route's destinations, by key, each list in route order. @public */
export interface DestinationRoles {
  live: KeyedWeight[];
  staged?: KeyedWeight;
  retired: KeyedWeight[];
}

/** Destinations listed twice under one key count once, at their first position, with their weights added. */
function merged(destinations: KeyedWeight[]): KeyedWeight[] {
  const byKey = new Map<string, KeyedWeight>();
  for (const d of destinations) {
    const seen = byKey.get(d.key);
    if (seen) seen.weight += d.weight;
    else byKey.set(d.key, { key: d.key, weight: d.weight });
  }
  return [...byKey.values()];
}

/** The live, staged and retired destinations of a route (see the rule at the top of this file). @public */
export function destinationRoles(
  destinations: KeyedWeight[],
): DestinationRoles {
  const list = merged(destinations);
  const live = list.filter(d => d.weight > 0);
  // A route that sends nothing anywhere has no version to move on from.
  if (live.length === 0) return { live, retired: [] };
  const last = list[list.length - 1];
  const staged = last.weight === 0 ? last : undefined;
  const retired = list.filter(d => d.weight === 0 && d !== staged);
  return staged ? { live, staged, retired } : { live, retired };
}
