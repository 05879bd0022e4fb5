import {
  parseDestinations,
  Route,
  RouteDestination,
} from '@internal/plugin-istio-rollouts-common';

/** A destination as the UI names it: its subset, or its host for a host-level split. */
export function destinationKey(d: { host: string; subset?: string }): string {
  return d.subset ?? d.host;
}

/** One destination's share of a route. */
export interface Share {
  key: string;
  weight: number;
  /** Percent of the route's requests, as Istio reads relative weights; whole numbers adding up to 100. */
  percent: number;
}

/**
 * The share of each destination in percent. Istio reads weights that don't
 * add up to 100 as relative shares; the percentages are rounded so that they
 * add up to exactly 100 (all 0 when every weight is 0).
 */
export function sharesOf(destinations: RouteDestination[]): Share[] {
  const total = destinations.reduce((s, d) => s + d.weight, 0);
  const exact = destinations.map(d =>
    total > 0 ? (d.weight * 100) / total : 0,
  );
  const percents = exact.map(Math.floor);
  let left = total > 0 ? 100 - percents.reduce((s, p) => s + p, 0) : 0;
  exact
    .map((value, index) => ({ index, remainder: value - Math.floor(value) }))
    .sort((a, b) => b.remainder - a.remainder || a.index - b.index)
    .forEach(({ index }) => {
      if (left > 0) {
        percents[index] += 1;
        left -= 1;
      }
    });
  return destinations.map((d, i) => ({
    key: destinationKey(d),
    weight: d.weight,
    percent: percents[i],
  }));
}

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
