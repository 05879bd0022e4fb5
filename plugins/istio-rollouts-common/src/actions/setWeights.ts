import { ActionValidationError } from './ActionValidationError';
import { asRecord, quoteList } from './json';
import {
  PlanContext,
  Planned,
  routeTitle,
  virtualServicePatch,
} from './planning';
import {
  findDestination,
  LocatedRoute,
  requireDestinations,
  requireDistinctKeys,
} from './routes';
import { requireSubsetDefined } from './subsets';
import { describeSplit, requireWeight, weightChanges } from './weights';

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
  weights: unknown,
): Planned {
  requireDestinations(route);
  requireDistinctKeys(route, ctx);
  const requested = asRecord(weights);
  if (!requested) {
    throw new ActionValidationError(
      'weights',
      `must map every destination of route ${route.label} to a weight`,
    );
  }

  const targets: number[] = [];
  const namedAs: string[] = [];
  for (const [key, value] of Object.entries(requested)) {
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
        ? `${routeTitle(route)}: ${changes.join(', ')}`
        : `${routeTitle(route)}: no change (${describeSplit(route)})`,
  };
}
