import { ActionValidationError } from './ActionValidationError';
import { virtualServicePatch } from './planning';
import {
  findDestination,
  requireDestinations,
  requireDistinctKeys,
} from './routes';
import type { LocatedRoute, PlanContext, Planned } from './types';
import { requireSubsetDefined } from './subsets';
import { describeSplit, weightChanges } from './weights';

/**
 * Sends all of a route's traffic to one destination and 0 to the others, which stay in the route so that the
 * opposite move is one step.
 */
function planAllTo(
  ctx: PlanContext,
  route: LocatedRoute,
  field: 'subset' | 'stableSubset',
  subset: string | undefined,
  verb: string,
): Planned {
  requireDestinations(route);
  requireDistinctKeys(route, ctx);
  if (!subset) {
    throw new ActionValidationError(
      field,
      `must name a destination of route ${route.label}`,
    );
  }
  const target = findDestination(route, subset, ctx);
  if (!target) {
    throw new ActionValidationError(
      field,
      `"${subset}" is not a destination of route ${route.label}`,
    );
  }
  if (target.subset !== undefined) {
    requireSubsetDefined(field, target.subset, target.host, ctx);
  }
  const targets = route.destinations.map(d => (d === target ? 100 : 0));
  const { operations, changes } = weightChanges(route, targets);
  return {
    patches: virtualServicePatch(ctx, operations),
    primary: route,
    routes: [route],
    summary:
      changes.length > 0
        ? `${route.label}: ${verb} ${target.key} — ${changes.join(', ')}`
        : `${route.label}: ${
            target.key
          } already has all traffic, no change (${describeSplit(route)})`,
  };
}

/** `promote`: `subset` gets 100, every other destination of the route 0. */
export function planPromote(
  ctx: PlanContext,
  route: LocatedRoute,
  subset: string,
): Planned {
  return planAllTo(ctx, route, 'subset', subset, 'promote');
}

/** `rollback`: the stable subset (decided by the caller) gets 100, every other destination of the route 0. */
export function planRollback(
  ctx: PlanContext,
  route: LocatedRoute,
  stableSubset: string | undefined,
): Planned {
  return planAllTo(ctx, route, 'stableSubset', stableSubset, 'roll back to');
}
