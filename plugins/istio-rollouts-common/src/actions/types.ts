import type {
  RolloutAction,
  RolloutObjectPatch,
  RolloutRouteChange,
  RouteKind,
} from '../api';
import type { HostOptions } from '../routing/hosts';
import type { JsonRecord } from './json';

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
 * A validated action, ready to be written (or shown as a dry run).
 *
 * @public
 */
export interface ActionPlan {
  action: RolloutAction;
  /** The route the action addresses, resolved to its index (for `switch`: the default route of the pair). */
  route: { kind: RouteKind; index: number; name?: string };
  /** In the order they must be applied: a DestinationRule subset before the VirtualService destination using it. */
  patches: RolloutObjectPatch[];
  /** The raw route stanza before the patches. */
  routeBefore: unknown;
  /** The raw route stanza after the patches, computed by applying them to a copy. */
  routeAfter: unknown;
  /** Every route the plan touches (one, or the two routes of a `switch`), before and after. */
  routes: RolloutRouteChange[];
  /** False when the action changes nothing; then `patches` is empty. */
  changed: boolean;
  /** One line for a human, e.g. `http[0] reviews-route: v1 50→90, v2 50→10`. */
  summary: string;
}

/** The objects an action is planned on: the VirtualService the user loaded and the entity's objects of its cluster. */
export interface PlanInput {
  virtualService: ActionKubeObject;
  destinationRules: ActionKubeObject[];
  deployments: ActionKubeObject[];
}

/*
 * What the planners share among themselves (not exported from the package).
 */

/**
 * How hosts written in the VirtualService are compared: the read model's rules (`canonicalHost`), so that the
 * planner and the tab agree on which spellings name one host.
 */
export interface HostContext {
  /** The VirtualService's namespace: short hosts resolve against it. */
  namespace: string;
  /** Namespaces known to exist (those of the objects at hand), so `reviews.bookinfo` reads as a service. */
  hostOptions: HostOptions;
}

/** What every action planner works on. */
export interface PlanContext extends HostContext {
  virtualService: ActionKubeObject;
  name: string;
  /** The resourceVersion of the VirtualService the user loaded. */
  resourceVersion: string;
  destinationRules: ActionKubeObject[];
  deployments: ActionKubeObject[];
}

/** One entry of a route's `route` list, read from the raw VirtualService. */
export interface LocatedDestination {
  /** Position in the route's `route` list. */
  index: number;
  /** The raw `destination` object: host, subset, port and whatever else is written there. */
  destination: JsonRecord;
  host: string;
  subset?: string;
  /** The raw `port` selector, if any. */
  port?: unknown;
  /** The weight as written, undefined when the field is absent. */
  weight?: number;
  /** The share Istio gives it: the weight, else 100 for a lone destination and 0 otherwise. */
  effectiveWeight: number;
  /** How actions name it: its subset, or its host when it has no subset (a host-level split). */
  key: string;
  /** JSON Pointer of the entry, e.g. `/spec/http/0/route/1`. */
  path: string;
}

/** One route of a VirtualService, read from the raw object. */
export interface LocatedRoute {
  kind: RouteKind;
  index: number;
  name?: string;
  /** The raw stanza, e.g. `spec.http[0]`. */
  stanza: JsonRecord;
  destinations: LocatedDestination[];
  /** JSON Pointer of the stanza, e.g. `/spec/http/0`. */
  path: string;
  /** How messages and summaries name it: `routeLabel`, e.g. `http[0] reviews-route`. */
  label: string;
}

/** What an action planner answers; `planAction` adds the routes before and after. */
export interface Planned {
  patches: RolloutObjectPatch[];
  /** The route the action addresses. */
  primary: LocatedRoute;
  /** Every route the patches touch, in index order (the primary one included). */
  routes: LocatedRoute[];
  summary: string;
}
