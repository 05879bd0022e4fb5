import { PlansResponse } from '@internal/plugin-istio-rollouts-common';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  reviewsPlans,
  reviewsWithPlans,
  runningPlan,
} from '../../__fixtures__/plans';
import {
  MockApi,
  mockApi,
  renderWithApi,
  responseError,
} from '../../__testUtils__/renderWithApi';
import { PlansContextValue, PlansProvider } from '../PlanPanel';
import { StartPlanButton } from './StartPlanButton';

const entityRef = { kind: 'Component', namespace: 'default', name: 'reviews' };
const [east, west] = reviewsWithPlans.rollouts;

/** What the dialog sends for demo-west's route, whatever the plan. */
const target = {
  rolloutId: 'demo-west/bookinfo/reviews',
  resourceVersion: '14',
  route: { kind: 'http', index: 0, name: 'reviews-route' },
  stableSubset: 'v1',
  canarySubset: 'v2',
};

async function renderButton(
  api: MockApi = mockApi(),
  value: PlansResponse = reviewsPlans,
  rollout = west,
) {
  const context: PlansContextValue = {
    entityRef,
    plans: {
      value,
      loading: false,
      refresh: jest.fn(),
      replaceRecord: jest.fn(),
    },
    onChanged: jest.fn(),
    onConflict: jest.fn(),
  };
  const utils = await renderWithApi(
    <PlansProvider value={context}>
      <StartPlanButton rollout={rollout} route={rollout.routes[0]} />
    </PlansProvider>,
    { api },
  );
  return { ...utils, api, context };
}

async function openDialog() {
  await userEvent.click(
    screen.getByRole('button', {
      name: 'Start plan on reviews-route in demo-west (v1 → v2)',
    }),
  );
  return screen.getByRole('dialog', {
    name: 'Start a step plan on reviews-route?',
  });
}

async function chooseCustom(dialog: HTMLElement) {
  await userEvent.click(within(dialog).getByRole('button', { name: /^Plan/ }));
  await userEvent.click(screen.getByRole('option', { name: /^Custom/ }));
}

