import { Rollout } from '@internal/plugin-istio-rollouts-common';
import { renderInTestApp } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  gorillaResponse,
  reviewsResponse,
  webServiceResponse,
} from '../../__fixtures__/rollouts';
import { offeredSwitches } from '../../lib/actions';
import { ActionButtons, SwitchButton } from './ActionButtons';

const reviews = reviewsResponse.rollouts[0];

async function renderButtons(rollout: Rollout, routeIndex = 0) {
  const onAction = jest.fn();
  const onEdit = jest.fn();
  await renderInTestApp(
    <ActionButtons
      rollout={rollout}
      route={rollout.routes[routeIndex]}
      editing={false}
      onEdit={onEdit}
      onAction={onAction}
    />,
  );
  return { onAction, onEdit };
}

describe('ActionButtons', () => {
  it('asks to promote the candidate and to roll back, at the version shown', async () => {
    const { onAction, onEdit } = await renderButtons(reviews);
    await userEvent.click(screen.getByRole('button', { name: 'Set weights' }));
    expect(onEdit).toHaveBeenCalled();
    await userEvent.click(screen.getByRole('button', { name: 'Promote v2' }));
    expect(onAction).toHaveBeenLastCalledWith({
      rolloutId: 'demo-east/bookinfo/reviews',
      resourceVersion: '28',
      route: { kind: 'http', index: 0 },
      action: 'promote',
      subset: 'v2',
    });
    await userEvent.click(
      screen.getByRole('button', { name: 'Roll back to v1' }),
    );
    expect(onAction).toHaveBeenLastCalledWith(
      expect.objectContaining({ action: 'rollback' }),
    );
  });

  it('starts a canary with the subset the user picks', async () => {
    const { onAction } = await renderButtons(reviews);
    await userEvent.click(screen.getByRole('button', { name: 'Start canary' }));
    await userEvent.click(
      screen.getByRole('menuitem', { name: 'Start v3 at 0%' }),
    );
    expect(onAction).toHaveBeenLastCalledWith(
      expect.objectContaining({ action: 'startCanary', subset: 'v3' }),
    );
  });

  it('disables what the caller may not do, saying so in words, not permission ids', async () => {
    const partly: Rollout = {
      ...reviews,
      allowedActions: ['setWeights', 'rollback', 'startCanary'],
    };
    await renderButtons(partly);
    expect(screen.getByRole('button', { name: 'Set weights' })).toBeEnabled();
    const promote = screen.getByRole('button', { name: 'Promote v2' });
    expect(promote).toBeDisabled();
    // Outside the tab's owner lookup, the words name no team.
    expect(promote).toHaveAccessibleDescription(
      'You may view this entity’s traffic but not promote. Ask its owners for access.',
    );
    await userEvent.hover(promote.parentElement!);
    const tooltip = await screen.findByRole('tooltip');
    expect(tooltip).toHaveTextContent('but not promote');
    expect(tooltip).not.toHaveTextContent('istio-rollouts.traffic');
  });

  it('names the controller that owns the VirtualService', async () => {
    await renderButtons({
      ...reviews,
      allowedActions: [],
      owner: { kind: 'Flagger', name: 'reviews', effect: 'refuses-edits' },
    });
    for (const name of [
      'Set weights',
      'Promote v2',
      'Roll back to v1',
      'Start canary',
    ]) {
      const button = screen.getByRole('button', { name });
      expect(button).toBeDisabled();
      expect(button).toHaveAccessibleDescription(
        /^Managed by Flagger \(reviews\)/,
      );
    }
  });

  it('offers no canary to start when every subset is in the route, and names the next steps by target', async () => {
    await renderButtons({
      ...webServiceResponse.rollouts[0],
      allowedActions: ['startCanary', 'setWeights', 'promote'],
    });
    expect(screen.queryByRole('button', { name: 'Start canary' })).toBeNull();
    expect(screen.getAllByRole('button').map(b => b.textContent)).toEqual([
      'Set weights',
      'Promote green',
    ]);
  });

  it('offers no weight controls on a header route with one destination', async () => {
    await renderButtons(gorillaResponse.rollouts[0], 0);
    expect(screen.queryByRole('button', { name: 'Set weights' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Start canary' })).toBeNull();
  });
});

describe('SwitchButton', () => {
  it('switches a blue/green header pair through the route the offer is on', async () => {
    const onAction = jest.fn();
    const gorilla = gorillaResponse.rollouts[0];
    await renderInTestApp(
      <SwitchButton
        rollout={gorilla}
        offered={offeredSwitches(gorilla)[0]}
        onAction={onAction}
      />,
    );
    await userEvent.click(
      screen.getByRole('button', { name: 'Switch to green' }),
    );
    expect(onAction).toHaveBeenCalledWith({
      rolloutId: 'demo-east/default/gorilla-sfx-demo',
      resourceVersion: '17',
      action: 'switch',
      route: { kind: 'http', index: 1 },
    });
  });
});
