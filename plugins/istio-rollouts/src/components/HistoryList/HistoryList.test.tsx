import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { HistoryEvent } from '@internal/plugin-istio-rollouts-common';
import {
  historyPages,
  setWeightsApplied,
  setWeightsDryRun,
  setWeightsEvent,
} from '../../__fixtures__/actions';
import { reviewsResponse } from '../../__fixtures__/rollouts';
import {
  mockApi,
  renderWithApi,
  responseError,
} from '../../__testUtils__/renderWithApi';
import { HistoryList } from './HistoryList';

const entityRef = { kind: 'Component', namespace: 'default', name: 'reviews' };

describe('HistoryList', () => {
  it('shows who did what and when, before → after and why, page by page', async () => {
    const api = mockApi();
    api.getHistory
      .mockResolvedValueOnce(historyPages[0])
      .mockResolvedValueOnce(historyPages[1]);
    await renderWithApi(<HistoryList entityRef={entityRef} pageSize={1} />, {
      api,
    });
    const table = await screen.findByRole('table', { name: 'History' });
    const [, first] = within(table).getAllByRole('row');
    expect(first).toHaveTextContent('3 minutes ago');
    expect(first).toHaveTextContent('guest');
    expect(first).toHaveTextContent('Set weights');
    expect(first).toHaveTextContent(
      'demo-east · bookinfo/reviews · http[0] reviews-route',
    );
    expect(first).toHaveTextContent('v1 50% / v2 50% → v1 80% / v2 20%');
    expect(first).toHaveTextContent('more canary traffic after a clean hour');

    await userEvent.hover(within(first).getByText('3 minutes ago'));
    expect(await screen.findByRole('tooltip')).toHaveTextContent(/\d{4}/);

    await userEvent.click(
      screen.getByRole('button', { name: 'Show older changes' }),
    );
    expect(await within(table).findByText('jane.doe')).toBeInTheDocument();
    expect(within(table).getByText('2 days ago')).toBeInTheDocument();
    expect(api.getHistory).toHaveBeenLastCalledWith(entityRef, {
      limit: 1,
      cursor: '7',
    });
    expect(
      screen.queryByRole('button', { name: 'Show older changes' }),
    ).toBeNull();
  });

  it('says which plan and step made a change, next to the user the plan acts as', async () => {
    const api = mockApi();
    api.getHistory.mockResolvedValueOnce({
      events: [{ ...setWeightsEvent, plan: { id: '12', step: 4 } }],
    });
    await renderWithApi(<HistoryList entityRef={entityRef} />, { api });
    const table = await screen.findByRole('table', { name: 'History' });
    const [, row] = within(table).getAllByRole('row');
    const who = within(row).getAllByRole('cell')[1];
    expect(who).toHaveTextContent(/^guestplan #12 · step 5$/);
  });

  it('says which tool an agent made a change with', async () => {
    const api = mockApi();
    api.getHistory.mockResolvedValueOnce({
      events: [{ ...setWeightsEvent, channel: 'istio-rollouts:set-weights' }],
    });
    await renderWithApi(<HistoryList entityRef={entityRef} />, { api });
    const table = await screen.findByRole('table', { name: 'History' });
    const [, row] = within(table).getAllByRole('row');
    const who = within(row).getAllByRole('cell')[1];
    expect(who).toHaveTextContent(/^guestvia set-weights \(agent\)$/);
  });

  it('marks a change proposed in Git, with its pull request or its branch and commit, and one applied from Git', async () => {
    const api = mockApi();
    const link = {
      repositoryUrl: 'https://github.com/acme/deploy',
      managedBy: 'Application argocd/bookinfo',
      branch: 'istio-rollouts/reviews-abc',
      commit: '0123456789abcdef0123456789abcdef01234567',
    };
    api.getHistory.mockResolvedValueOnce({
      events: [
        {
          ...setWeightsEvent,
          id: '3',
          status: 'applied',
          gitops: { ...link, delivery: 'branch' },
        },
        {
          ...setWeightsEvent,
          id: '2',
          status: 'proposed',
          gitops: {
            ...link,
            delivery: 'pullRequest',
            url: 'https://github.com/acme/deploy/pull/12',
            pullRequest: 12,
          },
        },
        {
          ...setWeightsEvent,
          id: '1',
          status: 'proposed',
          gitops: { ...link, delivery: 'branch' },
        },
      ],
    });
    await renderWithApi(<HistoryList entityRef={entityRef} />, { api });
    const table = await screen.findByRole('table', { name: 'History' });
    const [, synced, pr, branch] = within(table).getAllByRole('row');
    // Settled once the cluster showed it: no status chip, and who applied it.
    expect(synced).not.toHaveTextContent('proposed in Git');
    expect(synced).toHaveTextContent(
      'Application argocd/bookinfo applied it from Git',
    );
    expect(pr).toHaveTextContent('proposed in Git');
    expect(
      within(pr).getByRole('link', { name: /^pull request #12/ }),
    ).toHaveAttribute('href', 'https://github.com/acme/deploy/pull/12');
    expect(pr).toHaveTextContent(
      'Application argocd/bookinfo applies it once merged',
    );
    expect(branch).toHaveTextContent(
      'branch istio-rollouts/reviews-abc, commit 0123456',
    );
  });

  it('marks a change that is not known to be applied with its status, and an applied one with none', async () => {
    const api = mockApi();
    const statuses = [
      'pending',
      'refused',
      'failed',
      'unknown',
      'applied',
    ] as const;
    api.getHistory.mockResolvedValueOnce({
      events: statuses.map((status, i) => ({
        ...setWeightsEvent,
        id: String(10 - i),
        status,
      })),
    });
    await renderWithApi(<HistoryList entityRef={entityRef} />, { api });
    const table = await screen.findByRole('table', { name: 'History' });
    const [, pending, refused, failed, unknown, applied] =
      within(table).getAllByRole('row');
    expect(pending).toHaveTextContent('pending — outcome not known yet');
    expect(refused).toHaveTextContent('refused by the cluster');
    expect(failed).toHaveTextContent(/Set weights\s*failed/);
    expect(unknown).toHaveTextContent('outcome unknown');
    expect(
      within(pending).getByTitle(/checked against the cluster/),
    ).toBeInTheDocument();
    for (const row of [pending, refused, failed, unknown, applied]) {
      // The planned split reads as before, whatever became of it.
      expect(row).toHaveTextContent('v1 50% / v2 50% → v1 80% / v2 20%');
    }
    expect(applied).not.toHaveTextContent(/pending|refused|failed|unknown/);
  });

  it('shows a change found outside Backstage: the field manager who made it, when, and from which split', async () => {
    const api = mockApi();
    const minutesAgo = (m: number) =>
      new Date(Date.now() - m * 60_000).toISOString();
    const outside = (by?: string): HistoryEvent => ({
      ...setWeightsEvent,
      id: by ? '9' : '8',
      actor: by ?? 'unknown',
      action: 'outsideChange',
      createdAt: minutesAgo(1),
      before: setWeightsEvent.after,
      after: setWeightsEvent.before,
      summary: 'http[0] reviews-route: v1 80→50, v2 20→50',
      reason: undefined,
      outside: {
        resourceVersion: '44',
        ...(by && { by, operation: 'Update', changedAt: minutesAgo(5) }),
      },
    });
    api.getHistory.mockResolvedValueOnce({
      events: [outside('kubectl-patch'), outside()],
    });
    await renderWithApi(<HistoryList entityRef={entityRef} />, { api });
    const table = await screen.findByRole('table', { name: 'History' });
    const [, known, unknown] = within(table).getAllByRole('row');
    expect(known).toHaveTextContent('Changed outside Backstage');
    expect(known).toHaveTextContent(
      'demo-east · bookinfo/reviews · http[0] reviews-route · resourceVersion 44',
    );
    expect(known).toHaveTextContent('v1 80% / v2 20% → v1 50% / v2 50%');
    // When it was made, as the cluster says; found later.
    expect(within(known).getByText('5 minutes ago')).toBeInTheDocument();
    expect(within(known).getByText('kubectl-patch')).toHaveAttribute(
      'title',
      expect.stringMatching(/managedFields/),
    );
    expect(within(unknown).getByText('unknown')).toHaveAttribute(
      'title',
      'The VirtualService’s managedFields don’t say who',
    );
    expect(within(unknown).getByText('1 minute ago')).toBeInTheDocument();
  });

  it('keeps who acted on one line, however long the other columns', async () => {
    const api = mockApi();
    api.getHistory.mockResolvedValueOnce({
      events: [{ ...setWeightsEvent, reason: 'x'.repeat(400) }],
    });
    await renderWithApi(<HistoryList entityRef={entityRef} />, { api });
    const cell = await screen.findByRole('cell', { name: 'guest' });
    expect(cell).toHaveStyle({ whiteSpace: 'nowrap' });
  });

  it("offers Revert to this: the confirmation's dry run of a setWeights to the row's split", async () => {
    const api = mockApi();
    api.getHistory.mockResolvedValue({ events: [setWeightsEvent] });
    api.runAction.mockResolvedValueOnce(setWeightsDryRun);
    api.runAction.mockResolvedValueOnce(setWeightsApplied);
    const onApplied = jest.fn();
    await renderWithApi(
      <HistoryList
        entityRef={entityRef}
        rollouts={reviewsResponse.rollouts}
        onApplied={onApplied}
      />,
      { api },
    );
    await userEvent.click(
      await screen.findByRole('button', {
        name: 'Revert to this: v1 80% / v2 20%',
      }),
    );
    const dialog = await screen.findByRole('dialog');
    expect(api.runAction).toHaveBeenCalledWith(entityRef, {
      action: 'setWeights',
      rolloutId: 'demo-east/bookinfo/reviews',
      resourceVersion: '28',
      route: { kind: 'http', index: 0 },
      weights: { v1: 80, v2: 20 },
      dryRun: true,
    });
    expect(dialog).toHaveTextContent('Set weights on reviews?');
    await userEvent.click(
      await within(dialog).findByRole('button', { name: /^Apply/ }),
    );
    expect(api.runAction).toHaveBeenLastCalledWith(
      entityRef,
      expect.not.objectContaining({ dryRun: true }),
    );
    expect(onApplied).toHaveBeenCalledWith(setWeightsApplied);
  });

  it('disables Revert to this, saying why, when the route has that split or the user may not set weights', async () => {
    const api = mockApi();
    api.getHistory.mockResolvedValue({
      events: [
        { ...setWeightsEvent, id: '2', after: setWeightsEvent.before },
        setWeightsEvent,
      ],
    });
    const [east] = reviewsResponse.rollouts;
    await renderWithApi(
      <HistoryList
        entityRef={entityRef}
        rollouts={[{ ...east, allowedActions: [] }]}
        onApplied={jest.fn()}
      />,
      { api },
    );
    const same = await screen.findByRole('button', {
      name: 'Revert to this: v1 50% / v2 50%',
    });
    expect(same).toBeDisabled();
    expect(same).toHaveAccessibleDescription(
      'The route has this split now (v1 50% / v2 50%).',
    );
    const locked = screen.getByRole('button', {
      name: 'Revert to this: v1 80% / v2 20%',
    });
    expect(locked).toBeDisabled();
    expect(locked).toHaveAccessibleDescription(/.+/);
    expect(api.runAction).not.toHaveBeenCalled();
  });

  it('offers no Revert to this without the rollouts to revert', async () => {
    const api = mockApi();
    api.getHistory.mockResolvedValueOnce({ events: [setWeightsEvent] });
    await renderWithApi(<HistoryList entityRef={entityRef} />, { api });
    await screen.findByRole('table', { name: 'History' });
    expect(screen.queryByRole('button', { name: /Revert to this/ })).toBeNull();
  });

  it('says when nothing was changed yet', async () => {
    await renderWithApi(<HistoryList entityRef={entityRef} />, {
      api: mockApi(),
    });
    expect(
      await screen.findByText(/No change has been made through Backstage yet/),
    ).toBeInTheDocument();
  });

  it('shows an error without breaking the page', async () => {
    const api = mockApi();
    api.getHistory.mockRejectedValue(
      await responseError(404, 'NotFoundError', 'no such route'),
    );
    await renderWithApi(<HistoryList entityRef={entityRef} />, { api });
    expect(
      await screen.findByText(/The history could not be read: no such route/),
    ).toBeInTheDocument();
  });
});
