import type { RouteDestination } from '../api';

/** A destination as actions and the tab name it: its subset, or its host for a host-level split. @public */
export function destinationKey(d: { host: string; subset?: string }): string {
  return d.subset ?? d.host;
}

/** One destination's share of a route. @public */
export interface Share {
  key: string;
  weight: number;
  /** Percent of the route's requests, as Istio reads relative weights; whole numbers adding up to 100. */
  percent: number;
}

/**
 * The share of each destination in percent. Istio reads weights that don't add up to 100 as relative shares; the
 * percentages are rounded (largest remainder) so that they add up to exactly 100, or are all 0 when every weight is.
 * @public
 */
export function sharesOf(
  destinations: Array<Pick<RouteDestination, 'host' | 'subset' | 'weight'>>,
): Share[] {
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
