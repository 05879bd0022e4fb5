import type { JsonPatchOperation } from '../api';
import { destinationGuard, weightOperations } from './operations';
import type { LocatedRoute } from './types';

/** A route's current split in words: `v1 50, v2 50`. */
export function describeSplit(route: LocatedRoute): string {
  return route.destinations
    .map(d => `${d.key} ${d.effectiveWeight}`)
    .join(', ');
}

/**
 * The operations that move a route to the target weights (one per destination, by index), touching only the
 * destinations whose share changes, and the changes in words (`v1 50→90`).
 */
export function weightChanges(
  route: LocatedRoute,
  targets: number[],
): { operations: JsonPatchOperation[]; changes: string[] } {
  const operations: JsonPatchOperation[] = [];
  const changes: string[] = [];
  for (const d of route.destinations) {
    const target = targets[d.index];
    if (target === d.effectiveWeight) continue;
    operations.push(destinationGuard(d), ...weightOperations(d, target));
    changes.push(`${d.key} ${d.effectiveWeight}→${target}`);
  }
  return { operations, changes };
}