describe('StartPlanButton', () => {
  it('is offered where the server offers a plan and the caller may start one', async () => {
    const { unmount } = await renderButton();
    expect(screen.getByRole('button', { name: /^Start plan/ })).toBeEnabled();
    unmount();

    await renderButton(mockApi(), { ...reviewsPlans, canStart: false });
    expect(screen.queryByRole('button', { name: /^Start plan/ })).toBeNull();
  });

  it("says why a plan ending at 100 % is not the caller's to start when they may not promote", async () => {
    await renderButton(mockApi(), { ...reviewsPlans, canPromote: false });
    const dialog = await openDialog();
    // The first template ends at 100 %.
    expect(
      within(dialog).getByText(/^This plan ends with v2 at 100 %: a promotion/),
    ).toHaveTextContent('istio-rollouts.traffic.promote');
  });

  it('is not offered on a route without an offer', async () => {
    await renderButton(mockApi(), reviewsPlans, east);
    expect(screen.queryByRole('button', { name: /^Start plan/ })).toBeNull();
  });

  it('prefills the offer, reviews the template as a dry run, then starts it with the same request', async () => {
    const api = mockApi();
    api.startPlan
      .mockResolvedValueOnce({
        dryRun: true,
        summary:
          'Plan "10-25-50-100" on reviews-route: v1 → v2 in 8 steps; ends with v2 at 100 % (a promotion)',
        plan: { ...runningPlan.plan, rolloutId: target.rolloutId },
        warning: 'Argo CD tracks this VirtualService and may revert the plan',
      })
      .mockResolvedValueOnce({
        dryRun: false,
        summary: 'Started plan #13',
        plan: runningPlan.plan,
        record: { ...runningPlan, id: '13' },
      });
    const { context, alertApi } = await renderButton(api);
    const dialog = await openDialog();

    expect(within(dialog).getByLabelText('Target')).toHaveTextContent(
      'Clusterdemo-westVirtualServicebookinfo/reviewsRoutehttp[0] reviews-routeStablev1Canaryv2',
    );
    expect(
      within(dialog).getByRole('button', { name: /^Plan/ }),
    ).toHaveTextContent('10-25-50-100');
    expect(dialog).toHaveTextContent(
      'Steps: 10 % → pause 5 min → 25 % → analysis ×3 → 50 % → analysis ×3 → wait for a person → 100 %',
    );
    await userEvent.type(
      within(dialog).getByLabelText('Reason (optional)'),
      'release 2.1',
    );

    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Review' }),
    );
    const reviewed = {
      ...target,
      template: '10-25-50-100',
      reason: 'release 2.1',
    };
    expect(api.startPlan).toHaveBeenCalledWith(entityRef, {
      ...reviewed,
      dryRun: true,
    });
    expect(
      await within(dialog).findByText(/^Plan "10-25-50-100" on reviews-route/),
    ).toBeInTheDocument();
    expect(dialog).toHaveTextContent(
      'Argo CD tracks this VirtualService and may revert the plan',
    );
    expect(dialog).toHaveTextContent(
      'analysis ×3: success rate at least 99.0 %, p99 at most 500 ms',
    );

    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Start plan' }),
    );
    expect(api.startPlan).toHaveBeenCalledTimes(2);
    expect(api.startPlan).toHaveBeenLastCalledWith(entityRef, reviewed);
    expect(context.plans.replaceRecord).toHaveBeenCalledWith(
      expect.objectContaining({ id: '13' }),
    );
    expect(context.onChanged).toHaveBeenCalled();
    expect(alertApi.post).toHaveBeenCalledWith(
      expect.objectContaining({ message: 'Started: Started plan #13' }),
    );
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('names a custom step’s field error under its row, without asking the server', async () => {
    const api = mockApi();
    await renderButton(api);
    const dialog = await openDialog();
    await chooseCustom(dialog);

    const third = within(dialog).getByRole('group', { name: 'Step 3' });
    const weight = within(third).getByLabelText('v2 weight (%)');
    await userEvent.clear(weight);
    await userEvent.type(weight, '150');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Review' }),
    );

    expect(within(third).getByRole('alert')).toHaveTextContent(
      'steps[2].setWeight: must be an integer from 0 to 100, got 150',
    );
    expect(weight).toHaveAttribute('aria-invalid', 'true');
    expect(api.startPlan).not.toHaveBeenCalled();
  });

  it('sends custom steps with what a failed analysis does, and shows the server’s 400 as it is', async () => {
    const api = mockApi();
    api.startPlan.mockRejectedValue(
      await responseError(
        400,
        'InputError',
        'steps[1].analysis.windowSeconds: must be an integer from 10 to 3600, got 5',
      ),
    );
    await renderButton(api);
    const dialog = await openDialog();
    await chooseCustom(dialog);

    // The second row becomes an analysis, its fields left to the server's defaults but one.
    const second = within(dialog).getByRole('group', { name: 'Step 2' });
    await userEvent.click(
      within(second).getByRole('button', { name: /^Type/ }),
    );
    await userEvent.click(screen.getByRole('option', { name: 'Analysis' }));
    const count = within(second).getByLabelText('Healthy results to pass');
    expect(count).toHaveAttribute('placeholder', 'default 3');
    await userEvent.type(count, '5');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Move step 2 up' }),
    );
    await userEvent.click(
      within(dialog).getByRole('radio', { name: 'Pause for a person' }),
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Review' }),
    );

    expect(api.startPlan).toHaveBeenCalledWith(entityRef, {
      ...target,
      steps: [
        { analysis: { count: 5 } },
        { setWeight: 10 },
        { setWeight: 100 },
      ],
      onFailure: 'pause',
      dryRun: true,
    });
    expect(
      await within(dialog).findByText(
        'steps[1].analysis.windowSeconds: must be an integer from 10 to 3600, got 5',
      ),
    ).toBeInTheDocument();
    expect(
      within(dialog).queryByRole('button', { name: 'Start plan' }),
    ).toBeNull();
  });

  it('adds and removes steps', async () => {
    await renderButton();
    const dialog = await openDialog();
    await chooseCustom(dialog);
    const steps = within(dialog).getByRole('list', { name: 'Steps' });
    expect(within(steps).getAllByRole('group')).toHaveLength(3);
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Add step' }),
    );
    expect(within(steps).getAllByRole('group')).toHaveLength(4);
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Remove step 1' }),
    );
    const rows = within(steps).getAllByRole('group');
    expect(rows).toHaveLength(3);
    expect(within(rows[0]).getByLabelText('Pause (s)')).toHaveValue(300);
  });
});
