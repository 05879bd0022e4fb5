import type { CanaryVerdict } from '@internal/plugin-istio-rollouts-common';
import { renderInTestApp } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  insufficientTrafficVerdict,
  reviewsMetrics,
} from '../../__fixtures__/metrics';
import { CanaryVerdictChip } from './CanaryVerdictChip';

const failing = reviewsMetrics.rollouts[0].routes[0].verdict;
const healthy = reviewsMetrics.rollouts[1].routes[0].verdict;

describe('CanaryVerdictChip', () => {
  const cases: Array<[string, CanaryVerdict]> = [
    ['failing: 4.2 % errors vs 0.3 %', failing],
    ['healthy', healthy],
    ['not enough traffic: 12 of 50 requests', insufficientTrafficVerdict],
  ];
  it.each(cases)(
    'says the server’s verdict “%s” in words, with an icon',
    async (text, verdict) => {
      await renderInTestApp(<CanaryVerdictChip verdict={verdict} />);
      expect(screen.getByText(text)).toBeInTheDocument();
      const chip = screen.getByLabelText(`Canary v2: ${text}`);
      expect(chip).toHaveAttribute('data-status', verdict.status);
      // the colour is not the only signal: an icon goes with the words
      expect(chip.querySelector('svg')).not.toBeNull();
    },
  );

  it('is a live status on the tab, and plain text of the same words in a table', async () => {
    const { unmount } = await renderInTestApp(
      <CanaryVerdictChip verdict={failing} />,
    );
    expect(
      screen.getByRole('status', {
        name: 'Canary v2: failing: 4.2 % errors vs 0.3 %',
      }),
    ).toBeInTheDocument();
    unmount();

    await renderInTestApp(<CanaryVerdictChip verdict={failing} live={false} />);
    expect(screen.queryByRole('status')).toBeNull();
    const chip = screen.getByText('failing: 4.2 % errors vs 0.3 %')
      .parentElement!;
    expect(chip).toHaveTextContent('Canary v2: failing: 4.2 % errors vs 0.3 %');
    expect(chip.closest('[aria-label]')).toBeNull();
  });

  it('names the subsets compared and each check in its tooltip', async () => {
    await renderInTestApp(
      <CanaryVerdictChip verdict={failing} windowText="5 min" />,
    );
    await userEvent.hover(screen.getByText('failing: 4.2 % errors vs 0.3 %'));
    const tooltip = await screen.findByRole('tooltip');
    expect(tooltip).toHaveTextContent(
      'Canary v2 compared with v1 over the last 5 min',
    );
    expect(tooltip).toHaveTextContent(
      'success rate 95.8 % (v1 99.7 %, at least 99 %): failed',
    );
    expect(tooltip).toHaveTextContent(
      'p99 88 ms (v1 42 ms, at most 500 ms): passed',
    );
  });
});
