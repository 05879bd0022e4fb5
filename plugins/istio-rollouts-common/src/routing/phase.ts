/**
 * What a VirtualService's routes are doing, and which subset is stable and which the candidate.
 *
 * Rules, first match wins:
 * 1. `mirroring` — an http route mirrors traffic. Stable: the subset of that route with the most weight;
 *    candidate: the mirror's subset.
 * 2. `canary` — a route sends non-zero weight to two or more destinations. The default route is preferred
 *    when several routes split. Stable: the destination with the most weight (ties: the one listed first);
 *    candidate: the next one.
 * 3. `blue-green` — an http route that matches on headers sends all its traffic to one subset while the
 *    default route sends all its traffic to another subset of the same host (blue live, green reachable by
 *    header). Stable: the default route's subset; candidate: the header route's subset.
 * 4. `blue-green` — a route sends 100 % to one subset and 0 % to another subset of the same host, and both
 *    have ready pods (an idle, ready side waiting for the switch). Stable: the live subset; candidate: the
 *    ready idle one. A canary started at 0 % with ready pods has the same shape and is read the same way
 *    until it receives traffic.
 * 5. `stable` — anything else. Stable: the default route's (else the first route's) subset with the most
 *    weight; candidate: a subset that route lists at 0 % (staged), if any.
 * Host-level splits (destinations without subsets) get a phase but no stable/candidate subset.
 */
import { RouteDestination, RolloutPhase } from '../api';
import type { ParsedRoute } from './parseVirtualService';
import { DEFAULT_MATCH } from './matches';

/** A phase with its stable and candidate subsets. @public */
export interface PhaseResult {
  phase: RolloutPhase;
  stableSubset?: string;
  candidateSubset?: string;
}

/** What the phase rules need to know beyond the routes. @public */
export interface PhaseOptions {
  /** Canonical form of a destination host, so `reviews` and its FQDN count as one host. Default: lower-case. */
  hostKey?: (host: string) => string;
  /** Whether a destination has ready pods behind it. Default: unknown, read as not ready. */
  isReady?: (destination: RouteDestination) => boolean;
}

interface Target {
  host: string;
  subset?: string;
  weight: number;
  first: number;
  destination: RouteDestination;
}

/** The route's destinations merged per host+subset, heaviest first (ties: listed first). */
function targets(
  route: ParsedRoute,
  hostKey: (host: string) => string,
): Target[] {
  const merged = new Map<string, Target>();
  route.destinations.forEach((destination, i) => {
    const host = hostKey(destination.host);
    const key = `${host}\u0000${destination.subset ?? ''}`;
    const existing = merged.get(key);
    if (existing) existing.weight += destination.weight;
    else {
      merged.set(key, {
        host,
        subset: destination.subset,
        weight: destination.weight,
        first: i,
        destination,
      });
    }
  });
  return [...merged.values()].sort(
    (a, b) => b.weight - a.weight || a.first - b.first,
  );
}

/** The only destination of the route that gets traffic, if exactly one does. */
function soleTarget(
  route: ParsedRoute | undefined,
  hostKey: (host: string) => string,
): Target | undefined {
  if (!route) return undefined;
  const live = targets(route, hostKey).filter(t => t.weight > 0);
  return live.length === 1 ? live[0] : undefined;
}

function result(
  phase: RolloutPhase,
  stableSubset?: string,
  candidateSubset?: string,
): PhaseResult {
  return {
    phase,
    ...(stableSubset ? { stableSubset } : {}),
    ...(candidateSubset && candidateSubset !== stableSubset
      ? { candidateSubset }
      : {}),
  };
}

/** The phase of a VirtualService from its routes (see the rules at the top of this file). @public */
export function determinePhase(
  routes: ParsedRoute[],
  options: PhaseOptions = {},
): PhaseResult {
  const hostKey = options.hostKey ?? ((h: string) => h.toLowerCase());
  const isReady = options.isReady ?? (() => false);
  const traffic = routes.filter(r => !r.delegate && r.destinations.length > 0);
  const defaultRoute = traffic.find(r => r.match === DEFAULT_MATCH);
  // Look at the default route first: it carries the traffic no other route claims.
  const byPreference = defaultRoute
    ? [defaultRoute, ...traffic.filter(r => r !== defaultRoute)]
    : traffic;

  const mirrored = routes.find(r => r.kind === 'http' && r.mirrors?.length);
  if (mirrored) {
    const stable = targets(mirrored, hostKey)[0]?.subset;
    const candidate = mirrored.mirrors?.find(
      m => m.subset && m.subset !== stable,
    )?.subset;
    return result('mirroring', stable, candidate);
  }

  const split = byPreference.find(
    r => targets(r, hostKey).filter(t => t.weight > 0).length > 1,
  );
  if (split) {
    const [stable, candidate] = targets(split, hostKey);
    return result('canary', stable.subset, candidate.subset);
  }

  const defaultTarget = soleTarget(defaultRoute, hostKey);
  if (defaultTarget?.subset) {
    for (const route of traffic) {
      if (route === defaultRoute || !route.matchedHeaders?.length) continue;
      const target = soleTarget(route, hostKey);
      if (
        target?.subset &&
        target.host === defaultTarget.host &&
        target.subset !== defaultTarget.subset
      ) {
        return result('blue-green', defaultTarget.subset, target.subset);
      }
    }
  }

  for (const route of byPreference) {
    const live = soleTarget(route, hostKey);
    if (!live?.subset || !isReady(live.destination)) continue;
    const idle = targets(route, hostKey).find(
      t =>
        t.weight === 0 &&
        t.subset &&
        t.host === live.host &&
        t.subset !== live.subset &&
        isReady(t.destination),
    );
    if (idle) return result('blue-green', live.subset, idle.subset);
  }

  const main = defaultRoute ?? traffic[0];
  if (!main) return result('stable');
  const ranked = targets(main, hostKey);
  const stable = ranked[0];
  const staged = ranked.find(
    t => t.weight === 0 && t.subset && t.subset !== stable.subset,
  );
  return result('stable', stable.subset, staged?.subset);
}
