import {
  PlansResponse,
  StepPlanCommandName,
} from '@internal/plugin-istio-rollouts-common';
import { act, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  NOW,
  pausedPlan,
  reviewsPlans,
  reviewsWithPlans,
  rolledBackPlan,
  runningPlan,
} from '../../__fixtures__/plans';
import {
  MockApi,
  mockApi,
  renderWithApi,
  responseError,
} from '../../__testUtils__/renderWithApi';
import { PlansContextValue, PlansProvider } from './PlansContext';
import { RoutePlan } from './RoutePlan';

const entityRef = { kind: 'Component', namespace: 'default', name: 'reviews' };
const [east] = reviewsWithPlans.rollouts;
const route = east.routes[0];

function contextOf(value: PlansResponse): PlansContextValue {
  return {
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
}

async function renderPlan(
  value: PlansResponse = reviewsPlans,
  api: MockApi = mockApi(),
  rollout = east,
) {
  const context = contextOf(value);
  const utils = await renderWithApi(
    <PlansProvider value={context}>
      <RoutePlan rollout={rollout} route={rollout.routes[0]} />
    </PlansProvider>,
    { api },
  );
  return { ...utils, api, context };
}

const withPlan = (record: typeof runningPlan) => ({
  ...reviewsPlans,
  plans: [record],
});

describe('the plan of a route', () => {
  it('shows the server’s label, and every step in words, the done ones and the current one marked', async () => {
    await renderPlan();
    const panel = screen.getByRole('region', { name: 'Step plan #12' });
    expect(within(panel).getByRole('status')).toHaveTextContent(
      'step 6/8 · 50 %',
    );
    const stepper = within(panel).getByRole('list', {
      name: 'Steps of plan #12',
    });
    const items = within(stepper)
      .getAllByRole('listitem')
      .filter(li => li.parentElement === stepper);
    expect(
      items.map(li => li.querySelector('.MuiStepLabel-label')?.textContent),
    ).toEqual([
      '10 %, done',
      'pause 5 min, done',
      '25 %, done',
      'analysis ×3, done',
      '50 %, done',
      'analysis ×3, current step',
      'wait for a person',
      '100 %',
    ]);
    expect(items[5]).toHaveAttribute('aria-current', 'step');
    expect(items.filter(li => li.hasAttribute('aria-current'))).toHaveLength(1);
  });

  it('shows the results of each analysis under its step', async () => {
    await renderPlan();
    const first = screen.getByRole('list', {
      name: 'Analysis results of step 4',
    });
    expect(
      within(first)
        .getAllByRole('listitem')
        .map(li => li.textContent),
    ).toEqual(['healthy', 'healthy', 'healthy']);
    const current = screen.getByRole('list', {
      name: 'Analysis results of step 6',
    });
    const results = within(current).getAllByRole('listitem');
    expect(results.map(li => li.getAttribute('data-status'))).toEqual([
      'healthy',
      'inconclusive',
    ]);
    expect(results[1]).toHaveTextContent(
      'inconclusive: not enough traffic: 12 canary requests, fewer than 50',
    );
  });

  it.each([
    [
      runningPlan,
      [
        'Next step of plan #12 on reviews-route',
        'Skip to end of plan #12 on reviews-route',
        'Pause plan #12 on reviews-route',
        'Abort plan #12 on reviews-route',
      ],
    ],
    [
      { ...pausedPlan, commands: ['abort', 'resume'] },
      ['Resume plan #12 on reviews-route', 'Abort plan #12 on reviews-route'],
    ],
    [{ ...runningPlan, commands: [] }, []],
  ] as const)(
    'offers only the commands the server lists, each named with the plan and the route',
    async (record, names) => {
      await renderPlan(withPlan(record as typeof runningPlan));
      expect(
        screen
          .queryAllByRole('button', { name: /plan #12 on/ })
          .map(b => b.getAttribute('aria-label')),
      ).toEqual(names);
    },
  );

  it.each<[StepPlanCommandName, typeof runningPlan, object]>([
    ['next', runningPlan, { command: 'next' }],
    ['skipToEnd', runningPlan, { command: 'skipToEnd' }],
    ['pause', runningPlan, { command: 'pause' }],
    ['resume', pausedPlan, { command: 'resume', resourceVersion: '28' }],
    ['abort', runningPlan, { command: 'abort', resourceVersion: '28' }],
  ])(
    'sends %s once confirmed, with the rollout’s resourceVersion where it takes the route',
    async (command, record, body) => {
      const api = mockApi();
      const answer = { summary: `plan #12: ${command}`, record };
      api.commandPlan.mockResolvedValue(answer);
      const { context, alertApi } = await renderPlan(withPlan(record), api);
      const names: Record<StepPlanCommandName, RegExp> = {
        next: /^Next step of plan #12/,
        skipToEnd: /^Skip to end of plan #12/,
        pause: /^Pause plan #12/,
        resume: /^Resume plan #12/,
        abort: /^Abort plan #12/,
      };
      await userEvent.click(
        screen.getByRole('button', { name: names[command] }),
      );
      const dialog = screen.getByRole('dialog');
      expect(api.commandPlan).not.toHaveBeenCalled();
      await userEvent.click(within(dialog).getAllByRole('button').slice(-1)[0]);
      expect(api.commandPlan).toHaveBeenCalledWith(entityRef, '12', body);
      expect(context.plans.replaceRecord).toHaveBeenCalledWith(record);
      expect(context.onChanged).toHaveBeenCalled();
      expect(alertApi.post).toHaveBeenCalledWith(
        expect.objectContaining({ message: `plan #12: ${command}` }),
      );
    },
  );

  it('says what Skip to end and Abort will do before they are sent, with the reason given', async () => {
    const api = mockApi();
    api.commandPlan.mockResolvedValue({ summary: 's', record: runningPlan });
    await renderPlan(reviewsPlans, api);
    await userEvent.click(
      screen.getByRole('button', { name: /^Skip to end of plan #12/ }),
    );
    expect(
      screen.getByRole('dialog', {
        name: 'Skip to end: plan #12 on reviews-route?',
      }),
    ).toHaveTextContent('Sends all remaining steps at once: v2 gets 100 %');
    await userEvent.click(screen.getByRole('button', { name: 'Cancel' }));

    await userEvent.click(
      screen.getByRole('button', { name: /^Abort plan #12/ }),
    );
    const dialog = screen.getByRole('dialog', {
      name: 'Abort: plan #12 on reviews-route?',
    });
    expect(dialog).toHaveTextContent(
      'Rolls the route back to v1 (100 %) and ends the plan.',
    );
    await userEvent.type(
      within(dialog).getByLabelText('Reason (optional)'),
      'errors in v2',
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Abort plan' }),
    );
    expect(api.commandPlan).toHaveBeenCalledWith(entityRef, '12', {
      command: 'abort',
      resourceVersion: '28',
      reason: 'errors in v2',
    });
  });

  it('shows the server’s refusal as it is, and reloads on a conflict', async () => {
    const api = mockApi();
    api.commandPlan.mockRejectedValue(
      await responseError(
        409,
        'ConflictError',
        'Cannot resume: demo-east/bookinfo/reviews changed since it was loaded',
      ),
    );
    const { context } = await renderPlan(withPlan(pausedPlan), api);
    await userEvent.click(
      screen.getByRole('button', { name: /^Resume plan #12/ }),
    );
    await userEvent.click(screen.getByRole('button', { name: 'Resume plan' }));
    expect(
      await screen.findByText(
        'Cannot resume: demo-east/bookinfo/reviews changed since it was loaded',
      ),
    ).toBeInTheDocument();
    expect(context.onConflict).toHaveBeenCalled();
    expect(context.onChanged).not.toHaveBeenCalled();
    expect(screen.getByRole('dialog')).toBeInTheDocument();
  });

  it('says why a paused plan waits, once', async () => {
    await renderPlan(withPlan(pausedPlan));
    expect(screen.getByRole('note')).toHaveTextContent(
      'Paused: waiting for a person to resume (step 7)',
    );
    expect(screen.queryByText(/^Next:/)).toBeNull();
  });

  it('lists the plan’s own history on demand, newest first', async () => {
    await renderPlan();
    const toggle = screen.getByRole('button', { name: 'Plan history (3)' });
    expect(toggle).toHaveAttribute('aria-expanded', 'false');
    await userEvent.click(toggle);
    expect(toggle).toHaveAttribute('aria-expanded', 'true');
    const history = screen.getByRole('list', {
      name: 'History of plan #12, newest first',
    });
    const items = within(history).getAllByRole('listitem');
    expect(items[0]).toHaveTextContent('step 5/8: weights v1 75→50, v2 25→50');
    expect(items[2]).toHaveTextContent('started by guest: v1 → v2 in 8 steps');
    expect(items[2]).toHaveTextContent('guest');
  });

  it('shows the route’s last plan compactly once it has ended, without commands', async () => {
    const { plan, ...idle } = route;
    await renderPlan(withPlan(rolledBackPlan), mockApi(), {
      ...east,
      routes: [idle],
    });
    const group = screen.getByRole('group', { name: 'Last step plan, #9' });
    expect(group).toHaveTextContent('plan #9 · rolled back · 0 %');
    expect(group).toHaveTextContent(
      'analysis failed at step 4: failing: 5 % errors vs 0.2 %; rolled back to v1',
    );
    expect(screen.queryByRole('button')).toBeNull();
  });
});

describe('the countdown to the plan’s next move', () => {
  beforeEach(() => jest.useFakeTimers({ now: new Date(NOW) }));
  afterEach(() => jest.useRealTimers());

  it('ticks every second, hidden from screen readers, and stops when due', async () => {
    await renderPlan();
    const countdown = screen.getByTestId('plan-countdown');
    expect(countdown.closest('p')).toHaveTextContent(
      /^Next: measurement 3 of the analysis \(step 6\) in 4:12/,
    );
    expect(countdown).toHaveAttribute('aria-hidden', 'true');
    await act(() => jest.advanceTimersByTimeAsync(1_000));
    expect(countdown).toHaveTextContent('in 4:11');
    await act(() => jest.advanceTimersByTimeAsync(251_000));
    expect(countdown).toHaveTextContent('due now');
    await act(() => jest.advanceTimersByTimeAsync(5_000));
    expect(countdown).toHaveTextContent('due now');
  });
});

describe('the steps’ layout', () => {
  const original = window.matchMedia;
  afterEach(() => {
    window.matchMedia = original;
  });

  it('goes across the card on a wide screen, with the labels under the icons', async () => {
    await renderPlan();
    const stepper = screen.getByRole('list', { name: 'Steps of plan #12' });
    expect(stepper.className).toContain('MuiStepper-horizontal');
    expect(stepper.className).toContain('MuiStepper-alternativeLabel');
  });

  it('goes down the card on a phone', async () => {
    // Every media query matches: the theme's `down('xs')` too.
    window.matchMedia = jest.fn().mockImplementation((media: string) => ({
      matches: true,
      media,
      addListener: jest.fn(),
      removeListener: jest.fn(),
      addEventListener: jest.fn(),
      removeEventListener: jest.fn(),
    }));
    await renderPlan();
    const stepper = screen.getByRole('list', { name: 'Steps of plan #12' });
    expect(stepper.className).toContain('MuiStepper-vertical');
    expect(stepper.className).not.toContain('MuiStepper-alternativeLabel');
  });
});
