import { RolloutsResponse } from '@internal/plugin-istio-rollouts-common';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  historyPages,
  setWeightsApplied,
  setWeightsDryRun,
} from '../../__fixtures__/actions';
import { gorillaResponse, reviewsResponse } from '../../__fixtures__/rollouts';
import {
  component,
  mockApi,
  MockApi,
  renderWithApi,
  responseError,
} from '../../__testUtils__/renderWithApi';
import { EntityIstioRolloutsContent } from './EntityIstioRolloutsContent';

function answering(response: RolloutsResponse): MockApi {
  const api = mockApi();
  api.getRollouts.mockResolvedValue(response);
  return api;
}

const NAMESPACES: Record<string, string> = {
  reviews: 'bookinfo',
  'gorilla-sfx-demo': 'default',
  'web-service': 'default',
};

const card = (name: string, cluster: string) =>
  screen.getByRole('article', {
    name: `VirtualService ${NAMESPACES[name]}/${name} in ${cluster}`,
  });

async function renderTab(
  api: MockApi,
  name = 'reviews',
  poll: number | null = null,
) {
  return renderWithApi(<EntityIstioRolloutsContent pollIntervalMs={poll} />, {
    api,
    entity: component(name),
  });
}

describe('EntityIstioRolloutsContent', () => {
  it('shows progress while loading', async () => {
    await renderTab(mockApi());
    expect(await screen.findByRole('progressbar')).toBeInTheDocument();
  });

  it('shows reviews’ canary in each cluster: split, subsets, revision and phase', async () => {
    const api = answering(reviewsResponse);
    await renderTab(api);
    expect(
      await screen.findByRole('heading', { name: 'demo-east' }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('heading', { name: 'demo-west' }),
    ).toBeInTheDocument();
    expect(
      screen.getByText('backstage.io/kubernetes-id=reviews'),
    ).toBeInTheDocument();

    const east = card('reviews', 'demo-east');
    expect(
      within(east).getByRole('img', {
        name: 'Traffic of http[0] reviews-route: v1 50% / v2 50%',
      }),
    ).toBeInTheDocument();
    expect(within(east).getByText('canary 50%')).toBeInTheDocument();
    expect(
      within(east).getByText('Istio revision default'),
    ).toBeInTheDocument();
    expect(
      within(east).getByText('match: prefix /reviews'),
    ).toBeInTheDocument();
    expect(within(east).getByText('reviews-gateway, mesh')).toBeInTheDocument();
    expect(within(east).getByText('staged, no traffic')).toBeInTheDocument();
    expect(
      within(east).getByRole('button', { name: 'Promote v2' }),
    ).toBeEnabled();

    const west = card('reviews', 'demo-west');
    expect(
      within(west).getByRole('img', {
        name: 'Traffic of http[0] reviews-route: v1 80% / v2 20%',
      }),
    ).toBeInTheDocument();
    expect(within(west).getByText('Istio revision 1-24')).toBeInTheDocument();
  });

  it('shows gorilla-sfx-demo’s header route and offers Switch', async () => {
    const api = answering(gorillaResponse);
    api.runAction.mockResolvedValue({
      dryRun: true,
      changed: true,
      summary:
        'switch: http[1] default blue→green (live), http[0] green-by-header green→blue; header x-deploy: green→blue',
      patches: [],
      routes: [],
    });
    await renderTab(api, 'gorilla-sfx-demo');
    expect(
      await screen.findByText('match: header x-deploy = green'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('match: default (every other request)'),
    ).toBeInTheDocument();
    expect(screen.getAllByText('blue-green (header)')).not.toHaveLength(0);
    // blue serves the default route: in the header route's table it is not "staged"
    expect(screen.getAllByText('not in this route')).toHaveLength(2);
    expect(
      screen.getByText(/Blue\/green by header: blue is live/),
    ).toBeInTheDocument();
    expect(
      screen.getByText('No VirtualService for this entity in demo-west.'),
    ).toBeInTheDocument();

    await userEvent.click(
      screen.getByRole('button', { name: 'Switch to green' }),
    );
    expect(await screen.findByRole('dialog')).toHaveTextContent(
      'Switch on gorilla-sfx-demo?',
    );
    expect(api.runAction).toHaveBeenCalledWith(
      { kind: 'Component', namespace: 'default', name: 'gorilla-sfx-demo' },
      expect.objectContaining({
        action: 'switch',
        rolloutId: 'demo-east/default/gorilla-sfx-demo',
        resourceVersion: '17',
        dryRun: true,
      }),
    );
  });

  it('shows an unreachable cluster’s error in its own section while the other renders', async () => {
    const api = answering({
      clusters: [
        { name: 'demo-east', status: 'ok' },
        {
          name: 'demo-west',
          status: 'error',
          error: {
            reason: 'Timeout',
            message: 'Cluster "demo-west" did not answer within 5000 ms',
          },
        },
      ],
      rollouts: [reviewsResponse.rollouts[0]],
    });
    await renderTab(api);
    const west = (
      await screen.findByRole('heading', { name: 'demo-west' })
    ).closest('section')!;
    expect(within(west).getByRole('alert')).toHaveTextContent(
      'demo-west did not answer in time (Timeout)',
    );
    expect(within(west).getByRole('alert')).toHaveTextContent(
      'did not answer within 5000 ms',
    );
    expect(card('reviews', 'demo-east')).toBeInTheDocument();
  });

  it('says which label to put on which objects when there is no VirtualService', async () => {
    await renderTab(
      answering({
        clusters: [{ name: 'demo-east', status: 'ok' }],
        rollouts: [],
      }),
      'ratings',
    );
    expect(
      await screen.findByText('No VirtualService found for this entity'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('backstage.io/kubernetes-id=ratings'),
    ).toBeInTheDocument();
    for (const kind of ['VirtualService', 'DestinationRules', 'Deployments']) {
      expect(screen.getByText(kind)).toBeInTheDocument();
    }
    expect(
      screen.getByText(/backstage.io\/kubernetes-id: ratings/),
    ).toBeInTheDocument();
  });

  it('shows why the backend has nothing to show', async () => {
    await renderTab(
      answering({
        clusters: [],
        rollouts: [],
        notConfigured: {
          reason: 'InvalidAnnotation',
          message:
            'backstage.io/kubernetes-id "Not Valid!" is not a label value',
        },
      }),
    );
    expect(await screen.findByText(/is not a label value/)).toBeInTheDocument();
    expect(screen.getByText(/InvalidAnnotation/)).toBeInTheDocument();
  });

  it('sets 80/20 with the editor, confirms with the dry run, and shows the result', async () => {
    const api = answering(reviewsResponse);
    api.runAction.mockImplementation(async (_, request) =>
      request.dryRun ? setWeightsDryRun : setWeightsApplied,
    );
    const { alertApi } = await renderTab(api);
    const east = card('reviews', 'demo-east');
    await userEvent.click(
      within(east).getByRole('button', { name: 'Set weights' }),
    );
    await userEvent.click(
      within(east).getByRole('button', { name: 'Send 25% to v2' }),
    );
    const v1 = within(east).getByRole('spinbutton', {
      name: 'Weight of v1 in percent',
    });
    await userEvent.clear(v1);
    await userEvent.type(v1, '80');
    expect(
      within(east).getByRole('spinbutton', { name: 'Weight of v2 in percent' }),
    ).toHaveValue(20);
    await userEvent.click(
      within(east).getByRole('button', { name: 'Review change' }),
    );

    const dialog = await screen.findByRole('dialog');
    expect(api.runAction).toHaveBeenLastCalledWith(expect.anything(), {
      rolloutId: 'demo-east/bookinfo/reviews',
      resourceVersion: '28',
      route: { kind: 'http', index: 0 },
      action: 'setWeights',
      weights: { v1: 80, v2: 20 },
      dryRun: true,
    });
    const target = within(dialog).getByLabelText('Target');
    expect(target).toHaveTextContent('Clusterdemo-east');
    expect(target).toHaveTextContent('Namespacebookinfo');
    expect(target).toHaveTextContent('VirtualServicereviews');
    expect(target).toHaveTextContent(
      'Routehttp[0] reviews-route (prefix /reviews)',
    );
    // The server's summary, once.
    expect(
      await within(dialog).findAllByText(
        'http[0] reviews-route: v1 50→80, v2 50→20',
      ),
    ).toHaveLength(1);
    expect(
      within(dialog).getByRole('img', {
        name: 'Traffic of http[0] reviews-route after: v1 80% / v2 20%',
      }),
    ).toBeInTheDocument();
    // The exact patch waits, collapsed, behind its own button.
    expect(
      within(dialog).getByRole('button', { name: /Exact patch/ }),
    ).toHaveAttribute('aria-expanded', 'false');

    await userEvent.type(
      within(dialog).getByRole('textbox', { name: 'Reason (optional)' }),
      'clean hour',
    );
    // the reload after the write is still on its way: the page shows the
    // rollout the write read back
    api.getRollouts.mockImplementation(() => new Promise(() => {}));
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Apply' }),
    );

    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    expect(api.runAction).toHaveBeenLastCalledWith(expect.anything(), {
      rolloutId: 'demo-east/bookinfo/reviews',
      resourceVersion: '28',
      route: { kind: 'http', index: 0 },
      action: 'setWeights',
      weights: { v1: 80, v2: 20 },
      reason: 'clean hour',
    });
    expect(alertApi.post).toHaveBeenCalledWith(
      expect.objectContaining({
        severity: 'success',
        message: 'Applied: http[0] reviews-route: v1 50→80, v2 50→20',
      }),
    );
    // the view shows the rollout the backend read back
    expect(
      within(card('reviews', 'demo-east')).getByRole('img', {
        name: 'Traffic of http[0] reviews-route: v1 80% / v2 20%',
      }),
    ).toBeInTheDocument();
    expect(
      within(card('reviews', 'demo-east')).queryByRole('slider'),
    ).not.toBeInTheDocument();
  });

  it('on 409 says someone changed it since it was loaded, and reloads', async () => {
    const api = answering(reviewsResponse);
    const conflict = await responseError(
      409,
      'ConflictError',
      'demo-east/bookinfo/reviews changed since you loaded it (resourceVersion 28, now 30)',
    );
    api.runAction.mockImplementation(async (_, request) => {
      if (request.dryRun)
        return { ...setWeightsDryRun, patches: [], routes: [] };
      throw conflict;
    });
    await renderTab(api);
    const east = await screen.findByRole('article', {
      name: 'VirtualService bookinfo/reviews in demo-east',
    });
    await userEvent.click(
      within(east).getByRole('button', { name: 'Promote v2' }),
    );
    const dialog = await screen.findByRole('dialog');
    expect(dialog).toHaveTextContent('Promote v2 on reviews?');
    const loads = api.getRollouts.mock.calls.length;
    await userEvent.click(
      await within(dialog).findByRole('button', { name: 'Apply' }),
    );

    expect(
      await within(dialog).findByText(
        'Someone changed reviews since you loaded it',
      ),
    ).toBeInTheDocument();
    expect(dialog).toHaveTextContent('resourceVersion 28, now 30');
    expect(
      within(dialog).getByRole('button', { name: 'Apply' }),
    ).toBeDisabled();
    await waitFor(() =>
      expect(api.getRollouts.mock.calls.length).toBeGreaterThan(loads),
    );
  });

  it('shows any other error with its message', async () => {
    const api = answering(reviewsResponse);
    api.runAction.mockRejectedValue(
      await responseError(
        400,
        'InputError',
        'subset: v9 is not defined in a DestinationRule for reviews',
      ),
    );
    await renderTab(api);
    await screen.findByRole('article', {
      name: 'VirtualService bookinfo/reviews in demo-east',
    });
    await userEvent.click(
      within(card('reviews', 'demo-east')).getByRole('button', {
        name: 'Start canary',
      }),
    );
    await userEvent.click(
      await screen.findByRole('menuitem', { name: 'Start v3 at 0%' }),
    );
    const dialog = await screen.findByRole('dialog');
    expect(
      await within(dialog).findByText(/v9 is not defined in a DestinationRule/),
    ).toBeInTheDocument();
    expect(
      within(dialog).getByRole('button', { name: 'Apply' }),
    ).toBeDisabled();
  });

  it('lists the history', async () => {
    const api = answering(reviewsResponse);
    api.getHistory.mockResolvedValueOnce(historyPages[0]);
    await renderTab(api);
    const history = await screen.findByRole('table', { name: 'History' });
    expect(await within(history).findByText('guest')).toBeInTheDocument();
    expect(within(history).getByText('3 minutes ago')).toBeInTheDocument();
    expect(
      within(history).getByText('v1 50% / v2 50% → v1 80% / v2 20%'),
    ).toBeInTheDocument();
    expect(
      within(history).getByText('more canary traffic after a clean hour'),
    ).toBeInTheDocument();
  });
});
