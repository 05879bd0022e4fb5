import type { RolloutObjectPatch, RolloutRouteChange } from './changes';
import type { GitOpsChangeLink } from './gitops';
import type { HistoryEvent } from './history';
import type { Rollout, RouteRef } from './rollouts';

/** What every action request carries. @public */
export interface ActionRequestBase {
  /** `<cluster>/<namespace>/<name>` of the VirtualService, as in {@link Rollout.id}. */
  rolloutId: string;
  /** The `resourceVersion` the user saw; the write fails with 409 if the object changed since. */
  resourceVersion: string;
  /** Why, in the user's words; kept in the history. */
  reason?: string;
  /** Plan and validate only: answer the patch and the route before and after, write nothing. */
  dryRun?: boolean;
}

/** `setWeights`: every destination of the route gets the weight the user chose. @public */
export interface SetWeightsRequest extends ActionRequestBase {
  action: 'setWeights';
  route: RouteRef;
  /** Every destination of the route (by subset, or by host for host-level splits) → 0–100, summing to 100. */
  weights: Record<string, number>;
}

/** `promote`: the subset gets all of the route's traffic. @public */
export interface PromoteRequest extends ActionRequestBase {
  action: 'promote';
  route: RouteRef;
  subset: string;
}

/** `rollback`: the route's stable subset (the backend decides which) gets all of its traffic. @public */
export interface RollbackRequest extends ActionRequestBase {
  action: 'rollback';
  route: RouteRef;
}

/** `switch` of a blue/green header route pair. @public */
export interface SwitchRequest extends ActionRequestBase {
  action: 'switch';
  /** Either route of the pair; optional when the VirtualService holds exactly one pair. */
  route?: RouteRef;
}

/** `startCanary`: the subset joins the route at 0 %. @public */
export interface StartCanaryRequest extends ActionRequestBase {
  action: 'startCanary';
  route: RouteRef;
  subset: string;
}

/**
 * `finish`: the route's retired destinations (at 0 %, see {@link RouteState.retired}) leave the route, so only the
 * destinations that carry traffic (and one staged at 0 %, if any) remain. The DestinationRule subsets stay.
 * @public
 */
export interface FinishRequest extends ActionRequestBase {
  action: 'finish';
  route: RouteRef;
}

/**
 * Body of `POST /api/istio-rollouts/v1/entities/:kind/:namespace/:name/rollouts/actions`: one action on one route
 * of one VirtualService. `parseActionRequest` turns a body into one.
 * @public
 */
export type ActionRequest =
  | SetWeightsRequest
  | PromoteRequest
  | RollbackRequest
  | SwitchRequest
  | StartCanaryRequest
  | FinishRequest;

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
  /** GitOps mode: the change goes to the repository Argo CD or Flux syncs rather than to the cluster. */
  gitops?: ActionGitOps;
}

/**
 * Where a change of a VirtualService synced from Git goes, and what it is there. A dry run says what the commit
 * would change (`diff`), or why the plugin cannot place it (`cannotPlace`, with `patch` to apply by hand); an
 * applied action says where the commit is.
 * @public
 */
export interface ActionGitOps {
  /** The repository, as the Application or GitRepository names it. */
  repositoryUrl?: string;
  /** Who syncs it into the cluster, e.g. `Application argocd/bookinfo`. */
  managedBy: string;
  delivery?: 'pullRequest' | 'branch';
  /** The change in the repository's files, as a unified diff. */
  diff?: string;
  /** Why the change cannot be made in the repository with certainty. */
  cannotPlace?: string;
  /** With `cannotPlace`: the change as text, for a person to apply. */
  patch?: string;
  /** After the action: where the commit is. */
  proposal?: GitOpsProposal;
}

/** A change committed to Git by an action: where it is, and the files it edits. @public */
export interface GitOpsProposal extends GitOpsChangeLink {
  files: string[];
}
