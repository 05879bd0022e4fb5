import {
  Rollout,
  RolloutsResponse,
} from '@internal/plugin-istio-rollouts-common';
import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  setWeightsApplied,
  setWeightsDryRun,
} from '../../__fixtures__/actions';
import { reviewsResponse } from '../../__fixtures__/rollouts';
import {
  component,
  mockApi,
  MockApi,
  renderWithApi,
  responseError,
} from '../../__testUtils__/renderWithApi';
import { EntityIstioRolloutsContent } from './EntityIstioRolloutsContent';

const [east, west] = reviewsResponse.rollouts;

/** reviews as the page reads it after someone else set v1/v2 in demo-east. */
function movedTo(
  resourceVersion: string,
  v1: number,
  v2: number,
): RolloutsResponse {
  const moved: Rollout = {
    ...east,
    resourceVersion,
    routes: [
      {
        ...east.routes[0],
        destinations: [
          { host: 'reviews', subset: 'v1', port: 9080, weight: v1 },
          { host: 'reviews', subset: 'v2', port: 9080, weight: v2 },
        ],
      },
    ],
  };
  return { ...reviewsResponse, rollouts: [moved, west] };
}

const eastCard = () =>
  screen.getByRole('article', {
    name: 'VirtualService bookinfo/reviews in demo-east',
  });
const inEast = () => within(eastCard());
const bar = (split: string) =>
  screen.getByRole('img', {
    name: `Traffic of http[0] reviews-route: ${split}`,
  });

/** The tab on reviews, refreshing every 50 ms, with v1 80 / v2 20 drafted in demo-east at resourceVersion 28. */
async function draftingOnReviews(api: MockApi) {
  await renderWithApi(<EntityIstioRolloutsContent pollIntervalMs={50} />, {
    api,
    entity: component('reviews'),
  });
  await screen.findAllByRole('article');
  await userEvent.click(inEast().getByRole('button', { name: 'Set weights' }));
  const v1 = inEast().getByRole('spinbutton', {
    name: 'Weight of v1 in percent',
  });
  await userEvent.clear(v1);
  await userEvent.type(v1, '80');
}

describe('editing weights while the route changes elsewhere', () => {
  it('refreshes without flicker and keeps the edit, with the new split beside it', async () => {
    const api = mockApi();
    api.getRollouts.mockResolvedValue(reviewsResponse);
    await draftingOnReviews(api);

    api.getRollouts.mockResolvedValue(movedTo('31', 70, 30));
    await waitFor(() => expect(bar('v1 70% / v2 30%')).toBeInTheDocument(), {
      timeout: 2000,
    });
    expect(screen.queryByRole('progressbar')).not.toBeInTheDocument();
    expect(
      inEast().getByRole('spinbutton', { name: 'Weight of v1 in percent' }),
    ).toHaveValue(80);
    expect(
      inEast().getByText('This route changed while you were editing'),
    ).toBeInTheDocument();
    expect(
      inEast().getByText(/resourceVersion 28, now 31/),
    ).toBeInTheDocument();
    expect(
      inEast().getByRole('button', { name: 'Review change' }),
    ).toBeDisabled();
    await act(async () => {});
  });

  it('applies my weights on the new version: a new dry run and write at that version, never the old one', async () => {
    const api = mockApi();
    api.getRollouts.mockResolvedValue(reviewsResponse);
    api.runAction.mockImplementation(async (_, request) =>
      request.dryRun ? setWeightsDryRun : setWeightsApplied,
    );
    await draftingOnReviews(api);
    api.getRollouts.mockResolvedValue(movedTo('31', 70, 30));
    await waitFor(
      () =>
        expect(
          inEast().getByRole('button', {
            name: 'Apply my weights on the new version',
          }),
        ).toBeInTheDocument(),
      { timeout: 2000 },
    );
    expect(api.runAction).not.toHaveBeenCalled();

    await userEvent.click(
      inEast().getByRole('button', {
        name: 'Apply my weights on the new version',
      }),
    );
    // adopting the version sends nothing: the user reviews first
    expect(api.runAction).not.toHaveBeenCalled();
    await userEvent.click(
      inEast().getByRole('button', { name: 'Review change' }),
    );
    const dialog = await screen.findByRole('dialog');
    expect(api.runAction).toHaveBeenLastCalledWith(expect.anything(), {
      rolloutId: 'demo-east/bookinfo/reviews',
      resourceVersion: '31',
      route: { kind: 'http', index: 0 },
      action: 'setWeights',
      weights: { v1: 80, v2: 20 },
      dryRun: true,
    });

    api.getRollouts.mockImplementation(() => new Promise(() => {}));
    await userEvent.click(
      await within(dialog).findByRole('button', { name: 'Apply' }),
    );
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    expect(api.runAction).toHaveBeenLastCalledWith(
      expect.anything(),
      expect.objectContaining({
        resourceVersion: '31',
        weights: { v1: 80, v2: 20 },
      }),
    );
    expect(api.runAction).toHaveBeenCalledTimes(2);
  });

  it('after a refused dry run (409) the editor offers the rebase, and the next dry run is at the new version', async () => {
    const api = mockApi();
    api.getRollouts.mockResolvedValue(reviewsResponse);
    const conflict = await responseError(
      409,
      'ConflictError',
      'demo-east/bookinfo/reviews changed since you loaded it (resourceVersion 28, now 44)',
      { reason: 'Changed' },
    );
    api.runAction.mockImplementation(async (_, request) => {
      if (request.resourceVersion === '28') throw conflict;
      return setWeightsDryRun;
    });
    await renderWithApi(<EntityIstioRolloutsContent pollIntervalMs={null} />, {
      api,
      entity: component('reviews'),
    });
    await screen.findAllByRole('article');
    await userEvent.click(
      inEast().getByRole('button', { name: 'Set weights' }),
    );
    await userEvent.click(
      inEast().getByRole('button', { name: 'Send 25% to v2' }),
    );
    // someone moved it before the user pressed Review; the conflict reloads the page
    api.getRollouts.mockResolvedValue(movedTo('44', 90, 10));
    await userEvent.click(
      inEast().getByRole('button', { name: 'Review change' }),
    );
    const dialog = await screen.findByRole('dialog');
    expect(
      await within(dialog).findByText(/resourceVersion 28, now 44/),
    ).toBeInTheDocument();
    await userEvent.keyboard('{Escape}');
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    await waitFor(() => expect(bar('v1 90% / v2 10%')).toBeInTheDocument());

    // the edit survived, with the way on
    expect(
      inEast().getByRole('spinbutton', { name: 'Weight of v2 in percent' }),
    ).toHaveValue(25);
    expect(
      inEast().getByRole('button', { name: 'Review change' }),
    ).toBeDisabled();
    await userEvent.click(
      inEast().getByRole('button', {
        name: 'Apply my weights on the new version',
      }),
    );
    await userEvent.click(
      inEast().getByRole('button', { name: 'Review change' }),
    );
    await screen.findByRole('dialog');
    expect(api.runAction).toHaveBeenLastCalledWith(
      expect.anything(),
      expect.objectContaining({
        resourceVersion: '44',
        weights: { v1: 75, v2: 25 },
        dryRun: true,
      }),
    );
  });
});
