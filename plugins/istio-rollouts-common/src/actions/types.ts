import type { Operation } from 'fast-json-patch';
import type { RolloutAction, RouteKind } from '../api';

/**
 * The smallest shape of a Kubernetes object the action planner reads: VirtualServices, DestinationRules and
 * Deployments as they come from the API server (or YAML). Everything under `spec` is read defensively, so fields
 * the planner does not model never break it — and are never written either.
 *
 * @public
 */
export interface ActionKubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: {
    name?: string;
    namespace?: string;
    resourceVersion?: string;
    labels?: Record<string, string>;
  };
  spec?: unknown;
}

/**
 * Which route of a VirtualService an action addresses: its position in `spec.http`, `spec.tls` or `spec.tcp`,
 * or its `name`.
 *
 * @public
 */
export type ActionRouteRef =
  | { kind: RouteKind; index: number }
  | { kind: RouteKind; name: string };

/**
 * An action on one route of one VirtualService, with the `resourceVersion` of the VirtualService the user loaded.
 *
 * @public
 */
export type ActionRequest =
  | {
      action: 'setWeights';
      route: ActionRouteRef;
      /** Every destination of the route, keyed by subset (or by host for destinations without subset). */
      weights: Record<string, number>;
      resourceVersion: string;
    }
  | {
      action: 'promote';
      route: ActionRouteRef;
      subset: string;
      resourceVersion: string;
    }
  | {
      action: 'rollback';
      route: ActionRouteRef;
      /** Decided by the caller: the subset that held the traffic before the candidate got any. */
      stableSubset: string;
      resourceVersion: string;
    }
  | {
      action: 'switch';
      /** Either route of the header route pair; optional when the VirtualService holds exactly one pair. */
      route?: ActionRouteRef;
      resourceVersion: string;
    }
  | {
      action: 'startCanary';
      route: ActionRouteRef;
      subset: string;
      resourceVersion: string;
    };

/**
 * One RFC 6902 JSON Patch for one object, meant to be sent as `application/json-patch+json`.
 *
 * @public
 */
export interface ObjectPatch {
  kind: 'VirtualService' | 'DestinationRule';
  namespace: string;
  name: string;
  operations: Operation[];
}

/**
 * One route a plan touches, with its raw stanza (e.g. `spec.http[1]`) before and after the patches.
 *
 * @public
 */
export interface PlannedRouteChange {
  kind: RouteKind;
  index: number;
  name?: string;
  before: unknown;
  after: unknown;
}

/**
 * A validated action, ready to be written (or shown as a dry run).
 *
 * @public
 */
export interface ActionPlan {
  action: RolloutAction;
  /** The route the action addresses, resolved to its index (for `switch`: the default route of the pair). */
  route: { kind: RouteKind; index: number; name?: string };
  /** In the order they must be applied: a DestinationRule subset before the VirtualService destination using it. */
  patches: ObjectPatch[];
  /** The raw route stanza before the patches. */
  routeBefore: unknown;
  /** The raw route stanza after the patches, computed by applying them to a copy. */
  routeAfter: unknown;
  /** Every route the plan touches (one, or the two routes of a `switch`), before and after. */
  routes: PlannedRouteChange[];
  /** False when the action changes nothing; then `patches` is empty. */
  changed: boolean;
  /** One line for a human, e.g. `reviews-route: v1 50→90, v2 50→10`. */
  summary: string;
}
