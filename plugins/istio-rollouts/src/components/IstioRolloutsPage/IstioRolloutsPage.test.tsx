import { PortalRolloutsResponse } from '@internal/plugin-istio-rollouts-common';
import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  portalEmpty,
  portalResponse,
  portalWestDown,
} from '../../__fixtures__/portal';
import {
  mockApi,
  renderWithApi,
  responseError,
} from '../../__testUtils__/renderWithApi';
import { IstioRolloutsPage, IstioRolloutsPageProps } from './IstioRolloutsPage';

/** The table's body rows (its header row has no cells). */
function bodyRows(): HTMLElement[] {
  return screen
    .getAllByRole('row')
    .filter(row => within(row).queryAllByRole('cell').length > 0);
}

/** Each body row's text, cell by cell. */
function rowTexts(): string[][] {
  return bodyRows().map(row =>
    within(row)
      .getAllByRole('cell')
      .map(cell => cell.textContent ?? ''),
  );
}

/** The page, answered once with `answer`, without polling. */
async function renderPage(
  answer: PortalRolloutsResponse,
  props: IstioRolloutsPageProps = {},
) {
  const api = mockApi();
  api.getPortalRollouts.mockResolvedValue(answer);
  const utils = await renderWithApi(
    <IstioRolloutsPage pollIntervalMs={null} {...props} />,
    { api },
  );
  return { api, ...utils };
}

