import type {
  ActionRequest,
  CanaryVerdict,
} from '@internal/plugin-istio-rollouts-common';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { setWeightsDryRun } from '../../__fixtures__/actions';
import { reviewsMetrics } from '../../__fixtures__/metrics';
import { reviewsResponse } from '../../__fixtures__/rollouts';
import {
  mockApi,
  renderWithApi,
  responseError,
} from '../../__testUtils__/renderWithApi';
import { ConfirmActionDialog } from './ConfirmActionDialog';

const reviews = reviewsResponse.rollouts[0];
const entityRef = { kind: 'Component', namespace: 'default', name: 'reviews' };
const intent: ActionRequest = {
  rolloutId: reviews.id,
  resourceVersion: '28',
  route: { kind: 'http', index: 0 },
  action: 'setWeights',
  weights: { v1: 80, v2: 20 },
};

const promote: ActionRequest = {
  rolloutId: reviews.id,
  resourceVersion: '28',
  route: { kind: 'http', index: 0 },
  action: 'promote',
  subset: 'v2',
};
const promoteDryRun = {
  ...setWeightsDryRun,
  summary: 'http[0] reviews-route: v1 50→0, v2 50→100',
};
const failing = reviewsMetrics.rollouts[0].routes[0].verdict;
const healthy = reviewsMetrics.rollouts[1].routes[0].verdict;

async function renderDialog(
  api = mockApi(),
  props: { intent?: ActionRequest; verdict?: CanaryVerdict } = {},
) {
  const handlers = {
    onClose: jest.fn(),
    onApplied: jest.fn(),
    onConflict: jest.fn(),
  };
  await renderWithApi(
    <ConfirmActionDialog
      entityRef={entityRef}
      rollout={reviews}
      intent={props.intent ?? intent}
      verdict={props.verdict}
      {...handlers}
    />,
    { api },
  );
  return { api, ...handlers };
}

