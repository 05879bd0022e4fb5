import type {
  OwnerGitOps,
  Rollout,
} from '@internal/plugin-istio-rollouts-common';
import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';
import { ownerKindName, ownerName } from '../../lib/actions';

/** What an action does to a VirtualService a GitOps tool applies: GitOps mode's answer, where it is on. */
const GitOpsEffect = ({
  gitops,
  tool,
}: {
  gitops?: OwnerGitOps;
  tool: string;
}) => {
  if (gitops?.changesGoTo === 'git') {
    return (
      <>
        A change made here is committed to <code>{gitops.repositoryUrl}</code>{' '}
        {gitops.delivery === 'pullRequest'
          ? 'as a pull request'
          : 'on a new branch'}{' '}
        for review; the cluster changes when {tool} syncs the merge.
      </>
    );
  }
  if (gitops?.changesGoTo === 'text') {
    return (
      <>
        {gitops.note} A change made here is given as text to make in Git by
        hand.
      </>
    );
  }
  return (
    <>
      A change made here takes effect at once, but {tool} puts back what Git
      says on its next sync (or at once with self-heal). Make the change in Git
      as well to keep it.{gitops?.note ? ` ${gitops.note}` : ''}
    </>
  );
};

/**
 * Who else writes this VirtualService, and what that means for a change made
 * here: a controller that refuses edits, or a GitOps tool — where GitOps mode
 * is on, what the backend found an action does (a commit, or text).
 */
export const OwnerBanner = ({ rollout }: { rollout: Rollout }) => {
  const owner = rollout.owner;
  if (!owner) return null;
  const name = ownerName(owner);
  const tool = ownerKindName(owner);
  const code =
    owner.effect === 'refuses-edits'
      ? 'OWNED_BY_CONTROLLER'
      : 'TRACKED_BY_GITOPS';
  return owner.effect === 'refuses-edits' ? (
    <Alert severity="warning">
      <AlertTitle>Managed by {name}</AlertTitle>
      {name} sets this VirtualService’s weights itself and reverts direct edits,
      so the controls here are off. Promote or abort the rollout through {tool}.
      {owner.via ? ` (Found by ${owner.via}.)` : ''} <code>{code}</code>
    </Alert>
  ) : (
    <Alert severity="info">
      <AlertTitle>Applied from Git by {name}</AlertTitle>
      <GitOpsEffect gitops={owner.gitops} tool={tool} />
      {owner.via ? ` (Found by ${owner.via}.)` : ''} <code>{code}</code>
    </Alert>
  );
};
