import {
  PortalHealthResponse,
  PortalRolloutsResponse,
} from '@internal/plugin-istio-rollouts-common';
import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  portalEmpty,
  portalResponse,
  portalWestDown,
} from '../../__fixtures__/portal';
import {
  portalHealth,
  portalHealthWestNotConfigured,
  portalHealthWestUnavailable,
} from '../../__fixtures__/portalHealth';
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

/** A row's entities (its first cell, without the owners under them) and its cluster. */
const entityAndCluster = (cells: string[]) =>
  `${cells[0].split('owner ')[0]} ${cells[1]}`;

/** The Health cell of a row without a verdict: a dash, and why in words for screen readers. */
const noVerdict = (why: string) => `—No verdict: ${why}`;

/** The page, answered once with `answer` (and `health`, else never), without polling. */
async function renderPage(
  answer: PortalRolloutsResponse,
  props: IstioRolloutsPageProps = {},
  health?: PortalHealthResponse,
) {
  const api = mockApi();
  api.getPortalRollouts.mockResolvedValue(answer);
  if (health) api.getPortalHealth.mockResolvedValue(health);
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

  it('lists every row of the answer, by entity, cluster and route, before the verdicts come', async () => {
    await renderPage(portalResponse);
    expect(
      await screen.findByRole('heading', { name: 'Active rollouts (5)' }),
    ).toBeInTheDocument();
    expect(rowTexts()).toEqual([
      [
        'Gorilla SFX demoowner team-bookinfo',
        'demo-east',
        'http[0] green-by-headerVirtualService default/gorilla-sfx-demo',
        'blue-green (header)',
        noVerdict('canary health not read yet'),
        'green 100%',
        '—',
      ],
      [
        'Gorilla SFX demoowner team-bookinfo',
        'demo-east',
        'http[1] defaultVirtualService default/gorilla-sfx-demo',
        'blue-green (header)',
        noVerdict('canary health not read yet'),
        'blue 100%',
        '—',
      ],
      [
        'reviewsowner team-bookinfo',
        'demo-east',
        'http[0] reviews-routeVirtualService bookinfo/reviews',
        'canary 50%',
        noVerdict('canary health not read yet'),
        'v1 50% · v2 50% · v3 0%',
        'plan #12 · step 6/8 · 50 %',
      ],
      [
        'reviewsowner team-bookinfo',
        'demo-west',
        'http[0] reviews-routeVirtualService bookinfo/reviews',
        'canary 20%',
        noVerdict('canary health not read yet'),
        'v1 80% · v2 20% · v3 0%',
        '—',
      ],
      [
        'web-serviceowner team-web',
        'demo-west',
        'http[0] primaryVirtualService web/web-service',
        'mirroring 10%',
        noVerdict('canary health not read yet'),
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

  it('searches and filters by owner and namespace, which have no column of their own', async () => {
    await renderPage(portalResponse);
    await screen.findByRole('heading', { name: 'Active rollouts (5)' });
    await userEvent.type(screen.getByPlaceholderText('Filter'), 'team-web');
    await waitFor(() => expect(bodyRows()).toHaveLength(1));
    expect(entityAndCluster(rowTexts()[0])).toBe('web-service demo-west');
    await userEvent.clear(screen.getByPlaceholderText('Filter'));
    await waitFor(() => expect(bodyRows()).toHaveLength(5));

    await userEvent.click(screen.getByRole('button', { name: 'filter list' }));
    const namespace = screen.getAllByTestId('select')[2];
    await userEvent.click(within(namespace).getByRole('button'));
    await userEvent.click(
      within(screen.getByRole('listbox')).getByText('bookinfo'),
    );
    await userEvent.keyboard('{Escape}');
    await waitFor(() => expect(bodyRows()).toHaveLength(2));
    expect(rowTexts().map(entityAndCluster)).toEqual([
      'reviews demo-east',
      'reviews demo-west',
    ]);
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
      'Health',
    ]);
    await userEvent.click(within(filters[1]).getByRole('button'));
    await userEvent.click(
      within(screen.getByRole('listbox')).getByText('demo-west'),
    );
    await userEvent.keyboard('{Escape}');

    await waitFor(() => expect(bodyRows()).toHaveLength(2));
    expect(rowTexts().map(entityAndCluster)).toEqual([
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
        .filter(cells => cells[1].endsWith('last known'))
        .map(entityAndCluster),
    ).toEqual([
      'reviews demo-westlast known',
      'web-service demo-westlast known',
    ]);
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

  describe('health', () => {
    /** Each body row's entity, cluster and Health cell. */
    const healthTexts = () =>
      rowTexts().map(cells => `${entityAndCluster(cells)}: ${cells[4]}`);

    it('shows the server’s verdict on the rows it judged, and why the others have none', async () => {
      const { api } = await renderPage(portalResponse, {}, portalHealth);
      await screen.findByText('failing: 4.2 % errors vs 0.3 %');
      expect(api.getPortalHealth).toHaveBeenCalledTimes(1);
      expect(healthTexts()).toEqual([
        'Gorilla SFX demo demo-east: Canary green: not enough traffic: 3 of 50 requests',
        `Gorilla SFX demo demo-east: ${noVerdict(
          'no canary and stable subset to compare',
        )}`,
        'reviews demo-east: Canary v2: failing: 4.2 % errors vs 0.3 %',
        'reviews demo-west: Canary v2: healthy',
        `web-service demo-west: ${noVerdict(
          'no canary and stable subset to compare',
        )}`,
      ]);
      const table = screen.getByRole('table');
      expect(
        within(table)
          .getAllByText(/^(failing|healthy|not enough traffic)/)
          .map(label => label.parentElement?.dataset.status),
      ).toEqual(['insufficientTraffic', 'failing', 'healthy']);
      // No live region per row: a table of hundreds, read every 10 s, would chatter.
      expect(within(table).queryAllByRole('status')).toEqual([]);
    });

    it('sorts failing canaries first, and filters by verdict', async () => {
      await renderPage(portalResponse, {}, portalHealth);
      await screen.findByText('failing: 4.2 % errors vs 0.3 %');

      await userEvent.click(screen.getByRole('button', { name: 'Health' }));
      await waitFor(() =>
        expect(rowTexts().map(entityAndCluster)).toEqual([
          'reviews demo-east',
          'Gorilla SFX demo demo-east',
          'reviews demo-west',
          'Gorilla SFX demo demo-east',
          'web-service demo-west',
        ]),
      );

      await userEvent.click(
        screen.getByRole('button', { name: 'filter list' }),
      );
      const health = screen.getAllByTestId('select')[4];
      await userEvent.click(within(health).getByRole('button'));
      expect(
        within(screen.getByRole('listbox'))
          .getAllByRole('option')
          .map(o => o.textContent),
      ).toEqual(['failing', 'healthy', 'no verdict', 'not enough traffic']);
      await userEvent.click(
        within(screen.getByRole('listbox')).getByText('failing'),
      );
      await userEvent.keyboard('{Escape}');
      await waitFor(() => expect(bodyRows()).toHaveLength(1));
      expect(rowTexts()[0][0]).toBe('reviewsowner team-bookinfo');
    });

    it('says which cluster’s metrics are unavailable, and still lists its rows', async () => {
      await renderPage(portalResponse, {}, portalHealthWestUnavailable);
      expect(
        await screen.findByText(
          'Metrics unavailable for demo-west: its rows have no health verdict.',
        ),
      ).toBeInTheDocument();
      expect(
        screen.getByText('Timeout: Prometheus did not answer within 5000 ms'),
      ).toBeInTheDocument();
      expect(healthTexts().filter(t => t.includes('demo-west'))).toEqual([
        `reviews demo-west: ${noVerdict('metrics unavailable')}`,
        `web-service demo-west: ${noVerdict('metrics unavailable')}`,
      ]);
      expect(
        screen.getByText('failing: 4.2 % errors vs 0.3 %'),
      ).toBeInTheDocument();
    });

    it('says which cluster has no Prometheus', async () => {
      await renderPage(portalResponse, {}, portalHealthWestNotConfigured);
      expect(
        await screen.findByText(
          'No Prometheus configured for demo-west: its rows have no health verdict.',
        ),
      ).toBeInTheDocument();
      expect(screen.queryByText(/^Metrics unavailable/)).toBeNull();
    });

    it('keeps every row when the verdicts cannot be read, and says so', async () => {
      const api = mockApi();
      api.getPortalRollouts.mockResolvedValue(portalResponse);
      api.getPortalHealth.mockRejectedValue(
        await responseError(
          503,
          'ServiceUnavailableError',
          'Prometheus is unreachable',
        ),
      );
      await renderWithApi(<IstioRolloutsPage pollIntervalMs={null} />, {
        api,
      });
      expect(
        await screen.findByText(
          'Metrics unavailable: Prometheus is unreachable. The Health column has no verdicts.',
        ),
      ).toBeInTheDocument();
      expect(
        screen.getByRole('heading', { name: 'Active rollouts (5)' }),
      ).toBeInTheDocument();
      expect(bodyRows()).toHaveLength(5);
      expect(rowTexts().map(cells => cells[4])).toEqual(
        Array(5).fill(noVerdict('metrics unavailable')),
      );
    });

    it('keeps the last verdicts through a failed refresh, and reads both again on Refresh', async () => {
      const { api } = await renderPage(portalResponse, {}, portalHealth);
      await screen.findByText('failing: 4.2 % errors vs 0.3 %');

      api.getPortalHealth.mockRejectedValueOnce(new Error('Failed to fetch'));
      await userEvent.click(
        screen.getByRole('button', { name: 'Refresh now' }),
      );
      expect(
        await screen.findByText(
          /^Metrics unavailable: Failed to fetch\. Showing the health verdicts read at/,
        ),
      ).toBeInTheDocument();
      expect(api.getPortalRollouts).toHaveBeenCalledTimes(2);
      expect(api.getPortalHealth).toHaveBeenCalledTimes(2);
      expect(
        screen.getByText('failing: 4.2 % errors vs 0.3 %'),
      ).toBeInTheDocument();
    });
  });

  describe('while open', () => {
    afterEach(() => jest.useRealTimers());

    it('reads again every 10 seconds', async () => {
      jest.useFakeTimers();
      const api = mockApi();
      api.getPortalRollouts.mockResolvedValue(portalResponse);
      api.getPortalHealth.mockResolvedValue(portalHealth);
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
      // The verdicts too, on their own.
      expect(api.getPortalHealth).toHaveBeenCalledTimes(2);
    });
  });
});
