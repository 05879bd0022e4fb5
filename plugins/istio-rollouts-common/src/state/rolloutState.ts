import type { PhaseState, Rollout, RoutePhase } from '../api';
import { DEFAULT_MATCH } from '../routing/matches';

type StatedRoute = Pick<
  Rollout['routes'][number],
  'kind' | 'index' | 'match' | 'delegate' | 'destinations'
> & {
  state: PhaseState;
};

/** Which phase speaks for a VirtualService when its routes differ: the most active. */
const RANK: Record<RoutePhase, number> = {
  mirroring: 0,
  canary: 1,
  'blue-green': 2,
  promoted: 3,
  stable: 4,
};

/**
 * The state of a rollout: that of its main route — the most active one (mirroring, then splitting, then a
 * blue/green pair, then promoted), the default route first among equals, else the first route.
 * @public
 */
export function rolloutState(routes: StatedRoute[]): Rollout['state'] {
  const traffic = routes.filter(r => !r.delegate && r.destinations.length > 0);
  const ranked = traffic
    .map((route, i) => ({ route, i }))
    .sort(
      (a, b) =>
        RANK[a.route.state.phase] - RANK[b.route.state.phase] ||
        Number(b.route.match === DEFAULT_MATCH) -
          Number(a.route.match === DEFAULT_MATCH) ||
        a.i - b.i,
    );
  const main = ranked[0]?.route;
  if (!main) {
    return {
      phase: 'stable',
      label: 'stable',
      description:
        'No route of this VirtualService sends requests to a destination.',
    };
  }
  const {
    phase,
    label,
    description,
    stableSubset,
    candidateSubset,
    candidatePercent,
  } = main.state;
  return {
    phase,
    label,
    description,
    ...(stableSubset !== undefined ? { stableSubset } : {}),
    ...(candidateSubset !== undefined ? { candidateSubset } : {}),
    ...(candidatePercent !== undefined ? { candidatePercent } : {}),
    route: { kind: main.kind, index: main.index },
  };
}
