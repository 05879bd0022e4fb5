/** Reading the split of a stored route stanza, for the stable subset of a rollback. */

type Destination = {
  destination?: { host?: string; subset?: string };
  weight?: number;
};

function destinationsOf(stanza: unknown): Destination[] {
  const destinations = (stanza as { route?: unknown } | null)?.route;
  return Array.isArray(destinations) ? destinations : [];
}

/** The subset (or host) that gets all traffic of a route stanza, if one does. */
export function soleDestination(stanza: unknown): string | undefined {
  const destinations = destinationsOf(stanza);
  if (destinations.length === 0) return undefined;
  // A lone destination without weight takes all traffic.
  const live =
    destinations.length === 1
      ? destinations
      : destinations.filter(d => (d.weight ?? 0) > 0);
  if (live.length !== 1) return undefined;
  const target = live[0].destination;
  return target?.subset ?? target?.host;
}

/** The subset (or host) with the largest share of a route stanza; the first listed on a tie. */
export function heaviestDestination(stanza: unknown): string | undefined {
  const destinations = destinationsOf(stanza);
  let best: Destination | undefined;
  let bestWeight = -1;
  for (const d of destinations) {
    // Istio's reading: a lone destination without weight takes everything, several take 0 each.
    const weight = d.weight ?? (destinations.length === 1 ? 100 : 0);
    if (weight > bestWeight) {
      best = d;
      bestWeight = weight;
    }
  }
  return best?.destination?.subset ?? best?.destination?.host;
}
