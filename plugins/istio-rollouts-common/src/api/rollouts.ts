import type { OwnerGitOps, PendingGitChange } from './gitops';

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

/** The kinds of Istio route, in the order a VirtualService lists them. @public */
export const ROUTE_KINDS = ['http', 'tls', 'tcp'] as const;

/** Which kind of Istio route a route is. @public */
export type RouteKind = (typeof ROUTE_KINDS)[number];

/**
 * Which route of a VirtualService a request means: its position in `spec.http`, `spec.tls` or `spec.tcp`, or its
 * `name` (both may be given when they agree).
 * @public
 */
export type RouteRef =
  | { kind: RouteKind; index: number; name?: string }
  | { kind: RouteKind; index?: undefined; name: string };

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

/**
 * A route whose destinations or weights differ from the `after` of the last change Backstage recorded for it
 * (`kubectl`, a GitOps tool or a controller changed it): when that was first read, and who did it where the
 * VirtualService's `metadata.managedFields` tell. The history holds one `outsideChange` event per such state.
 * @public
 */
export interface RouteDrift {
  /** ISO 8601 time a read first found the route in this state. */
  detectedAt: string;
  /** ISO 8601 time of the change (seconds), from the `managedFields` entry that names `by`. */
  changedAt?: string;
  /** The field manager that changed the route, e.g. `kubectl-patch`; absent when `managedFields` don't tell. */
  by?: string;
  /** The VirtualService's `resourceVersion` at which the state was first read. */
  resourceVersion: string;
  /** The destinations as the last change Backstage recorded left them. */
  expected: RouteDestination[];
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
  /** What each action would do on this route, as the planners decide it; an action it lacks is not possible here. */
  offers: RouteOffers;
  /** What the route is doing and what would sensibly come next: the one state the tab shows. */
  state: RouteState;
  /** Set while the route differs from the last change Backstage recorded for it: it was changed outside Backstage. */
  drift?: RouteDrift;
  /** Set while a change of the route proposed in Git waits to be merged and synced. */
  pendingInGit?: PendingGitChange;
  /** The step plan running on the route (or paused), if any. */
  plan?: RoutePlan;
  /** Set when a step plan may start on the route (none is running): the subsets it would move traffic between. */
  planOffer?: StartPlanOffer;
}

/**
 * What one route is doing:
 * - `stable`: one destination takes all of the traffic (others, if listed, came after it and are at 0 %);
 * - `canary`: two or more destinations take a share;
 * - `promoted`: all of the traffic moved on to a destination listed after others, which stay at 0 % (retired);
 * - `blue-green`: the route is one side of a blue/green header route pair (a header-matched route to one subset,
 *   the default route to another);
 * - `mirroring`: the route copies its requests to another destination.
 * @public
 */
export type RoutePhase =
  | 'stable'
  | 'canary'
  | 'promoted'
  | 'blue-green'
  | 'mirroring';

/** An action that would sensibly come next on a route, named by its target. @public */
export interface NextAction {
  action: RolloutAction;
  /** What a button says, e.g. `Promote v3`, `Roll back to v1`, `Finish: remove v1`, `Switch to green`. */
  label: string;
  /** The subset the action acts on, when it names one (`promote`, `rollback`, `switch`). */
  subset?: string;
}

/** A phase in words, with the stable and candidate destinations it was read from. @public */
export interface PhaseState {
  phase: RoutePhase;
  /** Short, for a chip: `stable`, `canary 10%`, `promoted — v1 retired`, `blue-green (header)`, `mirroring 5%`. */
  label: string;
  /** One or two sentences for a tooltip or screen reader. */
  description: string;
  /** The subset that serves the route, or the live side; absent for host-level splits (no subsets). */
  stableSubset?: string;
  /** The subset being rolled out: the canary, one staged at 0 %, the header side, the mirror target. */
  candidateSubset?: string;
  /** The candidate's share of the route's requests in percent (`canary`), or the mirrored share (`mirroring`). */
  candidatePercent?: number;
}

/** The state of a rollout: that of its main route, with the route it is of. @public */
export interface RolloutState extends PhaseState {
  route?: { kind: RouteKind; index: number };
}

/** The state of one route: its phase, what `finish` would remove and the actions that would come next. @public */
export interface RouteState extends PhaseState {
  /**
   * Destinations at 0 % that the route has moved on from (listed before the destination now serving it, or left
   * behind a newer destination staged at 0 %): what `finish` removes. Their DestinationRule subsets stay.
   */
  retired: string[];
  /** The sensible next actions the caller's route offers, the main one first. */
  next: NextAction[];
}

/** `setWeights` on a route: the route has two or more destinations, each named apart. @public */
export interface SetWeightsOffer {
  /** How `weights` names each destination, in route order: its subset, or its host when it has none. */
  keys: string[];
}

/** `promote` on a route: the subset it would send all of the route's traffic to. @public */
export interface PromoteOffer {
  subset: string;
}

/**
 * `rollback` on a route: the subset it would send all of the route's traffic back to, and where that subset comes
 * from: the history (the subset that held everything before the latest rollout of the route began), else the read
 * model's stable subset. @public
 */
