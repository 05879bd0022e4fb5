import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { historyPages, setWeightsEvent } from '../../__fixtures__/actions';
import {
  mockApi,
  renderWithApi,
  responseError,
} from '../../__testUtils__/renderWithApi';
import { HistoryList } from './HistoryList';

const entityRef = { kind: 'Component', namespace: 'default', name: 'reviews' };

describe('HistoryList', () => {
  it('shows who did what and when, before → after and why, page by page', async () => {
    const api = mockApi();
    api.getHistory
      .mockResolvedValueOnce(historyPages[0])
      .mockResolvedValueOnce(historyPages[1]);
    await renderWithApi(<HistoryList entityRef={entityRef} pageSize={1} />, {
      api,
    });
    const table = await screen.findByRole('table', { name: 'History' });
    const [, first] = within(table).getAllByRole('row');
    expect(first).toHaveTextContent('3 minutes ago');
    expect(first).toHaveTextContent('guest');
    expect(first).toHaveTextContent('Set weights');
    expect(first).toHaveTextContent(
      'demo-east · bookinfo/reviews · http[0] reviews-route',
    );
    expect(first).toHaveTextContent('v1 50% / v2 50% → v1 80% / v2 20%');
    expect(first).toHaveTextContent('more canary traffic after a clean hour');

    await userEvent.hover(within(first).getByText('3 minutes ago'));
    expect(await screen.findByRole('tooltip')).toHaveTextContent(/\d{4}/);

    await userEvent.click(
      screen.getByRole('button', { name: 'Show older changes' }),
    );
    expect(await within(table).findByText('jane.doe')).toBeInTheDocument();
    expect(within(table).getByText('2 days ago')).toBeInTheDocument();
    expect(api.getHistory).toHaveBeenLastCalledWith(entityRef, {
      limit: 1,
      cursor: '7',
    });
    expect(
      screen.queryByRole('button', { name: 'Show older changes' }),
    ).toBeNull();
  });

  it('marks a change that is not known to be applied with its status, and an applied one with none', async () => {
    const api = mockApi();
    const statuses = [
      'pending',
      'refused',
      'failed',
      'unknown',
      'applied',
    ] as const;
    api.getHistory.mockResolvedValueOnce({
      events: statuses.map((status, i) => ({
        ...setWeightsEvent,
        id: String(10 - i),
        status,
      })),
    });
    await renderWithApi(<HistoryList entityRef={entityRef} />, { api });
    const table = await screen.findByRole('table', { name: 'History' });
    const [, pending, refused, failed, unknown, applied] =
      within(table).getAllByRole('row');
    expect(pending).toHaveTextContent('pending — outcome not known yet');
    expect(refused).toHaveTextContent('refused by the cluster');
    expect(failed).toHaveTextContent(/Set weights\s*failed/);
    expect(unknown).toHaveTextContent('outcome unknown');
    expect(
      within(pending).getByTitle(/checked against the cluster/),
    ).toBeInTheDocument();
    for (const row of [pending, refused, failed, unknown, applied]) {
      // The planned split reads as before, whatever became of it.
      expect(row).toHaveTextContent('v1 50% / v2 50% → v1 80% / v2 20%');
    }
    expect(applied).not.toHaveTextContent(/pending|refused|failed|unknown/);
  });

  it('says when nothing was changed yet', async () => {
    await renderWithApi(<HistoryList entityRef={entityRef} />, {
      api: mockApi(),
    });
    expect(
      await screen.findByText(/No change has been made through Backstage yet/),
    ).toBeInTheDocument();
  });

  it('shows an error without breaking the page', async () => {
    const api = mockApi();
    api.getHistory.mockRejectedValue(
      await responseError(404, 'NotFoundError', 'no such route'),
    );
    await renderWithApi(<HistoryList entityRef={entityRef} />, { api });
    expect(
      await screen.findByText(/The history could not be read: no such route/),
    ).toBeInTheDocument();
  });
});
