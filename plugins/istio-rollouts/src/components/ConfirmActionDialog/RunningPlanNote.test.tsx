import { renderInTestApp } from '@backstage/test-utils';
import type { Rollout } from '@internal/plugin-istio-rollouts-common';
import { screen } from '@testing-library/react';
import { RunningPlanNote } from './RunningPlanNote';

const route = (index: number, plan?: Rollout['routes'][number]['plan']) =>
  ({
    kind: 'http',
    index,
    name: `route-${index}`,
    match: 'default',
    destinations: [],
    offers: {},
    state: { phase: 'canary', label: 'canary', description: '' },
    ...(plan && { plan }),
  } as unknown as Rollout['routes'][number]);

const rollout = (routes: Rollout['routes']) =>
  ({ name: 'reviews', routes } as unknown as Rollout);

describe('RunningPlanNote', () => {
  it('says a change pauses the plan running on any route of the VirtualService', async () => {
    await renderInTestApp(
      <RunningPlanNote
        rollout={rollout([
          route(0),
          route(1, { id: '12', status: 'running', label: 'step 2/6' }),
        ])}
      />,
    );
    expect(screen.getByRole('note')).toHaveTextContent(
      'Plan #12 is running on http[1] route-1. Applying this change pauses it: a plan stops when its VirtualService changes outside it.',
    );
  });

  it('says nothing when no plan runs (a paused one waits for a person anyway)', async () => {
    await renderInTestApp(
      <RunningPlanNote
        rollout={rollout([
          route(0, { id: '12', status: 'paused', label: 'paused' }),
        ])}
      />,
    );
    expect(screen.queryByRole('note')).toBeNull();
  });
});
