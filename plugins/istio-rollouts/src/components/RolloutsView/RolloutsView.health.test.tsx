import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  setWeightsApplied,
  setWeightsDryRun,
} from '../../__fixtures__/actions';
import {
  reviewsMetrics,
  reviewsMetricsNotConfigured,
  reviewsMetricsWestUnavailable,
} from '../../__fixtures__/metrics';
import { reviewsResponse } from '../../__fixtures__/rollouts';
import {
  component,
  mockApi,
  MockApi,
  renderWithApi,
} from '../../__testUtils__/renderWithApi';
import { RolloutsView } from './RolloutsView';

const card = (cluster: string) =>
  screen.getByRole('article', {
    name: `VirtualService bookinfo/reviews in ${cluster}`,
  });

const rowOf = (container: HTMLElement, name: string) =>
  within(container)
    .getAllByRole('row')
    .find(r => within(r).queryAllByRole('cell')[0]?.textContent === name)!;

async function renderView(api: MockApi) {
  api.getRollouts.mockResolvedValue(reviewsResponse);
  const utils = await renderWithApi(
    <RolloutsView entity={component('reviews')} pollIntervalMs={null} />,
    { api },
  );
  await screen.findByRole('heading', { name: 'demo-east' });
  return utils;
}

describe('RolloutsView’s canary health', () => {
  it('shows the routes and buttons without waiting for the metrics', async () => {
    const api = mockApi(); // the metrics never answer
    await renderView(api);
    expect(api.getRolloutMetrics).toHaveBeenCalledTimes(1);
    const east = card('demo-east');
    expect(
      within(east).getByRole('img', {
        name: 'Traffic of http[0] reviews-route: v1 50% / v2 50%',
      }),
    ).toBeInTheDocument();
    expect(
      within(east).getByRole('button', { name: 'Promote v2' }),
    ).toBeEnabled();
    expect(within(east).queryByText(/failing/)).toBeNull();
  });

  it('shows each route’s verdict, figures, chart and metric findings from the server’s answer', async () => {
    const api = mockApi();
    api.getRolloutMetrics.mockResolvedValue(reviewsMetrics);
    await renderView(api);
    const east = card('demo-east');
    expect(
      await within(east).findByLabelText(
        'Canary v2: failing: 4.2 % errors vs 0.3 %',
      ),
    ).toHaveTextContent('failing: 4.2 % errors vs 0.3 %');
    expect(rowOf(east, 'v2')).toHaveTextContent('12.195.8 %88 ms');
    expect(rowOf(east, 'v3')).toHaveTextContent('staged, no traffic———');
    expect(
      within(east).getByRole('img', {
        name: /^Requests and errors per second of http\[0\] reviews-route/,
      }),
    ).toBeInTheDocument();
    // the metrics' finding sits with the route's findings, rendered the same way
    const findings = within(east).getByRole('list', { name: 'Findings' });
    expect(findings).toHaveTextContent(
      'CANARY_ERROR_RATECanary v2 answers 4.2 % of requests with a 5xx',
    );

    const west = card('demo-west');
    expect(within(west).getByLabelText('Canary v2: healthy')).toBeVisible();
    expect(rowOf(west, 'v2')).toHaveTextContent('20%5.1100 %41 ms');
    expect(within(west).queryByRole('list', { name: 'Findings' })).toBeNull();
  });

  it('says a cluster’s metrics are unavailable on its cards, which still show their routes', async () => {
    const api = mockApi();
    api.getRolloutMetrics.mockResolvedValue(reviewsMetricsWestUnavailable);
    await renderView(api);
    const west = card('demo-west');
    expect(
      await within(west).findByText('Metrics unavailable'),
    ).toBeInTheDocument();
    expect(
      within(west).getByText(
        'Timeout: Prometheus did not answer within 5000 ms',
      ),
    ).toBeInTheDocument();
    expect(
      within(west).getByRole('img', {
        name: 'Traffic of http[0] reviews-route: v1 80% / v2 20%',
      }),
    ).toBeInTheDocument();
    expect(
      within(west).getByRole('button', { name: 'Promote v2' }),
    ).toBeEnabled();
    expect(within(west).getAllByRole('columnheader')).toHaveLength(5);
    // demo-east's figures are there all the same
    expect(
      within(card('demo-east')).getByText('failing: 4.2 % errors vs 0.3 %'),
    ).toBeInTheDocument();
    expect(
      within(card('demo-east')).queryByText('Metrics unavailable'),
    ).toBeNull();
  });

  it('names a cluster without Prometheus once, in a muted caption', async () => {
    const api = mockApi();
    api.getRolloutMetrics.mockResolvedValue(reviewsMetricsNotConfigured);
    await renderView(api);
    expect(
      await screen.findByText('No Prometheus configured for demo-east'),
    ).toBeInTheDocument();
    expect(screen.getAllByText(/^No Prometheus configured for/)).toHaveLength(
      2,
    );
    expect(screen.queryByText('Metrics unavailable')).toBeNull();
    expect(within(card('demo-east')).getAllByRole('columnheader')).toHaveLength(
      5,
    );
  });

  it('shows a failed metrics request as a note, never as the tab’s error', async () => {
    const api = mockApi();
    api.getRolloutMetrics.mockRejectedValue(
      new Error('Prometheus is unreachable'),
    );
    await renderView(api);
    expect(
      await screen.findByText('Metrics unavailable: Prometheus is unreachable'),
    ).toBeInTheDocument();
    expect(
      within(card('demo-east')).getByRole('button', { name: 'Promote v2' }),
    ).toBeEnabled();
    expect(screen.queryByText(/Could not refresh/)).toBeNull();
  });

  it('asks twice before promoting a failing canary, then reads the metrics again', async () => {
    const api = mockApi();
    api.getRolloutMetrics.mockResolvedValue(reviewsMetrics);
    api.runAction
      .mockResolvedValueOnce(setWeightsDryRun)
      .mockResolvedValueOnce(setWeightsApplied);
    await renderView(api);
    const east = card('demo-east');
    await within(east).findByText('failing: 4.2 % errors vs 0.3 %');
    const reads = api.getRolloutMetrics.mock.calls.length;

    await userEvent.click(
      within(east).getByRole('button', { name: 'Promote v2' }),
    );
    const dialog = await screen.findByRole('dialog', {
      name: 'Promote v2 on reviews?',
    });
    await within(dialog).findByText(
      'http[0] reviews-route: v1 50→80, v2 50→20',
    );
    const apply = within(dialog).getByRole('button', { name: 'Apply' });
    expect(apply).toBeDisabled();
    await userEvent.click(
      within(dialog).getByRole('checkbox', { name: /^Promote anyway/ }),
    );
    await userEvent.click(apply);
    await waitFor(() =>
      expect(api.getRolloutMetrics.mock.calls.length).toBeGreaterThan(reads),
    );
  });

  it('reads the metrics again with the rollouts on Refresh now', async () => {
    const api = mockApi();
    api.getRolloutMetrics.mockResolvedValue(reviewsMetrics);
    await renderView(api);
    await screen.findByText('failing: 4.2 % errors vs 0.3 %');
    await userEvent.click(screen.getByRole('button', { name: 'Refresh now' }));
    expect(api.getRolloutMetrics).toHaveBeenCalledTimes(2);
  });
});
