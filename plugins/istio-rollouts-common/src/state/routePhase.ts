/**
 * The phase of one route, read from its destinations (see `destinationRoles` for live, staged and retired), its
 * mirrors, and whether it belongs to a blue/green header route pair. First match wins:
 * 1. `blue-green` — the route is the header route or the default route of a header route pair (the pair's rule is
 *    the `switch` planner's). Stable: the default route's subset; candidate: the header route's.
 * 2. `mirroring` — the route copies requests elsewhere. Stable: its heaviest destination; candidate: the mirror.
 * 3. `canary` — two or more destinations take traffic. Candidate: the live one listed last (the newest); stable:
 *    the heaviest of the others (ties: listed first).
 * 4. `promoted` — one destination takes everything and a retired one is listed before it: the traffic moved on.
 * 5. `stable` — anything else. Candidate: the staged destination, if any.
 */
import type { RouteDestination, RouteMirror, RoutePhase } from '../api';
import { destinationRoles, DestinationRoles } from './destinationRoles';
import { destinationKey, sharesOf } from './shares';

/** What the phase rules read of a route. @public */
export interface PhaseRoute {
  destinations: RouteDestination[];
  mirrors?: RouteMirror[];
}

/** The route's part in a blue/green header route pair, if it has one. @public */
export interface HeaderPairRole {
  /** The subset the default route sends everything to: live. */
  live: string;
  /** The subset the header route sends everything to: reachable by header, live after a switch. */
  idle: string;
  /** The header route's match in words, e.g. `header x-deploy = green`. */
  headerMatch: string;
}

/** A route's phase with the destinations it was read from. @public */
export interface RoutePhaseReading {
  phase: RoutePhase;
  /** The stable destination's key: its subset, or its host in a host-level split. */
  stable?: string;
  /** The candidate's key. */
  candidate?: string;
  /** `stable` when it is a subset: what promote, roll back and the metrics work with. */
  stableSubset?: string;
  /** `candidate` when it is a subset. */
  candidateSubset?: string;
  candidatePercent?: number;
  roles: DestinationRoles;
  /** Set for `blue-green`. */
  pair?: HeaderPairRole;
}

function heaviest<T extends { weight: number }>(list: T[]): T | undefined {
  // Stable sort: ties keep route order, so the one listed first wins.
  return [...list].sort((a, b) => b.weight - a.weight)[0];
}

/** The phase of one route (see the rules at the top of this file). @public */
export function readRoutePhase(
  route: PhaseRoute,
  pair?: HeaderPairRole,
): RoutePhaseReading {
  const keyed = route.destinations.map(d => ({
    key: destinationKey(d),
    weight: d.weight,
  }));
  const roles = destinationRoles(keyed);
  const subsets = new Set([
    ...[...route.destinations, ...(route.mirrors ?? [])].flatMap(d =>
      d.subset === undefined ? [] : [d.subset],
    ),
    ...(pair ? [pair.live, pair.idle] : []),
  ]);
  const reading = (
    phase: RoutePhase,
    stable: string | undefined,
    candidate: string | undefined,
    extra: Partial<RoutePhaseReading> = {},
  ): RoutePhaseReading => {
    const other = candidate !== stable ? candidate : undefined;
    return {
      phase,
      roles,
      ...(stable !== undefined ? { stable } : {}),
      ...(other !== undefined ? { candidate: other } : {}),
      ...(stable !== undefined && subsets.has(stable)
        ? { stableSubset: stable }
        : {}),
      ...(other !== undefined && subsets.has(other)
        ? { candidateSubset: other }
        : {}),
      ...extra,
    };
  };

  if (pair) {
    return reading('blue-green', pair.live, pair.idle, {
      roles: { live: roles.live, retired: [] },
      pair,
    });
  }
  const mirror = route.mirrors?.[0];
  if (mirror) {
    return reading(
      'mirroring',
      heaviest(roles.live)?.key,
      destinationKey(mirror),
      { candidatePercent: mirror.percentage },
    );
  }
  if (roles.live.length > 1) {
    const candidate = roles.live[roles.live.length - 1];
    const stable = heaviest(roles.live.filter(d => d !== candidate))!;
    return reading('canary', stable.key, candidate.key, {
      candidatePercent: sharesOf(route.destinations).find(
        s => s.key === candidate.key,
      )?.percent,
    });
  }
  const [live] = roles.live;
  if (!live) return reading('stable', undefined, undefined);
  const keys = keyed.map(d => d.key);
  const movedOn = roles.retired.some(
    r => keys.indexOf(r.key) < keys.indexOf(live.key),
  );
  return reading(movedOn ? 'promoted' : 'stable', live.key, roles.staged?.key);
}
