import type { RouteKind } from './rollouts';

/**
 * One RFC 6902 JSON Patch operation, as the planners write them and the backend sends them. (`fast-json-patch`
 * applies them; its `Operation` type is not part of the wire.)
 * @public
 */
export type JsonPatchOperation =
  | { op: 'add' | 'replace' | 'test'; path: string; value: unknown }
  | { op: 'remove'; path: string }
  | { op: 'move' | 'copy'; path: string; from: string };

/** One JSON Patch (RFC 6902) an action sends, per object, meant for `application/json-patch+json`. @public */
export interface RolloutObjectPatch {
  kind: 'VirtualService' | 'DestinationRule';
  namespace: string;
  name: string;
  operations: JsonPatchOperation[];
}

/** A route before and after the action (raw route stanzas, e.g. `spec.http[0]`). @public */
export interface RolloutRouteChange {
  kind: RouteKind;
  index: number;
  name?: string;
  before: unknown;
  after: unknown;
}
