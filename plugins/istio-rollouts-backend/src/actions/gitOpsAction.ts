import type { LoggerService } from '@backstage/backend-plugin-api';
import { ConflictError, ServiceUnavailableError } from '@backstage/errors';
import type {
  ActionGitOps,
  ActionPlan,
  RolloutActionResponse,
} from '@internal/plugin-istio-rollouts-common';
import type { HistoryStore } from '../history/HistoryStore';
import type { ClusterClients } from '../kubernetes';
import { changeAsText, GitOpsChanges, GitOpsRoute } from '../gitops';
import { ChangeActor, plannedChangeEvent } from './changeRecords';
import type { RolloutTarget } from './loadRolloutTarget';

/** What an action needs for GitOps mode: where changes go, and the clusters' clients to ask. */
export interface GitOpsActions {
  changes: GitOpsChanges;
  clients: ClusterClients;
  /** The user's name and email for a commit's author, from the catalog. */
  authorOf(userRef: string): Promise<{ name: string; email: string }>;
}

/** How long finding the Git source may take: a read or two of the cluster. */
const ROUTE_TIMEOUT_MS = 10_000;

/** Where the action's change goes: the cluster (undefined: as without GitOps mode), Git, or text. */
export async function gitOpsRouteOf(
  gitops: GitOpsActions,
  target: RolloutTarget,
): Promise<GitOpsRoute> {
  const client = await gitops.clients.get(target.cluster);
  return gitops.changes.route(
    client,
    target.virtualService,
    AbortSignal.timeout(ROUTE_TIMEOUT_MS),
  );
}

/**
 * An action whose VirtualService is synced from Git, once every check has passed: a dry run answers the commit's
 * diff (or why it cannot be placed, and the change as text); otherwise the change is committed and delivered as the
 * repository's owners configured, and recorded in the history as `proposed` with where it is. The cluster is not
 * written: Argo CD or Flux applies it once merged.
 */
export async function actInGit(options: {
  gitops: GitOpsActions;
  route: Extract<GitOpsRoute, { to: 'git' | 'text' }>;
  answer: RolloutActionResponse;
  plan: ActionPlan;
  target: RolloutTarget;
  entityRef: string;
  actor: ChangeActor;
  reason?: string;
  history: HistoryStore;
  logger: LoggerService;
}): Promise<RolloutActionResponse> {
  const { gitops, route, answer, plan, target } = options;
  if (route.to === 'text') {
    const patch = changeAsText(plan.patches, route.reason);
    const cannot: ActionGitOps = {
      managedBy: route.managedBy ?? 'a GitOps tool',
      cannotPlace: route.reason,
      patch,
    };
    if (answer.dryRun) return { ...answer, gitops: cannot };
    throw new ConflictError(
      `${route.reason} The plugin cannot make this change in Git; make it by hand:\n${patch}`,
    );
  }
  const where = {
    repositoryUrl: route.source.repoUrl,
    managedBy: route.source.managedBy,
    delivery: route.repository.delivery,
  };
  if (answer.dryRun) {
    const preview = await gitops.changes.preview(route, plan.patches);
    return {
      ...answer,
      gitops: preview.placement.placed
        ? { ...where, diff: preview.diff }
        : {
            ...where,
            cannotPlace: preview.placement.reason,
            patch: preview.placement.patch,
          },
    };
  }
  const target0 = `VirtualService ${target.rollout.namespace}/${target.rollout.name} in ${target.cluster.name}`;
  const reason = options.reason?.trim();
  const proposal = await gitops.changes.propose(route, plan.patches, {
    summary: plan.summary,
    target: target0,
    actor: options.actor.ref,
    entityRef: options.entityRef,
    ...(reason && { reason }),
    author: await gitops.authorOf(options.actor.ref),
    slug: target.rollout.name,
  });
  const link = {
    repositoryUrl: proposal.repositoryUrl,
    managedBy: proposal.managedBy,
    delivery: proposal.delivery,
    branch: proposal.branch,
    commit: proposal.commit,
    ...(proposal.url && { url: proposal.url }),
    ...(proposal.pullRequest !== undefined && {
      pullRequest: proposal.pullRequest,
    }),
  };
  let event;
  try {
    event = await options.history.proposals.propose({
      ...plannedChangeEvent(options),
      gitops: link,
    });
  } catch (e) {
    options.logger.error(
      `Proposed ${plan.action} of ${target.rollout.id} in Git (${proposal.branch}) but could not record it in the history`,
      e as Error,
    );
    throw new ServiceUnavailableError(
      `The change was committed to ${proposal.repositoryUrl} on branch ${
        proposal.branch
      }, but recording it in the history failed (${(e as Error).message}).`,
    );
  }
  return {
    ...answer,
    event,
    gitops: {
      ...where,
      diff: proposal.diff,
      proposal: { ...link, files: proposal.files },
    },
  };
}
