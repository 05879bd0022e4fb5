import type { RolloutRouteChange } from './changes';
import type { GitOpsChangeLink } from './gitops';
import type { RolloutAction, RouteKind } from './rollouts';

/**
 * What became of a change the history recorded. The intent is recorded before
 * the write (`pending`), so a backend that stops between the write and its
 * answer never loses a change that reached the cluster:
 * - `pending`: recorded, the write's outcome is not known yet (it may still be
 *   in flight, or the backend stopped); resolved on a later read of the
 *   VirtualService;
 * - `applied`: the change reached the cluster;
 * - `refused`: the cluster refused it (a conflict, a failed guard, a webhook,
 *   RBAC): nothing was changed;
 * - `failed`: it did not reach the cluster for another reason (a timeout or an
 *   error after which the object was read back unchanged);
 * - `unknown`: the write's outcome could not be told, even by reading the
 *   object back; resolved on a later read when the cluster shows it;
 * - `proposed`: GitOps mode: the change is a commit in the repository Argo CD
 *   or Flux syncs (`gitops` links it), applied once merged and synced.
 * @public
 */
export type HistoryEventStatus =
  | 'pending'
  | 'applied'
  | 'refused'
  | 'failed'
  | 'unknown'
  | 'proposed';

/**
 * What a history event did: an action taken through Backstage, or
 * `outsideChange`, a change a read found that Backstage did not make.
 * @public
 */
export type HistoryAction = RolloutAction | 'outsideChange';

/**
 * How an `outsideChange` was found: the VirtualService's version it was first
 * read at, and who made it and when, where `metadata.managedFields` tell.
 * @public
 */
export interface OutsideChange {
  /** The VirtualService's `resourceVersion` at which the change was first read. */
  resourceVersion: string;
  /** The field manager of the `managedFields` entry that owns the route, e.g. `kubectl-patch`. */
  by?: string;
  /** That entry's `operation`: `Update` or `Apply`. */
  operation?: string;
  /** That entry's time (ISO 8601, seconds): when the change was made. */
  changedAt?: string;
}

/** The plan and step a change was made by. @public */
export interface HistoryPlanStep {
  /** The plan's id, as digits (`12`). */
  id: string;
  /** The step, from 0; the plan's step count when it wrote its final weight or rolled back. */
  step: number;
}

/**
 * One change of a rollout, as the history shows it: who did what to which
 * route, when, whether it was applied, and what the route looked like before
 * and after.
 * @public
 */
export interface HistoryEvent {
  /** Opaque, increasing id; also the paging cursor. */
  id: string;
  /** The catalog entity the rollout belongs to, e.g. `component:default/reviews`. */
  entityRef: string;
  /** The user who acted, as an entity ref; for an `outsideChange`, the field manager that made it, or `unknown`. */
  actor: string;
  /** ISO 8601 time the change was recorded, just before the write; for an `outsideChange`, when a read found it. */
  createdAt: string;
  /** `<cluster>/<namespace>/<name>` of the VirtualService. */
  rolloutId: string;
  cluster: string;
  namespace: string;
  virtualService: string;
  route: { kind: RouteKind; index: number; name?: string };
  action: HistoryAction;
  /** Set when a step plan made the change, as `actor` (who started it, or last resumed it). */
  plan?: HistoryPlanStep;
  /**
   * Set when the change came through Backstage's actions registry rather than the tab: the action's id, e.g.
   * `istio-rollouts:set-weights` (an agent, through MCP).
   */
  channel?: string;
  /** Set on an `outsideChange`: how it was found. */
  outside?: OutsideChange;
  /** Set when the change was proposed in Git (`proposed`): where to review it. */
  gitops?: GitOpsChangeLink;
  /** Whether the change reached the cluster; rows older than the status are `applied`. */
  status: HistoryEventStatus;
  /**
   * The route stanza (e.g. `spec.http[0]`) before the change, redacted to what
   * the read model shows (name, destinations and weights, mirrors, delegate):
   * never its matches, header manipulation, retries or faults.
   */
  before: unknown;
  /** The route stanza after the change (planned, unless `applied`), redacted like `before`. */
  after: unknown;
  /** One line for humans, e.g. `reviews-route: v1 50→90, v2 50→10`. */
  summary: string;
  /** Why the user made the change, as they wrote it. */
  reason?: string;
  /** Set when a GitOps tool tracks the object and may revert the change. */
  warning?: string;
  /**
   * Every route the change touched, before and after (redacted like `before`), when it touched more than `route`
   * (a blue/green `switch` rewrites the header route and the default route).
   */
  routes?: RolloutRouteChange[];
}

/** Answer of `GET .../rollouts/history`: newest first. @public */
export interface HistoryPage {
  events: HistoryEvent[];
  /** Pass as `cursor` to get the next (older) page; absent on the last page. */
  nextCursor?: string;
}
