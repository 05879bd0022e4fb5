import type { JsonPatchOperation } from '../api';
import { destinationRoles } from '../state/destinationRoles';
import { listWords } from '../listWords';
import { ActionValidationError } from './ActionValidationError';
import { destinationGuard } from './operations';
import { virtualServicePatch } from './planning';
import { requireDestinations, requireDistinctKeys } from './routes';
import type { LocatedRoute, PlanContext, Planned } from './types';
import { describeSplit } from './weights';

/** The destinations `finish` would remove from a route: its retired ones (see `destinationRoles`). */
export function retiredDestinations(route: LocatedRoute) {
  const retired = new Set(
    destinationRoles(
      route.destinations.map(d => ({ key: d.key, weight: d.effectiveWeight })),
    ).retired.map(r => r.key),
  );
  return route.destinations.filter(d => retired.has(d.key));
}

/**
 * `finish`: removes the route's retired destinations (at 0 %, moved on from), so the route lists only what
 * carries traffic and a destination staged at 0 %, if any. Each removal is guarded by the destination's identity
 * and weight, and removals run from the end of the list so earlier indexes stay valid. The DestinationRule keeps
 * its subsets: another route or a later rollback may still need them.
 */
export function planFinish(ctx: PlanContext, route: LocatedRoute): Planned {
  requireDestinations(route);
  requireDistinctKeys(route, ctx);
  const removed = retiredDestinations(route);
  if (removed.length === 0) {
    throw new ActionValidationError(
      'route',
      `${route.label} has no retired destination to remove (${describeSplit(
        route,
      )}): finish removes destinations at 0% that the route has moved on from`,
    );
  }
  const operations: JsonPatchOperation[] = [...removed]
    .sort((a, b) => b.index - a.index)
    .flatMap((d): JsonPatchOperation[] => [
      destinationGuard(d),
      ...(d.weight === undefined
        ? []
        : [{ op: 'test' as const, path: `${d.path}/weight`, value: d.weight }]),
      { op: 'remove', path: d.path },
    ]);
  const kept = route.destinations
    .filter(d => !removed.includes(d))
    .map(d => `${d.key} ${d.effectiveWeight}`)
    .join(', ');
  return {
    patches: virtualServicePatch(ctx, operations),
    primary: route,
    routes: [route],
    summary: `${route.label}: finish — remove ${listWords(
      removed.map(d => d.key),
    )} (at 0); the route keeps ${kept}`,
  };
}
