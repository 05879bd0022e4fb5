import { Rollout } from '@internal/plugin-istio-rollouts-common';
import { renderInTestApp } from '@backstage/test-utils';
import { act, fireEvent, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { reviewsResponse } from '../../__fixtures__/rollouts';
import { WeightEditor } from './WeightEditor';

const reviews = reviewsResponse.rollouts[0];

const threeWay: Rollout = {
  ...reviews,
  routes: [
    {
      ...reviews.routes[0],
      destinations: [
        { host: 'reviews', subset: 'v1', port: 9080, weight: 60 },
        { host: 'reviews', subset: 'v2', port: 9080, weight: 30 },
        { host: 'reviews', subset: 'v3', port: 9080, weight: 10 },
      ],
    },
  ],
};

const field = (key: string) =>
  screen.getByRole('spinbutton', { name: `Weight of ${key} in percent` });

async function renderEditor(rollout: Rollout = reviews) {
  const onReview = jest.fn();
  const onCancel = jest.fn();
  const utils = await renderInTestApp(
    <WeightEditor
      route={rollout.routes[0]}
      onReview={onReview}
      onCancel={onCancel}
    />,
  );
  return { ...utils, onReview, onCancel };
}

describe('WeightEditor', () => {
  it('has a named slider and number field per destination', async () => {
    await renderEditor();
    expect(
      screen.getByRole('slider', { name: 'Weight of v1' }),
    ).toHaveAttribute('aria-valuenow', '50');
    expect(
      screen.getByRole('slider', { name: 'Weight of v2' }),
    ).toBeInTheDocument();
    expect(field('v1')).toHaveValue(50);
    expect(field('v2')).toHaveValue(50);
    expect(
      screen.getByRole('button', { name: 'Review change' }),
    ).toBeDisabled();
  });

  it('rebalances the other destination when one is typed in', async () => {
    const { onReview } = await renderEditor();
    fireEvent.change(field('v1'), { target: { value: '80' } });
    expect(field('v2')).toHaveValue(20);
    expect(screen.getByText('Total 100%')).toBeInTheDocument();
    await userEvent.click(
      screen.getByRole('button', { name: 'Review change' }),
    );
    expect(onReview).toHaveBeenCalledWith({ v1: 80, v2: 20 });
  });

  it('moves by keyboard on the slider', async () => {
    await renderEditor();
    act(() => screen.getByRole('slider', { name: 'Weight of v2' }).focus());
    await userEvent.keyboard('{ArrowRight}{ArrowRight}');
    expect(field('v2')).toHaveValue(52);
    expect(field('v1')).toHaveValue(48);
  });

  it('offers quick steps for the candidate of a two-way split', async () => {
    const { onReview } = await renderEditor();
    await userEvent.click(
      screen.getByRole('button', { name: 'Send 10% to v2' }),
    );
    expect(field('v1')).toHaveValue(90);
    expect(field('v2')).toHaveValue(10);
    expect(
      screen.getByRole('button', { name: 'Send 10% to v2' }),
    ).toHaveAttribute('aria-pressed', 'true');
    for (const step of [1, 5, 25, 50, 75, 100]) {
      expect(
        screen.getByRole('button', { name: `Send ${step}% to v2` }),
      ).toBeInTheDocument();
    }
    await userEvent.click(
      screen.getByRole('button', { name: 'Review change' }),
    );
    expect(onReview).toHaveBeenCalledWith({ v1: 90, v2: 10 });
  });

  it('keeps a locked destination while the unlocked others rebalance', async () => {
    await renderEditor(threeWay);
    expect(
      screen.queryByRole('group', { name: /Quick steps/ }),
    ).not.toBeInTheDocument();
    await userEvent.click(
      screen.getByRole('button', { name: 'Lock weight of v2' }),
    );
    expect(
      screen.getByRole('button', { name: 'Lock weight of v2' }),
    ).toHaveAttribute('aria-pressed', 'true');
    fireEvent.change(field('v1'), { target: { value: '40' } });
    expect(field('v2')).toHaveValue(30);
    expect(field('v3')).toHaveValue(30);
    // the locked one can't be pushed past what it leaves
    fireEvent.change(field('v1'), { target: { value: '95' } });
    expect(field('v1')).toHaveValue(70);
    expect(field('v3')).toHaveValue(0);
  });

  it('rebalances from where the user started, so moving back restores the split', async () => {
    await renderEditor(threeWay);
    fireEvent.change(field('v1'), { target: { value: '100' } });
    expect(field('v2')).toHaveValue(0);
    fireEvent.change(field('v1'), { target: { value: '60' } });
    expect(field('v2')).toHaveValue(30);
    expect(field('v3')).toHaveValue(10);
  });

  it('keeps the edit when the route changes elsewhere, and says so', async () => {
    const { rerender } = await renderEditor();
    fireEvent.change(field('v1'), { target: { value: '70' } });
    const changed: Rollout = {
      ...reviews,
      resourceVersion: '29',
      routes: [
        {
          ...reviews.routes[0],
          destinations: [
            { host: 'reviews', subset: 'v1', port: 9080, weight: 90 },
            { host: 'reviews', subset: 'v2', port: 9080, weight: 10 },
          ],
        },
      ],
    };
    rerender(
      <WeightEditor
        route={changed.routes[0]}
        onReview={jest.fn()}
        onCancel={jest.fn()}
      />,
    );
    expect(field('v1')).toHaveValue(70);
    expect(
      screen.getByText(/changed elsewhere since you started editing/),
    ).toHaveTextContent('it is now v1 90% / v2 10%');
    await userEvent.click(screen.getByRole('button', { name: 'Start over' }));
    expect(field('v1')).toHaveValue(90);
  });
});