export interface RollbackOffer {
  subset: string;
  source: 'history' | 'readModel';
}

/**
 * `switch` of a blue/green header route pair: the header route's subset becomes live on the default route, and the
 * old live subset stays reachable by the header. Offered on the route a request should name: the default route,
 * or the header route when several header routes share the default route. @public
 */
export interface SwitchOffer {
  /** Index in `spec.http` of the route that matches the header. */
  headerRoute: number;
  /** Index in `spec.http` of the default route. */
  defaultRoute: number;
  /** The subset the default route sends everything to now. */
  live: string;
  /** The subset the header route reaches now: live after the switch. */
  idle: string;
}

/**
 * `startCanary` on a route that can take a canary: the subsets it could add at 0 %, those of the host's
 * DestinationRules and those it could add to the DestinationRule from a Deployment's `version` label. Empty when
 * every such subset is in the route already. @public
 */
export interface StartCanaryOffer {
  subsets: string[];
}

/** `finish` on a route: the retired destinations (at 0 %) it would remove from the route. @public */
export interface FinishOffer {
  remove: string[];
}

/** What each action would do on one route; an action that is absent (or has no subsets) is not possible. @public */
export interface RouteOffers {
  setWeights?: SetWeightsOffer;
  promote?: PromoteOffer;
  rollback?: RollbackOffer;
  switch?: SwitchOffer;
  startCanary?: StartCanaryOffer;
  finish?: FinishOffer;
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

/** What a rollout is doing: the phase of its main route (see {@link Rollout.state}). @public */
export type RolloutPhase = RoutePhase;

/** A tool that manages a VirtualService and may revert direct edits. @public */
export interface RolloutOwner {
  kind: 'ArgoRollouts' | 'Flagger' | 'ArgoCD' | 'Flux';
  /** Name of the managing object where one can tell, e.g. the Rollout or Application. */
  name?: string;
  /** Progressive-delivery controllers revert edits; GitOps tools may self-heal. */
  effect: 'refuses-edits' | 'may-revert';
  /** The marker that gave the owner away, e.g. `ownerReference Canary/reviews` or `label …`. */
  via?: string;
  /** Argo CD and Flux, when GitOps mode is configured: where an action's change goes. */
  gitops?: OwnerGitOps;
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

/** Every action on rollouts, in the order the UI lists them. @public */
export const ROLLOUT_ACTIONS = [
  'setWeights',
  'promote',
  'rollback',
  'switch',
  'startCanary',
  'finish',
] as const;

/** An action the user may take on rollouts. @public */
export type RolloutAction = (typeof ROLLOUT_ACTIONS)[number];

/**
 * Why a rollout's traffic cannot be changed from this entity, whatever the caller's permissions: a
 * progressive-delivery controller owns it (`OwnedByController`), other catalog entities claim it too
 * (`SharedClaim`), its namespace has not consented to the entity acting there (`NoNamespaceConsent`), the
 * claims could not be checked (`ClaimsUnavailable`, fails closed), or its cluster is not answering and the
 * rollout is its last-known state (`ClusterUnavailable`, see {@link Rollout.stale}).
 * @public
 */
export interface RolloutReadOnly {
  reason:
    | 'OwnedByController'
    | 'SharedClaim'
    | 'NoNamespaceConsent'
    | 'ClaimsUnavailable'
    | 'ClusterUnavailable';
  /** What it means and what would change it, in words. */
  message: string;
}

/**
 * A rollout shown from memory: its cluster did not answer this read (the cluster's entry is `error`, with the same
 * reason), so the rollout is as this backend replica last read it, at most `istioRollouts.cache.lastKnownMaxAgeMs`
 * ago. @public
 */
export interface RolloutStale {
  /** When the rollout was last read from its cluster, ISO 8601. */
  lastSeen: string;
  /** Why the cluster is not answering now: `Timeout`, `Unreachable`, `ServerError` or `InvalidResponse`. */
  reason: string;
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
  /**
   * The state of the rollout's main route — the one mirroring, else splitting traffic (the default route first),
   * else in a blue/green pair, else promoted, else the default route — with the route it is of.
   */
  state: RolloutState;
  /** `state.phase`. */
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
  /** Set when the cluster is not answering and this is the rollout's last-known state; then `readOnly` is `ClusterUnavailable`. */
  stale?: RolloutStale;
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
 * Where a plan stands: `running`; `paused` (see `pause`); `aborting` (a person aborted it, the roll back is not
 * written yet); and the ends `completed`, `rolledBack` (after a failed analysis), `aborted`.
 * @public
 */
export type StepPlanStatus =
  | 'running'
  | 'paused'
  | 'aborting'
  | 'completed'
  | 'rolledBack'
  | 'aborted';

/** The plan running on a route, as the read model shows it (the overview card's "step 3/6 · 25 %"). @public */
export interface RoutePlan {
  id: string;
  status: StepPlanStatus;
  label: string;
}

/** The subsets a step plan started on a route would move traffic between: from `stableSubset` to `canarySubset`. @public */
export interface StartPlanOffer {
  stableSubset: string;
  canarySubset: string;
}
