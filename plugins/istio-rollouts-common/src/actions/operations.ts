import type { JsonPatchOperation } from '../api';
import { copy } from './json';
import type { LocatedDestination } from './types';

/**
 * The guard every patch starts with. Sending the `resourceVersion` the user loaded makes the API server answer
 * 409 Conflict when the object changed since; nothing is written then.
 */
export function resourceVersionGuard(
  resourceVersion: string,
): JsonPatchOperation {
  return {
    op: 'replace',
    path: '/metadata/resourceVersion',
    value: resourceVersion,
  };
}

/**
 * A `test` of a destination's identity (its whole `destination` object), so that a patch written for a route
 * that has since been reordered fails (422) instead of changing the wrong destination.
 */
export function destinationGuard(d: LocatedDestination): JsonPatchOperation {
  return {
    op: 'test',
    path: `${d.path}/destination`,
    value: copy(d.destination),
  };
}

/**
 * The operations that give a destination a new weight: `test` + `replace` when the weight is written, `add` when
 * the field is absent. Nothing when the written weight already is the target. Does not include the destination
 * guard.
 */
export function weightOperations(
  d: LocatedDestination,
  weight: number,
): JsonPatchOperation[] {
  const path = `${d.path}/weight`;
  if (d.weight === undefined) return [{ op: 'add', path, value: weight }];
  if (d.weight === weight) return [];
  return [
    { op: 'test', path, value: d.weight },
    { op: 'replace', path, value: weight },
  ];
}