describe('IstioRolloutsPage', () => {
  it('has the page header', async () => {
    await renderPage(portalResponse);
    expect(
      screen.getByRole('heading', { name: 'Istio Rollouts' }),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        'Every active canary, blue/green release and step plan you may see',
      ),
    ).toBeInTheDocument();
  });

  it('lists every row of the answer, by entity, cluster and route', async () => {
    await renderPage(portalResponse);
    expect(
      await screen.findByRole('heading', { name: 'Active rollouts (5)' }),
    ).toBeInTheDocument();
    expect(rowTexts()).toEqual([
      [
        'Gorilla SFX demo',
        'team-bookinfo',
        'demo-east',
        'default',
        'http[0] green-by-headerVirtualService gorilla-sfx-demo',
        'blue-green (header)',
        'green 100%',
        '—',
      ],
      [
        'Gorilla SFX demo',
        'team-bookinfo',
        'demo-east',
        'default',
        'http[1] defaultVirtualService gorilla-sfx-demo',
        'blue-green (header)',
        'blue 100%',
        '—',
      ],
      [
        'reviews',
        'team-bookinfo',
        'demo-east',
        'bookinfo',
        'http[0] reviews-routeVirtualService reviews',
        'canary 50%',
        'v1 50% · v2 50% · v3 0%',
        'plan #12 · step 6/8 · 50 %',
      ],
      [
        'reviews',
        'team-bookinfo',
        'demo-west',
        'bookinfo',
        'http[0] reviews-routeVirtualService reviews',
        'canary 20%',
        'v1 80% · v2 20% · v3 0%',
        '—',
      ],
      [
        'web-service',
        'team-web',
        'demo-west',
        'web',
        'http[0] primaryVirtualService web-service',
        'mirroring 10%',
        'blue 100% · green 0%',
        '—',
      ],
    ]);
    // The tab's chip, coloured by the row's phase.
    expect(
      screen.getAllByTestId('phase-chip').map(c => c.dataset.phase),
    ).toEqual(['blue-green', 'blue-green', 'canary', 'canary', 'mirroring']);
  });

  it('links each entity to its Rollouts tab and each owner to its page', async () => {
    await renderPage(portalResponse);
    const reviews = await screen.findAllByRole('link', { name: 'reviews' });
    expect(reviews).toHaveLength(2);
    for (const link of reviews) {
      expect(link).toHaveAttribute(
        'href',
        '/catalog/default/component/reviews/rollouts',
      );
    }
    expect(
      screen.getAllByRole('link', { name: 'Gorilla SFX demo' })[0],
    ).toHaveAttribute(
      'href',
      '/catalog/default/component/gorilla-sfx-demo/rollouts',
    );
    expect(screen.getByRole('link', { name: 'team-web' })).toHaveAttribute(
      'href',
      '/catalog/default/group/team-web',
    );
  });

  it('links to the tab where the app put it', async () => {
    await renderPage(portalResponse, { tabPath: '/traffic' });
    expect(
      (await screen.findAllByRole('link', { name: 'reviews' }))[0],
    ).toHaveAttribute('href', '/catalog/default/component/reviews/traffic');
  });

  it('filters the rows by cluster', async () => {
    await renderPage(portalResponse);
    await screen.findByRole('heading', { name: 'Active rollouts (5)' });

    await userEvent.click(screen.getByRole('button', { name: 'filter list' }));
    const filters = screen.getAllByTestId('select');
    expect(filters.map(f => f.getAttribute('aria-label'))).toEqual([
      'Owner',
      'Cluster',
      'Namespace',
      'State',
    ]);
    await userEvent.click(within(filters[1]).getByRole('button'));
    await userEvent.click(
      within(screen.getByRole('listbox')).getByText('demo-west'),
    );
    await userEvent.keyboard('{Escape}');

    await waitFor(() => expect(bodyRows()).toHaveLength(2));
    expect(rowTexts().map(cells => `${cells[0]} ${cells[2]}`)).toEqual([
      'reviews demo-west',
      'web-service demo-west',
    ]);
  });

  it('says which cluster could not be read, and greys its last-known rows', async () => {
    await renderPage(portalWestDown);
    expect(
      await screen.findByText('demo-west did not answer in time (Timeout)'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('demo-west did not answer within 5000 ms'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/Its 2 last-known VirtualServices are shown below/),
    ).toBeInTheDocument();
    expect(
      rowTexts()
        .filter(cells => cells[2].endsWith('last known'))
        .map(cells => cells[0]),
    ).toEqual(['reviews', 'web-service']);
  });

  it('says when nothing is mid-release', async () => {
    await renderPage(portalEmpty);
    expect(
      await screen.findByText(
        'No active canaries, blue/green releases or step plans in the clusters you may see.',
      ),
    ).toBeInTheDocument();
  });

  it('shows progress until the first answer', async () => {
    const api = mockApi();
    await renderWithApi(<IstioRolloutsPage pollIntervalMs={null} />, { api });
    expect(screen.getByTestId('progress')).toBeInTheDocument();
    expect(api.getPortalRollouts).toHaveBeenCalledTimes(1);
  });

  it('shows the server’s error when the first read fails', async () => {
    const api = mockApi();
    api.getPortalRollouts.mockRejectedValue(
      await responseError(503, 'ServiceUnavailableError', 'Catalog is down'),
    );
    await renderWithApi(<IstioRolloutsPage pollIntervalMs={null} />, { api });
    // Core-components' error panel: the message, and the response body below it.
    expect(await screen.findAllByText(/Catalog is down/)).not.toHaveLength(0);
    expect(screen.queryByRole('table')).toBeNull();
  });

  it('keeps the table through a failed refresh, and says so', async () => {
    const { api } = await renderPage(portalResponse);
    expect(
      await screen.findByRole('heading', { name: 'Active rollouts (5)' }),
    ).toBeInTheDocument();

    api.getPortalRollouts.mockRejectedValueOnce(new Error('Failed to fetch'));
    await userEvent.click(screen.getByRole('button', { name: 'Refresh now' }));
    expect(
      await screen.findByText(/Could not refresh: Failed to fetch/),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('heading', { name: 'Active rollouts (5)' }),
    ).toBeInTheDocument();

    api.getPortalRollouts.mockResolvedValueOnce(portalEmpty);
    await userEvent.click(screen.getByRole('button', { name: 'Refresh now' }));
    expect(
      await screen.findByRole('heading', { name: 'Active rollouts (0)' }),
    ).toBeInTheDocument();
    expect(screen.queryByText(/Could not refresh/)).toBeNull();
  });

  describe('while open', () => {
    afterEach(() => jest.useRealTimers());

    it('reads again every 10 seconds', async () => {
      jest.useFakeTimers();
      const api = mockApi();
      api.getPortalRollouts.mockResolvedValue(portalResponse);
      await renderWithApi(<IstioRolloutsPage />, { api });
      expect(api.getPortalRollouts).toHaveBeenCalledTimes(1);

      await act(async () => {
        jest.advanceTimersByTime(9_999);
      });
      expect(api.getPortalRollouts).toHaveBeenCalledTimes(1);
      await act(async () => {
        jest.advanceTimersByTime(1);
      });
      expect(api.getPortalRollouts).toHaveBeenCalledTimes(2);
    });
  });
});
