import type { HistoryEvent } from './history';

/** The plugin's id: its backend is mounted at `/api/istio-rollouts`. @public */
export const ISTIO_ROLLOUTS_PLUGIN_ID = 'istio-rollouts';

/** The version prefix of every HTTP route of the backend. @public */
export const ISTIO_ROLLOUTS_API_VERSION = 'v1';

/** Answer of `GET /api/istio-rollouts/v1/health`. @public */
export interface HealthResponse {
  status: 'ok';
}

/** How one configured cluster answered a read. @public */
export interface ClusterStatus {
  name: string;
  title?: string;
  status: 'ok' | 'error';
  /** Why the cluster could not be read, e.g. `Timeout`, `Unauthorized`, `NoIstio`. */
  error?: { reason: string; message: string };
}

/** Which kind of Istio route a route is. @public */
export type RouteKind = 'http' | 'tls' | 'tcp';

/** One destination of a route: where a share of its traffic goes. @public */
export interface RouteDestination {
  /** The host as written in the VirtualService (short or fully qualified). */
  host: string;
  subset?: string;
  port?: number;
  /**
   * The weight as Istio reads it: a lone destination without weight counts as 100, several destinations
   * without weight count as 0 each. Istio treats weights as relative shares when they don't add up to 100.
   */
  weight: number;
}

/** Where a route copies its traffic to, and which share of it. @public */
export interface RouteMirror {
  host: string;
  subset?: string;
  port?: number;
  /** Percent of the route's requests copied; Istio's default is 100 when no percentage is set. */
  percentage: number;
}

/** One route of a VirtualService, as the tab shows it. @public */
export interface Route {
  kind: RouteKind;
  /** Position in `spec.http`, `spec.tls` or `spec.tcp`: the route's address in a patch. */
  index: number;
  name?: string;
  /**
   * The route's match in words, e.g. `header x-deploy = green`, `prefix /reviews`: match blocks joined with
   * ` or `, conditions of one block with ` and `; `default` when the route matches every request.
   */
  match: string;
  /** Names of the request headers the route's match tests, e.g. `['x-deploy']` for a blue/green header route. */
  matchedHeaders?: string[];
  /** The VirtualService this route delegates to, if it does (`http` routes only). */
  delegate?: { name: string; namespace?: string };
  /** The first (usually the only) mirror of the route. */
  mirror?: RouteMirror;
  /** Every mirror of the route: the legacy `mirror` field and the newer `mirrors` list. */
  mirrors?: RouteMirror[];
  destinations: RouteDestination[];
}

/** A Deployment selected by a DestinationRule subset. @public */
export interface SubsetWorkload {
  kind: 'Deployment';
  name: string;
  namespace: string;
  images: string[];
  readyReplicas: number;
  replicas: number;
}

/** A DestinationRule subset behind one of the routes. @public */
export interface Subset {
  /** The DestinationRule host the subset belongs to, as written in the DestinationRule. */
  host: string;
  name: string;
  labels: Record<string, string>;
  /** Name of the DestinationRule that defines the subset. */
  destinationRule: string;
  /** The Deployments whose pods the subset selects (see the README for the selection rule). */
  workloads: SubsetWorkload[];
  /** True when a route sends the subset a non-zero weight; false when it is staged (defined, no traffic). */
  live?: boolean;
}

/** What a rollout is doing. @public */
export type RolloutPhase = 'stable' | 'canary' | 'blue-green' | 'mirroring';

/** A tool that manages a VirtualService and may revert direct edits. @public */
export interface RolloutOwner {
  kind: 'ArgoRollouts' | 'Flagger' | 'ArgoCD' | 'Flux';
  /** Name of the managing object where one can tell, e.g. the Rollout or Application. */
  name?: string;
  /** Progressive-delivery controllers revert edits; GitOps tools may self-heal. */
  effect: 'refuses-edits' | 'may-revert';
  /** The marker that gave the owner away, e.g. `ownerReference Canary/reviews` or `label …`. */
  via?: string;
}

/** Something about a rollout the user should know. @public */
export interface Finding {
  /** A stable code, documented in the backend plugin's README. */
  code: string;
  severity: 'info' | 'warning' | 'error';
  message: string;
  /** The route the finding is about, if any. */
  route?: { kind: RouteKind; index: number };
  /** The subset the finding is about, if any. */
  subset?: string;
  /** The host the finding is about, if any, as written in the object. */
  host?: string;
}

/** An action the user may take on rollouts. @public */
export type RolloutAction =
  | 'setWeights'
  | 'promote'
  | 'rollback'
  | 'switch'
  | 'startCanary';

/**
 * Why a rollout's traffic cannot be changed from this entity, whatever the caller's permissions: a
 * progressive-delivery controller owns it (`OwnedByController`), other catalog entities claim it too
 * (`SharedClaim`), its namespace has not consented to the entity acting there (`NoNamespaceConsent`), or the
 * claims could not be checked (`ClaimsUnavailable`, fails closed).
 * @public
 */
