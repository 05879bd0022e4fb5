import { Rollout } from '@internal/plugin-istio-rollouts-common';
import { renderInTestApp } from '@backstage/test-utils';
import { fireEvent, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { reviewsResponse } from '../../__fixtures__/rollouts';
import { WeightEditor } from './WeightEditor';

const reviews = reviewsResponse.rollouts[0];

/** reviews as read again after someone else changed it. */
function changed(
  resourceVersion: string,
  weights: [string, number][],
): Rollout {
  return {
    ...reviews,
    resourceVersion,
    routes: [
      {
        ...reviews.routes[0],
        offers: {
          ...reviews.routes[0].offers,
          setWeights: { keys: weights.map(([subset]) => subset) },
        },
        destinations: weights.map(([subset, weight]) => ({
          host: 'reviews',
          subset,
          port: 9080,
          weight,
        })),
      },
    ],
  };
}

const field = (key: string) =>
  screen.getByRole('spinbutton', { name: `Weight of ${key} in percent` });
const review = () => screen.getByRole('button', { name: 'Review change' });
const rebase = () =>
  screen.queryByRole('button', { name: 'Apply my weights on the new version' });

/** The rows of the comparison table: destination, when you started, yours, now. */
function comparison(): string[][] {
  const table = screen.getByRole('table', {
    name: 'Weights when you started, yours and now',
  });
  return within(table)
    .getAllByRole('row')
    .map(row =>
      Array.from(row.querySelectorAll('th, td')).map(
        cell => cell.textContent ?? '',
      ),
    );
}

/** The editor open on reviews at 28 (v1 50 / v2 50), with v1 80 / v2 20 drafted. */
async function editing() {
  const onReview = jest.fn();
  const props = { onReview, onCancel: jest.fn() };
  const utils = await renderInTestApp(
    <WeightEditor route={reviews.routes[0]} resourceVersion="28" {...props} />,
  );
  fireEvent.change(field('v1'), { target: { value: '80' } });
  const refreshTo = (next: Rollout) =>
    utils.rerender(
      <WeightEditor
        route={next.routes[0]}
        resourceVersion={next.resourceVersion}
        {...props}
      />,
    );
  return { onReview, refreshTo };
}

describe('WeightEditor after the route changed elsewhere', () => {
  it('shows the new split beside mine and turns Review off at the old version', async () => {
    const { refreshTo } = await editing();
    expect(review()).toBeEnabled();
    refreshTo(
      changed('29', [
        ['v1', 70],
        ['v2', 30],
      ]),
    );

    expect(field('v1')).toHaveValue(80);
    expect(screen.getByRole('alert')).toHaveTextContent(
      'This route changed while you were editing',
    );
    expect(screen.getByRole('alert')).toHaveTextContent(
      'Its weights were changed elsewhere (resourceVersion 28, now 29)',
    );
    expect(comparison()).toEqual([
      ['Destination', 'When you started', 'Yours', 'Now'],
      ['v1', '50%', '80%', '70%'],
      ['v2', '50%', '20%', '30%'],
    ]);
    expect(review()).toBeDisabled();
    expect(review()).toHaveAccessibleDescription(
      /can’t be reviewed against the old version/,
    );
  });

  it('applies my weights on the new version, then reviews them there', async () => {
    const { onReview, refreshTo } = await editing();
    refreshTo(
      changed('29', [
        ['v1', 70],
        ['v2', 30],
      ]),
    );
    await userEvent.click(rebase()!);

    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    expect(field('v1')).toHaveValue(80);
    expect(field('v2')).toHaveValue(20);
    expect(screen.getByRole('status')).toHaveTextContent(
      'Your weights now apply to resourceVersion 29. Review the change for a new dry run',
    );
    expect(review()).toBeEnabled();
    expect(review()).toHaveFocus();
    await userEvent.click(review());
    // the dry run goes to the version the user adopted — never the old one
    expect(onReview).toHaveBeenCalledWith({ v1: 80, v2: 20 }, '29');
  });

  it('asks again when the route moves once more after a rebase', async () => {
    const { onReview, refreshTo } = await editing();
    refreshTo(
      changed('29', [
        ['v1', 70],
        ['v2', 30],
      ]),
    );
    await userEvent.click(rebase()!);
    refreshTo(
      changed('30', [
        ['v1', 60],
        ['v2', 40],
      ]),
    );

    expect(review()).toBeDisabled();
    expect(comparison()[1]).toEqual(['v1', '70%', '80%', '60%']);
    await userEvent.click(rebase()!);
    await userEvent.click(review());
    expect(onReview).toHaveBeenLastCalledWith({ v1: 80, v2: 20 }, '30');
  });

  it('says when only something else in the VirtualService changed', async () => {
    const { refreshTo } = await editing();
    refreshTo(
      changed('29', [
        ['v1', 50],
        ['v2', 50],
      ]),
    );
    expect(screen.getByRole('alert')).toHaveTextContent(
      'Its weights are as you found them, but something else in the VirtualService changed',
    );
    expect(review()).toBeDisabled();
  });

  it('says there is nothing to change when the route already has my weights', async () => {
    const { refreshTo } = await editing();
    refreshTo(
      changed('29', [
        ['v1', 80],
        ['v2', 20],
      ]),
    );
    await userEvent.click(rebase()!);
    expect(screen.getByRole('status')).toHaveTextContent(
      'The route already has your weights at resourceVersion 29',
    );
    expect(screen.getByRole('status')).toHaveFocus();
    expect(review()).toBeDisabled();
  });

  it('starts from the new split, when asked, at the new version', async () => {
    const { onReview, refreshTo } = await editing();
    refreshTo(
      changed('29', [
        ['v1', 70],
        ['v2', 30],
      ]),
    );
    await userEvent.click(
      screen.getByRole('button', { name: 'Start from the new split' }),
    );
    expect(field('v1')).toHaveValue(70);
    expect(screen.getByRole('status')).toHaveTextContent(
      'The editor starts from the new split at resourceVersion 29.',
    );
    fireEvent.change(field('v1'), { target: { value: '60' } });
    await userEvent.click(review());
    expect(onReview).toHaveBeenCalledWith({ v1: 60, v2: 40 }, '29');
  });

  it('won’t carry my weights onto a route whose destinations changed: it says so and starts from the new split', async () => {
    const { onReview, refreshTo } = await editing();
    refreshTo(
      changed('29', [
        ['v1', 70],
        ['v2', 20],
        ['v3', 10],
      ]),
    );
    expect(rebase()).toBeNull();
    expect(screen.getByRole('alert')).toHaveTextContent(
      'The route’s destinations changed: v3 was added.',
    );
    expect(comparison()).toContainEqual(['v3', '—', '—', '10%']);
    // mine is still shown, under the old route's names, until the user moves on
    expect(field('v1')).toHaveValue(80);
    expect(review()).toBeDisabled();

    await userEvent.click(
      screen.getByRole('button', { name: 'Start from the new split' }),
    );
    expect(field('v1')).toHaveValue(70);
    expect(field('v3')).toHaveValue(10);
    fireEvent.change(field('v3'), { target: { value: '0' } });
    await userEvent.click(review());
    expect(onReview).toHaveBeenCalledWith(
      expect.objectContaining({ v3: 0 }),
      '29',
    );
  });
});
