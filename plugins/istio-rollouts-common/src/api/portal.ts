/*
 * The portal-wide page: every active canary, blue/green release and running plan the caller may read, across
 * entities and clusters. Answered by `GET /api/istio-rollouts/v1/rollouts`, and their canary verdicts by
 * `GET /api/istio-rollouts/v1/rollouts/health`.
 */
import type {
  CanaryThresholds,
  ClusterMetricsStatus,
  RouteHealth,
} from './metrics';
import type {
  ClusterStatus,
  RouteKind,
  RoutePhase,
  RoutePlan,
} from './rollouts';

/** A catalog entity that claims a VirtualService, as the page names it. @public */
export interface PortalEntity {
  /** e.g. `component:default/reviews` */
  ref: string;
  title?: string;
  /** The entity's `spec.owner`, as an entity ref, e.g. `group:default/team-bookinfo`. */
  owner?: string;
}

/**
 * One active route: traffic on more than one subset (a canary, a promotion with retired destinations), a blue/green
 * header pair, a mirror, or a step plan running on it.
 * @public
 */
export interface PortalRolloutRow {
  /** The entities that claim the VirtualService and the caller may read: usually one. */
  entities: PortalEntity[];
  cluster: string;
  namespace: string;
  /** `<cluster>/<namespace>/<name>`, as in the read model. */
  rolloutId: string;
  virtualService: string;
  route: { kind: RouteKind; index: number; name?: string };
  phase: RoutePhase;
  /** The route's state in words, as the tab's chip says it: `canary 10%`, `blue-green (header)`. */
  label: string;
  /** Every destination of the route, by subset (by host without one), and its weight. */
  split: Array<{ subset: string; weight: number }>;
  /** The step plan running on the route, if any (`plan #12 · step 3/6 · 25 %`). */
  plan?: RoutePlan;
  /** Set when the cluster is not answering and this is its last-known state. */
  stale?: boolean;
}

/** Answer of `GET /api/istio-rollouts/v1/rollouts`. @public */
export interface PortalRolloutsResponse {
  clusters: ClusterStatus[];
  rows: PortalRolloutRow[];
}

/** The canary verdict on one active route of the page. @public */
export interface PortalRouteHealth extends RouteHealth {
  /** As {@link PortalRolloutRow.rolloutId}. */
  rolloutId: string;
}

/**
 * Answer of `GET /api/istio-rollouts/v1/rollouts/health`: the verdict of every active route the caller may read, from
 * each cluster's Prometheus, asked apart from the rows so that the page never waits for Prometheus.
 * @public
 */
export interface PortalHealthResponse {
  /** The rate window of every verdict, in seconds. */
  windowSeconds: number;
  thresholds: CanaryThresholds;
  /** One entry per configured cluster. */
  clusters: ClusterMetricsStatus[];
  /** Routes with a canary and a stable subset to compare, in clusters whose status is `ok`. */
  routes: PortalRouteHealth[];
}
