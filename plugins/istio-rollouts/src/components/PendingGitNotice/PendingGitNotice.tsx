import type { PendingGitChange } from '@internal/plugin-istio-rollouts-common';
import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';
import { actorName } from '../../lib/actorName';
import { exactTime, relativeTime } from '../../lib/relativeTime';
import { GitOpsLink } from '../GitOpsLink';

export interface PendingGitNoticeProps {
  pending: PendingGitChange;
  /** The time "… ago" is worded against; the page re-renders at each refresh. */
  now?: Date;
}

/**
 * On a route whose change was proposed in Git (GitOps mode) and is not in
 * the cluster yet: where the change is, who proposed it and when, and who
 * applies it. The split above stays the cluster's; the notice goes once a
 * read finds the route as the change leaves it. A note, not a live region.
 */
export const PendingGitNotice = ({
  pending,
  now = new Date(),
}: PendingGitNoticeProps) => {
  const { gitops } = pending;
  return (
    <Alert severity="info" role="note">
      <AlertTitle>
        {gitops.pullRequest
          ? `Pending in pull request #${gitops.pullRequest}`
          : 'Pending in Git'}
      </AlertTitle>
      <div>{pending.summary}</div>
      <div>
        Proposed by {actorName(pending.actor)}{' '}
        <time
          dateTime={pending.proposedAt}
          title={exactTime(pending.proposedAt)}
        >
          {relativeTime(pending.proposedAt, now)}
        </time>{' '}
        in <GitOpsLink link={gitops} /> of <code>{gitops.repositoryUrl}</code>.{' '}
        {gitops.managedBy} applies it once merged; until then this route shows
        what the cluster has.
      </div>
    </Alert>
  );
};
