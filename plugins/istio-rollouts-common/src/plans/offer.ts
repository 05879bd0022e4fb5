import type { Route, StartPlanOffer } from '../api';

/**
 * Whether a step plan may start on a route, and between which subsets: an `http` route in `canary` or `stable`
 * phase whose state names a stable and a candidate subset, where no other destination carries traffic (a plan only
 * moves traffic between its two subsets). Header pairs, mirrors, delegates and host-level splits get none. A
 * running plan is the backend's to rule out.
 * @public
 */
export function stepPlanOffer(route: Route): StartPlanOffer | undefined {
  const { phase, stableSubset, candidateSubset } = route.state;
  if (route.kind !== 'http' || route.delegate) return undefined;
  if (phase !== 'canary' && phase !== 'stable') return undefined;
  if (!stableSubset || !candidateSubset || stableSubset === candidateSubset) {
    return undefined;
  }
  const others = route.destinations.filter(
    d => d.subset !== stableSubset && d.subset !== candidateSubset,
  );
  if (others.some(d => d.weight > 0)) return undefined;
  return { stableSubset, canarySubset: candidateSubset };
}
