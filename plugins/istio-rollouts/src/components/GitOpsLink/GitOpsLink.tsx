import { Link } from '@backstage/core-components';
import type { GitOpsChangeLink } from '@internal/plugin-istio-rollouts-common';

/** Where a change proposed in Git is: a link to its pull request, else its branch and short commit. */
export const GitOpsLink = ({ link }: { link: GitOpsChangeLink }) =>
  link.url ? (
    <Link to={link.url}>
      pull request{link.pullRequest ? ` #${link.pullRequest}` : ''}
    </Link>
  ) : (
    <>
      branch <code>{link.branch}</code>, commit{' '}
      <code title={link.commit}>{link.commit.slice(0, 7)}</code>
    </>
  );
