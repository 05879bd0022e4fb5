import { Rollout } from '@internal/plugin-istio-rollouts-common';
import { screen } from '@testing-library/react';
import { reviewsResponse } from '../../__fixtures__/rollouts';
import { mockApi, renderWithApi } from '../../__testUtils__/renderWithApi';
import { placeFindings, VirtualServiceCard } from './VirtualServiceCard';

const reviews = reviewsResponse.rollouts[0];
const entityRef = { kind: 'Component', namespace: 'default', name: 'reviews' };

const render = (rollout: Rollout) =>
  renderWithApi(
    <VirtualServiceCard
      entityRef={entityRef}
      rollout={rollout}
      onApplied={jest.fn()}
      onConflict={jest.fn()}
    />,
    { api: mockApi() },
  );

describe('VirtualServiceCard', () => {
  it('names the VirtualService, its namespace, hosts, gateways and mesh revision', async () => {
    await render(reviews);
    expect(
      screen.getByRole('article', {
        name: 'VirtualService bookinfo/reviews in demo-east',
      }),
    ).toHaveTextContent(
      'Namespace bookinfoHosts reviewsGateways reviews-gateway, mesh',
    );
    expect(screen.getByText('Istio revision default')).toBeInTheDocument();
  });

  it('says a VirtualService without gateways is for sidecars only', async () => {
    await render({ ...reviews, gateways: [] });
    expect(screen.getByText('mesh (sidecars only)')).toBeInTheDocument();
  });

  it('warns that a controller owns the VirtualService and turns the controls off', async () => {
    await render({
      ...reviews,
      allowedActions: [],
      owner: {
        kind: 'ArgoRollouts',
        name: 'reviews',
        effect: 'refuses-edits',
        via: 'ownerReference Rollout/reviews',
      },
      findings: [
        {
          code: 'OWNED_BY_CONTROLLER',
          severity: 'warning',
          message: 'Argo Rollouts manages reviews.',
        },
      ],
    });
    expect(
      screen.getByText('Managed by Argo Rollouts (reviews)'),
    ).toBeInTheDocument();
    const banner = screen
      .getByText('Managed by Argo Rollouts (reviews)')
      .closest('[role="alert"]');
    expect(banner).toHaveTextContent(
      'reverts direct edits, so the controls here are off. Promote or abort the rollout through Argo Rollouts.',
    );
    expect(banner).toHaveTextContent('OWNED_BY_CONTROLLER');
    expect(screen.getByRole('button', { name: 'Set weights' })).toBeDisabled();
    // the banner replaces the finding, it is not shown twice
    expect(screen.queryByText('Argo Rollouts manages reviews.')).toBeNull();
  });

  it('says what a GitOps tool will do to a change', async () => {
    await render({
      ...reviews,
      owner: { kind: 'ArgoCD', name: 'bookinfo', effect: 'may-revert' },
    });
    const banner = screen
      .getByText('Applied from Git by Argo CD (bookinfo)')
      .closest('[role="alert"]');
    expect(banner).toHaveTextContent(
      'A change made here takes effect at once, but Argo CD puts back what Git says on its next sync',
    );
    expect(screen.getByRole('button', { name: 'Set weights' })).toBeEnabled();
  });

  it('says a change becomes a commit where GitOps mode covers the repository, or text where it cannot be placed', async () => {
    const { unmount } = await render({
      ...reviews,
      owner: {
        kind: 'ArgoCD',
        name: 'bookinfo',
        effect: 'may-revert',
        gitops: {
          changesGoTo: 'git',
          repositoryUrl: 'https://github.com/acme/mesh',
          delivery: 'pullRequest',
        },
      },
    });
    const banner = () =>
      screen
        .getByText('Applied from Git by Argo CD (bookinfo)')
        .closest('[role="alert"]');
    expect(banner()).toHaveTextContent(
      'A change made here is committed to https://github.com/acme/mesh as a pull request for review; the cluster changes when Argo CD syncs the merge.',
    );
    expect(banner()).not.toHaveTextContent('puts back');
    unmount();

    await render({
      ...reviews,
      owner: {
        kind: 'ArgoCD',
        name: 'bookinfo',
        effect: 'may-revert',
        gitops: {
          changesGoTo: 'text',
          note: 'Application argocd/bookinfo renders a Helm chart.',
        },
      },
    });
    expect(banner()).toHaveTextContent(
      'Application argocd/bookinfo renders a Helm chart. A change made here is given as text to make in Git by hand.',
    );
  });
});

describe('placeFindings', () => {
  it('puts route and subset findings next to their route, the rest on the VirtualService', () => {
    const rollout: Rollout = {
      ...reviews,
      findings: [
        {
          code: 'A',
          severity: 'error',
          message: 'a',
          route: { kind: 'http', index: 0 },
        },
        { code: 'B', severity: 'info', message: 'b', subset: 'v3' },
        { code: 'C', severity: 'warning', message: 'c', host: 'reviews' },
        { code: 'TRACKED_BY_GITOPS', severity: 'info', message: 'd' },
      ],
    };
    const { byRoute, general } = placeFindings(rollout);
    expect(byRoute.get('http[0]')?.map(f => f.code)).toEqual(['A', 'B']);
    expect(general.map(f => f.code)).toEqual(['C']);
  });
});
