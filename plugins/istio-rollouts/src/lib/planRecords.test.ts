import {
  reviewsWithPlans,
  rolledBackPlan,
  runningPlan,
} from '../__fixtures__/plans';
import { routePlans } from './planRecords';

const [east, west] = reviewsWithPlans.rollouts;
const eastRoute = east.routes[0];

describe('routePlans', () => {
  it('finds the plan the read model names on the route', () => {
    expect(routePlans([rolledBackPlan, runningPlan], east, eastRoute)).toEqual({
      active: runningPlan,
    });
  });

  it('finds a running plan on the route the read model does not name yet, by rollout and route', () => {
    const { plan, ...unnamed } = eastRoute;
    expect(routePlans([runningPlan], east, unnamed).active).toBe(runningPlan);
    expect(
      routePlans(
        [
          {
            ...runningPlan,
            plan: {
              ...runningPlan.plan,
              route: { kind: 'http', name: 'reviews-route' },
            },
          },
        ],
        east,
        unnamed,
      ).active,
    ).toBeDefined();
  });

  it('never takes another rollout’s or route’s plan', () => {
    expect(routePlans([runningPlan], west, west.routes[0])).toEqual({
      ended: undefined,
    });
    expect(
      routePlans([runningPlan], east, {
        ...eastRoute,
        plan: undefined,
        index: 1,
      }),
    ).toEqual({ ended: undefined });
  });

  it('shows the route’s most recent ended plan when none runs', () => {
    const { plan, ...idle } = eastRoute;
    const older = { ...rolledBackPlan, id: '3' };
    expect(routePlans([rolledBackPlan, older], east, idle)).toEqual({
      ended: rolledBackPlan,
    });
  });

  it('shows a plan the read model still names as ended once the plans say so', () => {
    const ended = {
      ...runningPlan,
      state: { ...runningPlan.state, status: 'completed' as const },
    };
    expect(routePlans([ended], east, eastRoute)).toEqual({ ended });
  });
});
