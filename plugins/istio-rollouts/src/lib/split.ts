import {
  parseDestinations,
  Route,
  RouteDestination,
  sharesOf,
} from '@internal/plugin-istio-rollouts-common';

// The shares are the server's rule (common's state model reads the canary's percent with it): one rule, re-exported.
export {
  destinationKey,
  sharesOf,
} from '@internal/plugin-istio-rollouts-common';
export type { Share } from '@internal/plugin-istio-rollouts-common';

/** A split in words: `v1 50% / v2 50%`. Destinations at 0 are listed too. */
export function formatSplit(destinations: RouteDestination[]): string {
  if (destinations.length === 0) return 'no destination';
  return sharesOf(destinations)
    .map(s => `${s.key} ${s.percent}%`)
    .join(' / ');
}

/**
 * The destinations of a raw route stanza (`spec.http[i]` as the backend
 * returns it before and after an action), read the way Istio reads them.
 */
export function destinationsOfStanza(stanza: unknown): RouteDestination[] {
  if (!stanza || typeof stanza !== 'object') return [];
  return parseDestinations((stanza as { route?: unknown }).route);
}

/** A route stanza's split in words, e.g. `v1 50% / v2 50%`. */
export function formatStanzaSplit(stanza: unknown): string {
  if (stanza === undefined || stanza === null) return 'none';
  return formatSplit(destinationsOfStanza(stanza));
}

/** True when the route sends traffic to more than one destination. */
export function isSplit(route: Route): boolean {
  return route.destinations.filter(d => d.weight > 0).length > 1;
}