describe('ConfirmActionDialog', () => {
  it('shows the target, the server’s summary once, the route as YAML with the changed lines marked, and the exact patch collapsed', async () => {
    const api = mockApi();
    api.runAction.mockResolvedValue(setWeightsDryRun);
    await renderDialog(api);
    const dialog = screen.getByRole('dialog', {
      name: 'Set weights on reviews?',
    });
    expect(within(dialog).getByLabelText('Target')).toHaveTextContent(
      'Clusterdemo-eastNamespacebookinfoVirtualServicereviewsRoutehttp[0] reviews-route (prefix /reviews)',
    );
    // one summary line, the server's; not a second one in another format
    expect(
      await within(dialog).findAllByText(
        'http[0] reviews-route: v1 50→80, v2 50→20',
      ),
    ).toHaveLength(1);
    expect(within(dialog).queryByText(/50% → /)).toBeNull();
    expect(
      within(dialog).getByRole('heading', {
        level: 3,
        name: 'Route http[0] reviews-route',
      }),
    ).toBeInTheDocument();
    expect(
      within(dialog).getByRole('img', {
        name: 'Traffic of http[0] reviews-route before: v1 50% / v2 50%',
      }),
    ).toBeInTheDocument();
    const yaml = within(dialog).getByRole('region', {
      name: 'YAML of http[0] reviews-route after the change',
    });
    expect(yaml).toHaveTextContent('name: reviews-route');
    expect([...yaml.querySelectorAll('ins')].map(l => l.textContent)).toEqual([
      '+added:     weight: 80',
      '+added:     weight: 20',
    ]);
    expect(yaml.querySelectorAll('del')).toHaveLength(2);

    // the JSON Patch, with its guards, only on demand
    expect(within(dialog).queryByText(/"op":"test"/)).toBeNull();
    const exact = within(dialog).getByRole('button', {
      name: 'Exact patch (7 operations)',
    });
    expect(exact).toHaveAttribute('aria-expanded', 'false');
    expect(exact.closest('h3')).not.toBeNull();
    await userEvent.click(exact);
    expect(exact).toHaveAttribute('aria-expanded', 'true');
    expect(
      within(dialog).getByText(
        /^2 operations change the object\. The other 5 are checks, not changes:/,
      ),
    ).toBeInTheDocument();
    expect(
      within(dialog).getByRole('region', {
        name: 'JSON Patch of VirtualService bookinfo/reviews',
      }),
    ).toHaveTextContent(
      '{"op":"replace","path":"/spec/http/0/route/0/weight","value":80}',
    );
    expect(within(dialog).getByRole('button', { name: 'Apply' })).toBeEnabled();
  });

  it('shows both routes a switch changes, each with its YAML', async () => {
    const web = (subset: string) => [{ destination: { host: 'web', subset } }];
    const header = { headers: { 'x-deploy': { exact: 'green' } } };
    const api = mockApi();
    api.runAction.mockResolvedValue({
      ...setWeightsDryRun,
      summary: 'switch: blue → green',
      routes: [
        {
          kind: 'http',
          index: 0,
          name: 'green-by-header',
          before: {
            name: 'green-by-header',
            match: [header],
            route: web('green'),
          },
          after: {
            name: 'green-by-header',
            match: [header],
            route: web('blue'),
          },
        },
        {
          kind: 'http',
          index: 1,
          name: 'default',
          before: { name: 'default', route: web('blue') },
          after: { name: 'default', route: web('green') },
        },
      ],
    });
    await renderDialog(api, {
      intent: {
        rolloutId: reviews.id,
        resourceVersion: '28',
        action: 'switch',
      },
    });
    const dialog = screen.getByRole('dialog');
    const blocks = await within(dialog).findAllByRole('region', {
      name: /^YAML of/,
    });
    expect(blocks.map(b => b.getAttribute('aria-label'))).toEqual([
      'YAML of http[0] green-by-header after the change',
      'YAML of http[1] default after the change',
    ]);
    expect(blocks[1].querySelector('ins')).toHaveTextContent('subset: green');
    expect(within(dialog).getAllByText('switch: blue → green')).toHaveLength(1);
  });

  it('says when the change patches a DestinationRule too', async () => {
    const api = mockApi();
    api.runAction.mockResolvedValue({
      ...setWeightsDryRun,
      patches: [
        {
          kind: 'DestinationRule',
          namespace: 'bookinfo',
          name: 'reviews',
          operations: [
            { op: 'add', path: '/spec/subsets/-', value: { name: 'v3' } },
          ],
        },
        ...setWeightsDryRun.patches,
      ],
    });
    await renderDialog(api);
    expect(
      await screen.findByText(
        'The change also patches DestinationRule bookinfo/reviews: see the exact patch.',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Exact patch (8 operations)' }),
    ).toBeInTheDocument();
  });

  it('says when there is nothing to change and does not offer to apply', async () => {
    const api = mockApi();
    api.runAction.mockResolvedValue({
      ...setWeightsDryRun,
      changed: false,
      patches: [],
      routes: [],
    });
    await renderDialog(api);
    expect(await screen.findByText(/Nothing to change/)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Apply' })).toBeDisabled();
  });

  it('reports a conflict found by the dry run and asks for a reload', async () => {
    const api = mockApi();
    api.runAction.mockRejectedValue(
      await responseError(
        409,
        'ConflictError',
        'reviews changed since it was loaded',
      ),
    );
    const { onConflict } = await renderDialog(api);
    expect(
      await screen.findByText('Someone changed reviews since you loaded it'),
    ).toBeInTheDocument();
    expect(onConflict).toHaveBeenCalled();
    expect(screen.getByRole('button', { name: 'Close' })).toBeEnabled();
  });

  it('shows a refusal because a controller owns the VirtualService as that, not as a change by someone else', async () => {
    const api = mockApi();
    api.runAction.mockRejectedValue(
      await responseError(
        409,
        'ConflictError',
        'VirtualService bookinfo/reviews is managed by Flagger; act through the Canary instead',
        { reason: 'OwnedByController' },
      ),
    );
    const { onConflict } = await renderDialog(api);
    expect(
      await screen.findByText(/act through the Canary instead/),
    ).toBeInTheDocument();
    expect(
      screen.queryByText('Someone changed reviews since you loaded it'),
    ).not.toBeInTheDocument();
    // Reloaded all the same: the page then shows who owns it.
    expect(onConflict).toHaveBeenCalled();
  });

  it('keeps the dialog open with the message when applying fails, and lets the user retry', async () => {
    const api = mockApi();
    api.runAction
      .mockResolvedValueOnce(setWeightsDryRun)
      .mockRejectedValueOnce(
        await responseError(
          403,
          'NotAllowedError',
          'istio-rollouts.traffic.update is not allowed',
        ),
      );
    const { onApplied } = await renderDialog(api);
    await userEvent.click(await screen.findByRole('button', { name: 'Apply' }));
    expect(await screen.findByText('Not applied')).toBeInTheDocument();
    expect(
      screen.getByText('istio-rollouts.traffic.update is not allowed'),
    ).toBeInTheDocument();
    expect(onApplied).not.toHaveBeenCalled();
    expect(screen.getByRole('button', { name: 'Apply' })).toBeEnabled();
  });

  describe('promoting', () => {
    it('shows a healthy canary’s verdict and asks nothing more', async () => {
      const api = mockApi();
      api.runAction.mockResolvedValue(promoteDryRun);
      await renderDialog(api, { intent: promote, verdict: healthy });
      const dialog = screen.getByRole('dialog', {
        name: 'Promote v2 on reviews?',
      });
      expect(
        within(dialog).getByText('Canary health of v2 (vs v1):'),
      ).toBeInTheDocument();
      expect(within(dialog).getByText('healthy')).toBeInTheDocument();
      await waitFor(() =>
        expect(
          within(dialog).getByRole('button', { name: 'Apply' }),
        ).toBeEnabled(),
      );
      expect(within(dialog).queryByRole('checkbox')).toBeNull();
    });

    it('asks for a second confirmation when the canary is failing, and applies only once it is ticked', async () => {
      const api = mockApi();
      api.runAction
        .mockResolvedValueOnce(promoteDryRun)
        .mockResolvedValueOnce({ ...promoteDryRun, dryRun: false });
      const { onApplied } = await renderDialog(api, {
        intent: promote,
        verdict: failing,
      });
      const dialog = screen.getByRole('dialog', {
        name: 'Promote v2 on reviews?',
      });
      expect(
        within(dialog).getByText('failing: 4.2 % errors vs 0.3 %'),
      ).toBeInTheDocument();
      const anyway = within(dialog).getByRole('checkbox', {
        name: 'Promote anyway: the canary is failing (4.2 % errors vs 0.3 %)',
      });
      expect(anyway).not.toBeChecked();
      // the dry run is back, and still the button waits for the tick
      expect(await within(dialog).findByText(/v2 50→100/)).toBeInTheDocument();
      const apply = within(dialog).getByRole('button', { name: 'Apply' });
      expect(apply).toBeDisabled();

      await userEvent.click(anyway);
      expect(apply).toBeEnabled();
      await userEvent.click(anyway);
      expect(apply).toBeDisabled();
      await userEvent.click(anyway);
      await userEvent.click(apply);
      await waitFor(() => expect(onApplied).toHaveBeenCalled());
      expect(api.runAction).toHaveBeenLastCalledWith(entityRef, promote);
    });

    it('leaves every other action’s confirmation as it was', async () => {
      const api = mockApi();
      api.runAction.mockResolvedValue(setWeightsDryRun);
      await renderDialog(api, { intent, verdict: failing });
      await waitFor(() =>
        expect(screen.getByRole('button', { name: 'Apply' })).toBeEnabled(),
      );
      expect(screen.queryByRole('checkbox')).toBeNull();
      expect(screen.queryByText(/Canary health/)).toBeNull();
    });
  });
});