export interface RolloutReadOnly {
  reason:
    | 'OwnedByController'
    | 'SharedClaim'
    | 'NoNamespaceConsent'
    | 'ClaimsUnavailable';
  /** What it means and what would change it, in words. */
  message: string;
}

/** One VirtualService selected for the entity, in one cluster. @public */
export interface Rollout {
  /** `<cluster>/<namespace>/<name>` */
  id: string;
  cluster: string;
  namespace: string;
  name: string;
  apiVersion: string;
  resourceVersion: string;
  hosts: string[];
  /**
   * `spec.gateways` as written; empty when omitted, which Istio reads as `mesh` (sidecars only). A delegate
   * VirtualService has neither hosts nor gateways.
   */
  gateways: string[];
  /** The controller or GitOps tool that manages the VirtualService; a controller wins over a GitOps tool. */
  owner?: RolloutOwner;
  routes: Route[];
  subsets: Subset[];
  phase: RolloutPhase;
  /** The subset serving most of the traffic (or the default route's subset); absent for host-level splits. */
  stableSubset?: string;
  /** The other side: canary, idle/header-reachable blue-green side, mirror target or subset staged at 0 %. */
  candidateSubset?: string;
  /**
   * The namespace's Istio control-plane revision (not an application canary): `default` when
   * `istio-injection=enabled` (which Istio lets win over `istio.io/rev`), else the `istio.io/rev` value.
   */
  meshRevision?: string;
  findings: Finding[];
  /** Set when nobody may change the rollout from this entity; then `allowedActions` is empty. */
  readOnly?: RolloutReadOnly;
  /** What the caller may do to this rollout. */
  allowedActions: RolloutAction[];
}

/** Answer of `GET /api/istio-rollouts/v1/entities/:kind/:namespace/:name/rollouts`. @public */
export interface RolloutsResponse {
  clusters: ClusterStatus[];
  rollouts: Rollout[];
  /** Set when the entity has nothing to show, with the reason, e.g. missing annotations. */
  notConfigured?: { reason: string; message: string };
}

/**
 * Body of `POST /api/istio-rollouts/v1/entities/:kind/:namespace/:name/rollouts/actions`.
 * @public
 */
export interface RolloutActionRequest {
  /** `<cluster>/<namespace>/<name>` of the VirtualService, as in {@link Rollout.id}. */
  rolloutId: string;
  /** The route, by index or by name. Optional for `switch`, which finds its header route pair. */
  route?:
    | { kind: RouteKind; index: number }
    | { kind: RouteKind; name: string };
  action: RolloutAction;
  /** `setWeights`: every destination of the route (by subset, or by host for host-level splits) → 0–100, summing to 100. */
  weights?: Record<string, number>;
  /** `promote` and `startCanary`: the subset to act on. */
  subset?: string;
  /** The `resourceVersion` the user saw; the write fails with 409 if the object changed since. */
  resourceVersion: string;
  /** Why, in the user's words; kept in the history. */
  reason?: string;
  /** Plan and validate only: answer the patch and the route before and after, write nothing. */
  dryRun?: boolean;
}

/** One JSON Patch (RFC 6902) the action sends, per object. @public */
export interface RolloutObjectPatch {
  kind: 'VirtualService' | 'DestinationRule';
  namespace: string;
  name: string;
  operations: Array<{
    op: string;
    path: string;
    value?: unknown;
    from?: string;
  }>;
}

/** A route before and after the action (raw route stanzas, e.g. `spec.http[0]`). @public */
export interface RolloutRouteChange {
  kind: RouteKind;
  index: number;
  name?: string;
  before: unknown;
  after: unknown;
}

/**
 * Why an action was refused with 409 (`error.reason` of the error answer):
 * the VirtualService (or a DestinationRule it patches) changed since the
 * user loaded it, or was deleted — reload and try again — or a
 * progressive-delivery controller owns it, and the change must be made
 * through that controller, or other catalog entities claim it too, which
 * makes it read-only for all of them.
 * @public
 */
export type RolloutActionConflictReason =
  | 'Changed'
  | 'Deleted'
  | 'OwnedByController'
  | 'SharedClaim';

/** Answer of an action. @public */
export interface RolloutActionResponse {
  dryRun: boolean;
  /** False when the action would change nothing; no patch is sent and no history is written. */
  changed: boolean;
  /** One line for humans, e.g. `reviews-route: v1 50→90, v2 50→10`. */
  summary: string;
  /** The patches that were (or, for a dry run, would be) sent, in order. */
  patches: RolloutObjectPatch[];
  /** Every route the action changes, before and after. */
  routes: RolloutRouteChange[];
  /** After a write: the rollout as read back from the cluster. */
  rollout?: Rollout;
  /** After a write: the history event recorded for it. */
  event?: HistoryEvent;
  /** Set when a GitOps tool tracks the object and may revert the change. */
  warning?: string;
}
