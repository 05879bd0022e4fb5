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
      resourceVersion={rollout.resourceVersion}
      onReview={onReview}
      onCancel={onCancel}
    />,
  );
  /** The page read the rollout again: the editor gets its new route and version. */
  const refreshTo = (next: Rollout) =>
    utils.rerender(
      <WeightEditor
        route={next.routes[0]}
        resourceVersion={next.resourceVersion}
        onReview={onReview}
        onCancel={onCancel}
      />,
    );
  return { ...utils, onReview, onCancel, refreshTo };
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
    expect(onReview).toHaveBeenCalledWith({ v1: 80, v2: 20 }, '28');
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
    expect(onReview).toHaveBeenCalledWith({ v1: 90, v2: 10 }, '28');
  });

  it('keeps a locked destination while the unlocked others rebalance', async () => {
    await renderEditor(threeWay);
    await userEvent.click(
      screen.getByRole('button', { name: 'Lock weight of v2' }),
    );
    expect(
      screen.getByRole('button', { name: 'Lock weight of v2' }),
    ).toHaveAttribute('aria-pressed', 'true');
    fireEvent.change(field('v1'), { target: { value: '40' } });
    expect(field('v2')).toHaveValue(30);
    expect(field('v3')).toHaveValue(30);
    // the locked one can't be pushed past what it leaves: said, not clamped
    fireEvent.change(field('v1'), { target: { value: '95' } });
    expect(field('v1')).toHaveValue(95);
    expect(field('v1')).toHaveAttribute('aria-invalid', 'true');
    expect(
      screen.getByText('v1: At most 70 here while v2 is locked at 30%'),
    ).toBeInTheDocument();
    expect(field('v3')).toHaveValue(30);
    expect(
      screen.getByRole('button', { name: 'Review change' }),
    ).toBeDisabled();
  });

  it.each([
    ['-5', 'A weight cannot be negative'],
    ['150', 'A weight is at most 100'],
    ['12.5', 'Weights are whole percent: Istio takes no fractions'],
    ['', 'Enter a whole number from 0 to 100'],
  ])('refuses %j with a message and changes nothing', async (text, message) => {
    await renderEditor();
    fireEvent.change(field('v1'), { target: { value: '70' } });
    fireEvent.change(field('v1'), { target: { value: text } });
    expect(screen.getByRole('alert')).toHaveTextContent(`v1: ${message}`);
    expect(field('v1')).toHaveAccessibleDescription(`v1: ${message}`);
    expect(field('v2')).toHaveValue(30);
    expect(
      screen.getByRole('button', { name: 'Review change' }),
    ).toBeDisabled();
  });

  it('shows what was typed without leading zeros', async () => {
    const { onReview } = await renderEditor();
    fireEvent.change(field('v1'), { target: { value: '' } });
    fireEvent.change(field('v1'), { target: { value: '095' } });
    expect(field('v1')).toHaveValue(95);
    expect((field('v1') as HTMLInputElement).value).toBe('95');
    expect(field('v2')).toHaveValue(5);
    await userEvent.click(
      screen.getByRole('button', { name: 'Review change' }),
    );
    expect(onReview).toHaveBeenCalledWith({ v1: 95, v2: 5 }, '28');
  });

  it('moves the rest onto the destination that takes traffic, not back onto retired ones', async () => {
    const promoted: Rollout = {
      ...reviews,
      routes: [
        {
          ...reviews.routes[0],
          offers: { setWeights: { keys: ['v1', 'v2', 'v3'] } },
          destinations: [
            { host: 'reviews', subset: 'v1', port: 9080, weight: 100 },
            { host: 'reviews', subset: 'v2', port: 9080, weight: 0 },
            { host: 'reviews', subset: 'v3', port: 9080, weight: 0 },
          ],
        },
      ],
    };
    await renderEditor(promoted);
    fireEvent.change(field('v1'), { target: { value: '60' } });
    expect(field('v2')).toHaveValue(40);
    expect(field('v3')).toHaveValue(0);
  });

  it('offers quick steps for the candidate of a three-way split', async () => {
    const { onReview } = await renderEditor(threeWay);
    await userEvent.click(
      screen.getByRole('button', { name: 'Send 50% to v2' }),
    );
    // v2 takes 50; v1 and v3 share the rest as they shared theirs (60:10).
    expect(field('v2')).toHaveValue(50);
    expect(field('v1')).toHaveValue(43);
    expect(field('v3')).toHaveValue(7);
    await userEvent.click(
      screen.getByRole('button', { name: 'Review change' }),
    );
    expect(onReview).toHaveBeenCalledWith({ v1: 43, v2: 50, v3: 7 }, '28');
  });

  it('rebalances from where the user started, so moving back restores the split', async () => {
    await renderEditor(threeWay);
    fireEvent.change(field('v1'), { target: { value: '100' } });
    expect(field('v2')).toHaveValue(0);
    fireEvent.change(field('v1'), { target: { value: '60' } });
    expect(field('v2')).toHaveValue(30);
    expect(field('v3')).toHaveValue(10);
  });
});
