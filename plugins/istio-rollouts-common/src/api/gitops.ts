/** Where a change proposed in Git is: the repository, branch, commit and pull request. @public */
export interface GitOpsChangeLink {
  repositoryUrl: string;
  /** Who applies it once merged, e.g. `Application argocd/bookinfo`. */
  managedBy: string;
  delivery: 'pullRequest' | 'branch';
  branch: string;
  commit: string;
  /** The pull request's page, when one was opened. */
  url?: string;
  pullRequest?: number;
}

/**
 * A change proposed in Git for a route (GitOps mode) that the cluster does not show yet: Argo CD or Flux applies it
 * once the branch or pull request is merged. Once a read finds the route as the change leaves it, the change's history
 * event becomes `applied` and this goes; a later change of the route through Backstage, or a later proposal, replaces
 * it.
 * @public
 */
export interface PendingGitChange {
  /** The history event that proposed it. */
  eventId: string;
  /** ISO 8601 time it was proposed. */
  proposedAt: string;
  /** Who proposed it: the user's entity ref. */
  actor: string;
  /** What it does, e.g. `default: blue 100% → green 100%`. */
  summary: string;
  /** Where it is: the repository, branch, commit and pull request. */
  gitops: GitOpsChangeLink;
}

/**
 * GitOps mode on a VirtualService Argo CD or Flux applies: where an action's change goes, as the backend found it
 * from the cluster's Application or Kustomization and `istioRollouts.gitops`.
 * - `git`: a commit in the repository the tool syncs from (a branch, or a pull request);
 * - `cluster`: a patch of the cluster, because no repository is configured for it, or the operator allows direct
 *   patches there (`note` says which); the next sync may revert it;
 * - `text`: nowhere the plugin can write: its source cannot be edited (a Helm chart, a plugin); actions answer the
 *   change as text to apply by hand.
 * @public
 */
export interface OwnerGitOps {
  changesGoTo: 'git' | 'cluster' | 'text';
  /** The repository the tool syncs the VirtualService from, where known. */
  repositoryUrl?: string;
  /** How a change is delivered there (`git` only). */
  delivery?: 'pullRequest' | 'branch';
  /** Why the change goes to the cluster or nowhere, in words. */
  note?: string;
}
