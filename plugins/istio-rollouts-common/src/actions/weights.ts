import type { Operation } from 'fast-json-patch';
import { ActionValidationError } from './ActionValidationError';
import { show } from './json';
import { destinationGuard, weightOperations } from './operations';
import type { LocatedRoute } from './routes';

/** Refuses anything but an integer from 0 to 100 (not 12.5, not "50", not -1, not NaN). */
export function requireWeight(field: string, value: unknown): number {
  if (
    typeof value !== 'number' ||
    !Number.isInteger(value) ||
    value < 0 ||
    value > 100
  ) {
    throw new ActionValidationError(
      field,
      `must be an integer from 0 to 100, got ${show(value)}`,
    );
  }
  return value;
}

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
): { operations: Operation[]; changes: string[] } {
  const operations: Operation[] = [];
  const changes: string[] = [];
  for (const d of route.destinations) {
    const target = targets[d.index];
    if (target === d.effectiveWeight) continue;
    operations.push(destinationGuard(d), ...weightOperations(d, target));
    changes.push(`${d.key} ${d.effectiveWeight}→${target}`);
  }
  return { operations, changes };
}
