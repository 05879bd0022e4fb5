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
  host: string;
  subset?: string;
  port?: number;
  /** Percent of the route's traffic; a lone destination without weight counts as 100. */
  weight: number;
}

/** One route of a VirtualService, as the tab shows it. @public */
export interface Route {
  kind: RouteKind;
  /** Position in `spec.http`, `spec.tls` or `spec.tcp`: the route's address in a patch. */
  index: number;
  name?: string;
  /** The route's match in words, e.g. `header x-deploy = green`, `prefix /reviews`, `default`. */
  match: string;
  /** The VirtualService this route delegates to, if it does. */
  delegate?: { name: string; namespace?: string };
  /** Where traffic is mirrored to, and which share of it. */
  mirror?: { host: string; subset?: string; port?: number; percentage: number };
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
  /** The DestinationRule host the subset belongs to. */
  host: string;
  name: string;
  labels: Record<string, string>;
  destinationRule: string;
  workloads: SubsetWorkload[];
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
}

/** Something about a rollout the user should know. @public */
export interface Finding {
  /** A stable code, documented in the backend plugin's README. */
  code: string;
  severity: 'info' | 'warning' | 'error';
  message: string;
  /** The route the finding is about, if any. */
  route?: { kind: RouteKind; index: number };
}

/** An action the user may take on rollouts. @public */
export type RolloutAction =
  | 'setWeights'
  | 'promote'
  | 'rollback'
  | 'switch'
  | 'startCanary';

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
  gateways: string[];
  owner?: RolloutOwner;
  routes: Route[];
  subsets: Subset[];
  phase: RolloutPhase;
  stableSubset?: string;
  candidateSubset?: string;
  /** The namespace's mesh revision: `istio.io/rev` value, or `default` when `istio-injection=enabled`. */
  meshRevision?: string;
  findings: Finding[];
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
