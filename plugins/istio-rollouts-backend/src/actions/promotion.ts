/**
 * Which changes are promotions. Permissions name intents (`.traffic.update`
 * moves traffic, `.traffic.promote` makes a candidate live), but a request
 * names only a mechanism: `setWeights {v1: 0, v2: 100}` is the same patch as
 * `promote v2`. So the result decides: a change after which one subset,
 * other than the route's stable subset, takes all of a route's traffic that
 * it did not take before, is a promotion, whatever action asked for it.
 */

type Destination = {
  destination?: { host?: unknown; subset?: unknown };
  weight?: unknown;
};

/** The subset (or host) that takes all traffic of a route stanza, if one does. */
export function soleLiveDestination(stanza: unknown): string | undefined {
  const route = (stanza as { route?: unknown } | null | undefined)?.route;
  if (!Array.isArray(route) || route.length === 0) return undefined;
  const destinations = route as Destination[];
  // Istio's reading: a lone destination takes everything whatever its
  // weight; among several, only a positive weight gets traffic.
  const live =
    destinations.length === 1
      ? destinations
      : destinations.filter(d => typeof d.weight === 'number' && d.weight > 0);
  if (live.length !== 1) return undefined;
  const target = live[0].destination;
  const name = target?.subset ?? target?.host;
  return typeof name === 'string' ? name : undefined;
}

/**
 * The subset a route change promotes, or undefined when it promotes none:
 * after it one destination takes all the traffic, it did not before, and it
 * is not the stable subset (sending everything back there is a roll back).
 * Without a known stable subset, any such change counts: the check fails
 * closed.
 */
export function promotedSubset(
  change: { before: unknown; after: unknown },
  stableSubset: string | undefined,
): string | undefined {
  const after = soleLiveDestination(change.after);
  if (after === undefined) return undefined;
  if (after === soleLiveDestination(change.before)) return undefined;
  if (stableSubset !== undefined && after === stableSubset) return undefined;
  return after;
}
