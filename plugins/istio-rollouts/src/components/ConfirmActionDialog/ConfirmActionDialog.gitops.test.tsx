/*
 * The confirm dialog in GitOps mode: the dry run says who syncs the VirtualService from which repository and shows
 * the commit Apply makes; a change the server cannot place in Git is shown as text, and Apply is not offered.
 */
import type {
  ActionGitOps,
  ActionRequest,
} from '@internal/plugin-istio-rollouts-common';
import { screen } from '@testing-library/react';
import { setWeightsDryRun } from '../../__fixtures__/actions';
import { reviewsResponse } from '../../__fixtures__/rollouts';
import { mockApi, renderWithApi } from '../../__testUtils__/renderWithApi';
import { ConfirmActionDialog } from './ConfirmActionDialog';

const reviews = reviewsResponse.rollouts[0];
const intent: ActionRequest = {
  rolloutId: reviews.id,
  resourceVersion: '28',
  route: { kind: 'http', index: 0 },
  action: 'setWeights',
  weights: { v1: 80, v2: 20 },
};
const DIFF = `--- a/apps/reviews/virtualservice.yaml
+++ b/apps/reviews/virtualservice.yaml
@@ -12,3 +12,3 @@
         - destination: { host: reviews, subset: v1 }
-          weight: 50
+          weight: 80
`;

async function renderDialog(gitops: ActionGitOps) {
  const api = mockApi();
  api.runAction.mockResolvedValue({ ...setWeightsDryRun, gitops });
  await renderWithApi(
    <ConfirmActionDialog
      entityRef={{ kind: 'Component', namespace: 'default', name: 'reviews' }}
      rollout={reviews}
      intent={intent}
      onClose={jest.fn()}
      onApplied={jest.fn()}
      onConflict={jest.fn()}
    />,
    { api },
  );
}

describe('ConfirmActionDialog in GitOps mode', () => {
  it('shows the commit Apply makes in the repository the GitOps tool syncs', async () => {
    await renderDialog({
      repositoryUrl: 'https://github.com/acme/deploy',
      managedBy: 'Application argocd/bookinfo',
      delivery: 'pullRequest',
      diff: DIFF,
    });
    expect(
      await screen.findByText(
        /Application argocd\/bookinfo syncs this VirtualService from https:\/\/github\.com\/acme\/deploy: Apply opens a pull request with this change instead of patching the cluster/,
      ),
    ).toBeInTheDocument();
    const diff = screen.getByLabelText('The commit, as a diff');
    expect(diff.querySelector('del')?.textContent).toBe(
      '-          weight: 50',
    );
    expect(diff.querySelector('ins')?.textContent).toBe(
      '+          weight: 80',
    );
    expect(screen.getByRole('button', { name: 'Apply' })).toBeEnabled();
  });

  it('shows a change the plugin cannot place in Git as text, and offers no Apply', async () => {
    await renderDialog({
      managedBy: 'Application argocd/charts',
      cannotPlace: 'The Application renders a Helm chart.',
      patch: '# patches:\n- op: replace',
    });
    expect(
      await screen.findByText(
        /cannot be made there with certainty: The Application renders a Helm chart\./,
      ),
    ).toBeInTheDocument();
    expect(screen.getByText(/op: replace/)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Apply' })).toBeDisabled();
  });
});
