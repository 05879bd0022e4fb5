import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { reviewsResponse } from '../../__fixtures__/rollouts';
import {
  component,
  mockApi,
  renderWithApi,
  responseError,
} from '../../__testUtils__/renderWithApi';
import { RolloutsView } from './RolloutsView';

describe('RolloutsView', () => {
  it('shows the backend’s error when the first read fails', async () => {
    const api = mockApi();
    api.getRollouts.mockRejectedValue(
      await responseError(
        403,
        'NotAllowedError',
        'istio-rollouts.traffic.read is not allowed',
      ),
    );
    await renderWithApi(
      <RolloutsView entity={component('reviews')} pollIntervalMs={null} />,
      { api },
    );
    expect(
      await screen.findByText(/Request failed with 403/),
    ).toBeInTheDocument();
  });

  it('keeps the page when a refresh fails, and says so', async () => {
    const api = mockApi();
    api.getRollouts.mockResolvedValueOnce(reviewsResponse);
    await renderWithApi(
      <RolloutsView entity={component('reviews')} pollIntervalMs={null} />,
      { api },
    );
    expect(
      await screen.findByRole('heading', { name: 'demo-east' }),
    ).toBeInTheDocument();

    api.getRollouts.mockRejectedValueOnce(new Error('Failed to fetch'));
    await userEvent.click(screen.getByRole('button', { name: 'Refresh now' }));
    expect(
      await screen.findByText(/Could not refresh: Failed to fetch/),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('heading', { name: 'demo-east' }),
    ).toBeInTheDocument();

    api.getRollouts.mockResolvedValueOnce(reviewsResponse);
    await userEvent.click(screen.getByRole('button', { name: 'Refresh now' }));
    await waitFor(() =>
      expect(screen.queryByText(/Could not refresh/)).toBeNull(),
    );
  });

  it('colours a subset the same in every cluster', async () => {
    const api = mockApi();
    api.getRollouts.mockResolvedValue(reviewsResponse);
    await renderWithApi(
      <RolloutsView entity={component('reviews')} pollIntervalMs={null} />,
      { api },
    );
    await screen.findByRole('heading', { name: 'demo-east' });
    const colours = screen
      .getAllByTitle(/^v2: /)
      .map(el => (el as HTMLElement).style.backgroundColor);
    expect(colours).toHaveLength(2);
    expect(new Set(colours).size).toBe(1);
  });
});
