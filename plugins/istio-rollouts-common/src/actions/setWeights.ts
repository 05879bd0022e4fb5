import { ActionValidationError } from './ActionValidationError';
import { quoteList } from './json';
import { requireWeight } from './parseActionRequest';
import { virtualServicePatch } from './planning';
import {
  findDestination,
  requireDestinations,
  requireDistinctKeys,
} from './routes';
import { requireSubsetDefined } from './subsets';
import type { LocatedRoute, PlanContext, Planned } from './types';
import { describeSplit, weightChanges } from './weights';

/**
 * `setWeights`: gives every destination of the route the weight the user chose.
 *
 * `weights` names every destination exactly once (by subset, or by host for destinations without subset) with an
 * integer 0–100, and the weights add up to 100. Every subset that carries traffic afterwards must be defined in a
 * DestinationRule for its host; a subset missing from the DestinationRule may still be drained to 0.
 */
export function planSetWeights(
  ctx: PlanContext,
  route: LocatedRoute,
  weights: Record<string, number>,
): Planned {
  requireDestinations(route);
  requireDistinctKeys(route, ctx);

  const targets: number[] = [];
  const namedAs: string[] = [];
  for (const [key, value] of Object.entries(weights)) {
    const field = `weights.${key}`;
    const d = findDestination(route, key, ctx);
    if (!d) {
      throw new ActionValidationError(
        field,
        `not a destination of route ${route.label}`,
      );
    }
    if (namedAs[d.index] !== undefined) {
      throw new ActionValidationError(
        field,
        `names the same destination as "${namedAs[d.index]}"`,
      );
    }
    namedAs[d.index] = key;
    // A typed request may still hold 12.5: the range is the planner's rule too.
    targets[d.index] = requireWeight(field, value);
  }

  const missing = route.destinations.filter(
    d => namedAs[d.index] === undefined,
  );
  if (missing.length > 0) {
    throw new ActionValidationError(
      'weights',
      `must name every destination of route ${
        route.label
      } exactly once; missing ${quoteList(missing.map(d => d.key))}`,
    );
  }
  const total = targets.reduce((sum, w) => sum + w, 0);
  if (total !== 100) {
    throw new ActionValidationError(
      'weights',
      `must add up to 100, got ${total}`,
    );
  }
  for (const d of route.destinations) {
    if (d.subset !== undefined && targets[d.index] > 0) {
      requireSubsetDefined(
        `weights.${namedAs[d.index]}`,
        d.subset,
        d.host,
        ctx,
      );
    }
  }

  const { operations, changes } = weightChanges(route, targets);
  return {
    patches: virtualServicePatch(ctx, operations),
    primary: route,
    routes: [route],
    summary:
      changes.length > 0
        ? `${route.label}: ${changes.join(', ')}`
        : `${route.label}: no change (${describeSplit(route)})`,
  };
}
