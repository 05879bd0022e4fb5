import { RolloutAction, RolloutRouteChange, RouteKind } from './api';

/**
 * One applied change of a rollout, as the history shows it: who did what to
 * which route, when, and what the route looked like before and after.
 * @public
 */
export interface HistoryEvent {
  /** Opaque, increasing id; also the paging cursor. */
  id: string;
  /** The catalog entity the rollout belongs to, e.g. `component:default/reviews`. */
  entityRef: string;
  /** The user who acted, as an entity ref. */
  actor: string;
  /** ISO 8601 time of the write. */
  createdAt: string;
  /** `<cluster>/<namespace>/<name>` of the VirtualService. */
  rolloutId: string;
  cluster: string;
  namespace: string;
  virtualService: string;
  route: { kind: RouteKind; index: number; name?: string };
  action: RolloutAction;
  /** The route stanza (e.g. `spec.http[0]`) before the change. */
  before: unknown;
  /** The route stanza after the change. */
  after: unknown;
  /** One line for humans, e.g. `reviews-route: v1 50→90, v2 50→10`. */
  summary: string;
  /** Why the user made the change, as they wrote it. */
  reason?: string;
  /** Set when a GitOps tool tracks the object and may revert the change. */
  warning?: string;
  /**
   * Every route the change touched, before and after, when it touched more than `route` (a blue/green `switch`
   * rewrites the header route and the default route).
   */
  routes?: RolloutRouteChange[];
}

/** Answer of `GET .../rollouts/history`: newest first. @public */
export interface HistoryPage {
  events: HistoryEvent[];
  /** Pass as `cursor` to get the next (older) page; absent on the last page. */
  nextCursor?: string;
}
