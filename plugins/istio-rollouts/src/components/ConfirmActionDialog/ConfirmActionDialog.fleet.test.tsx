import type {
  ActionRequest,
  CanaryVerdict,
  Rollout,
  RolloutActionResponse,
} from '@internal/plugin-istio-rollouts-common';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { setWeightsDryRun } from '../../__fixtures__/actions';
import { reviewsMetrics } from '../../__fixtures__/metrics';
import { reviewsResponse } from '../../__fixtures__/rollouts';
import {
  MockApi,
  mockApi,
  renderWithApi,
  responseError,
} from '../../__testUtils__/renderWithApi';
import { Fleet, FleetProvider } from '../FleetApply';
import { ConfirmActionDialog } from './ConfirmActionDialog';

const [east, west] = reviewsResponse.rollouts;
const south: Rollout = {
  ...west,
  id: 'demo-south/bookinfo/reviews',
  cluster: 'demo-south',
  resourceVersion: '7',
};
const entityRef = { kind: 'Component', namespace: 'default', name: 'reviews' };
const promote: ActionRequest = {
  rolloutId: east.id,
  resourceVersion: '28',
  route: { kind: 'http', index: 0 },
  action: 'promote',
  subset: 'v2',
};

/** The reviews route with the given weights, as the backend returns a stanza. */
const route = (v1: number, v2: number) => ({
  name: 'reviews-route',
  match: [{ uri: { prefix: '/reviews' } }],
  route: [
    { destination: { host: 'reviews', subset: 'v1' }, weight: v1 },
    { destination: { host: 'reviews', subset: 'v2' }, weight: v2 },
  ],
});

/** What the backend answers for a promotion of v2 in a cluster whose split is v1/v2. */
function promoted(
  cluster: string,
  [v1, v2]: [number, number],
  dryRun = true,
): RolloutActionResponse {
  return {
    ...setWeightsDryRun,
    dryRun,
    summary: `http[0] reviews-route: v1 ${v1}→0, v2 ${v2}→100 (${cluster})`,
    routes: [
      {
        kind: 'http',
        index: 0,
        name: 'reviews-route',
        before: route(v1, v2),
        after: route(0, 100),
      },
    ],
  };
}

const splits: Record<string, [number, number]> = {
  [east.id]: [50, 50],
  [west.id]: [80, 20],
  [south.id]: [80, 20],
};

/** An API that answers every cluster's promotion, failing those `fail` names (dry run or write). */
function fleetApi(
  fail: Record<string, { dryRun?: boolean; write?: boolean }> = {},
): MockApi {
  const api = mockApi();
  api.runAction.mockImplementation(async (_entity, request) => {
    const cluster = request.rolloutId.split('/')[0];
    const failure = fail[cluster];
    if (request.dryRun ? failure?.dryRun : failure?.write) {
      throw await responseError(
        409,
        'ConflictError',
        `Someone changed reviews in ${cluster}`,
        { reason: 'Changed' },
      );
    }
    return promoted(cluster, splits[request.rolloutId], !!request.dryRun);
  });
  return api;
}

async function renderFleet(
  api: MockApi,
  options: {
    rollouts?: Rollout[];
    verdicts?: Record<string, CanaryVerdict>;
  } = {},
) {
  const fleet: Fleet = {
    rollouts: options.rollouts ?? [east, west],
    clusterOrder: ['demo-east', 'demo-west', 'demo-south'],
    onChanged: jest.fn(),
    verdictOf: rollout => options.verdicts?.[rollout.cluster],
  };
  const handlers = {
    onClose: jest.fn(),
    onApplied: jest.fn(),
    onConflict: jest.fn(),
  };
  await renderWithApi(
    <FleetProvider fleet={fleet}>
      <ConfirmActionDialog
        entityRef={entityRef}
        rollout={east}
        intent={promote}
        {...handlers}
      />
    </FleetProvider>,
    { api },
  );
  return { fleet, ...handlers };
}

async function openFleet() {
  await userEvent.click(
    await screen.findByRole('button', { name: 'Apply to all clusters…' }),
  );
  return screen.getByRole('dialog', {
    name: 'Promote v2 on reviews in every cluster?',
  });
}

function clusterItems(dialog: HTMLElement) {
  return within(
    within(dialog).getByRole('list', {
      name: 'Clusters, in the order they are changed',
    }),
  ).getAllByRole('listitem');
}

const writes = (api: MockApi) =>
  api.runAction.mock.calls
    .map(([, request]) => request)
    .filter(request => !request.dryRun);

describe('ConfirmActionDialog, in every cluster', () => {
  it('offers the same change where another cluster has the same route', async () => {
    await renderFleet(fleetApi());
    expect(
      await screen.findByRole('heading', { level: 3, name: 'Other clusters' }),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        /http\[0\] reviews-route of bookinfo\/reviews is in demo-west too/,
      ),
    ).toBeInTheDocument();
  });

  it('offers nothing outside the Rollouts tab, which alone knows the other clusters', async () => {
    const api = fleetApi();
    await renderWithApi(
      <ConfirmActionDialog
        entityRef={entityRef}
        rollout={east}
        intent={promote}
        onClose={jest.fn()}
        onApplied={jest.fn()}
        onConflict={jest.fn()}
      />,
      { api },
    );
    await waitFor(() =>
      expect(screen.getByRole('button', { name: 'Apply' })).toBeEnabled(),
    );
    expect(screen.queryByText('Other clusters')).toBeNull();
    expect(
      screen.queryByRole('button', { name: 'Apply to all clusters…' }),
    ).toBeNull();
  });

  it('runs one dry run per cluster, each at its own rollout and resourceVersion, and previews each', async () => {
    const api = fleetApi();
    await renderFleet(api);
    const dialog = await openFleet();
    await waitFor(() =>
      expect(
        within(dialog).getByRole('button', { name: 'Apply in 2 clusters' }),
      ).toBeEnabled(),
    );
    expect(api.runAction).toHaveBeenCalledWith(entityRef, {
      ...promote,
      dryRun: true,
    });
    expect(api.runAction).toHaveBeenCalledWith(entityRef, {
      rolloutId: west.id,
      resourceVersion: '14',
      route: { kind: 'http', index: 0, name: 'reviews-route' },
      action: 'promote',
      subset: 'v2',
      dryRun: true,
    });
    const [first, second] = clusterItems(dialog);
    expect(within(first).getByRole('heading', { level: 3 })).toHaveTextContent(
      'demo-east (where you started)',
    );
    expect(first).toHaveTextContent('Step 1 of 2');
    expect(second).toHaveTextContent('Step 2 of 2');
    expect(
      within(second).getByText(
        'http[0] reviews-route: v1 80→0, v2 20→100 (demo-west)',
      ),
    ).toBeInTheDocument();
    expect(
      within(second).getByRole('region', {
        name: 'YAML of http[0] reviews-route in demo-west after the change',
      }),
    ).toHaveTextContent('weight: 100');
  });

  it('applies cluster by cluster in the order the user sets, each with the reason, and closes like a single change', async () => {
    const api = fleetApi();
    const { fleet, onApplied } = await renderFleet(api);
    const dialog = await openFleet();
    const apply = within(dialog).getByRole('button', {
      name: 'Apply in 2 clusters',
    });
    await waitFor(() => expect(apply).toBeEnabled());
    expect(
      within(dialog).getByRole('button', { name: 'Move demo-east up' }),
    ).toBeDisabled();
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Move demo-west up' }),
    );
    expect(
      clusterItems(dialog).map(i => i.querySelector('h3')?.textContent),
    ).toEqual(['demo-west', 'demo-east (where you started)']);
    await userEvent.type(
      within(dialog).getByLabelText('Reason (optional)'),
      'v2 is fine',
    );
    await userEvent.click(apply);

    expect(
      await within(dialog).findByText('Applied in demo-west and demo-east'),
    ).toBeInTheDocument();
    expect(
      writes(api).map(r => [r.rolloutId, r.resourceVersion, r.reason]),
    ).toEqual([
      [west.id, '14', 'v2 is fine'],
      [east.id, '28', 'v2 is fine'],
    ]);
    expect(fleet.onChanged).toHaveBeenCalledTimes(2);
    expect(clusterItems(dialog).map(i => i.textContent)).toEqual([
      expect.stringContaining('Changed'),
      expect.stringContaining('Changed'),
    ]);

    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Close' }),
    );
    expect(onApplied).toHaveBeenCalledWith(
      expect.objectContaining({
        dryRun: false,
        summary:
          'demo-west: http[0] reviews-route: v1 80→0, v2 20→100 (demo-west); demo-east: http[0] reviews-route: v1 50→0, v2 50→100 (demo-east)',
      }),
    );
  });

  it('stops at the first cluster that fails and says which clusters changed and which did not', async () => {
    const api = fleetApi({ 'demo-west': { write: true } });
    const { fleet, onApplied, onClose } = await renderFleet(api, {
      rollouts: [east, west, south],
    });
    const dialog = await openFleet();
    const apply = within(dialog).getByRole('button', {
      name: 'Apply in 3 clusters',
    });
    await waitFor(() => expect(apply).toBeEnabled());
    await userEvent.click(apply);

    expect(
      await within(dialog).findByText(
        'Stopped at demo-west: Someone changed reviews in demo-west',
      ),
    ).toBeInTheDocument();
    expect(
      within(dialog).getByText(
        'Changed: demo-east. Not changed: demo-west and demo-south.',
      ),
    ).toBeInTheDocument();
    expect(writes(api).map(r => r.rolloutId)).toEqual([east.id, west.id]);
    expect(fleet.onChanged).toHaveBeenCalledTimes(1);
    const [, failed, never] = clusterItems(dialog);
    expect(failed).toHaveTextContent('Failed: not changed');
    expect(never).toHaveTextContent('Not changed: stopped before it');
    expect(
      within(dialog).queryByRole('button', { name: /^Apply in/ }),
    ).toBeNull();

    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Close' }),
    );
    // this cluster was changed: the card closes as after any applied change
    expect(onApplied).toHaveBeenCalled();
    expect(onClose).not.toHaveBeenCalled();
  });

  it('leaves out a cluster whose dry run fails, with its error, and applies the others', async () => {
    const api = fleetApi({ 'demo-west': { dryRun: true } });
    await renderFleet(api);
    const dialog = await openFleet();
    const apply = await within(dialog).findByRole('button', {
      name: 'Apply in 1 cluster',
    });
    await waitFor(() => expect(apply).toBeEnabled());
    const [, left] = clusterItems(dialog);
    expect(left).toHaveTextContent('Left out: the dry run failed');
    expect(left).toHaveTextContent(
      'The dry run in demo-west failed, so it is left out: Someone changed reviews in demo-west',
    );
    expect(
      within(dialog).getByRole('button', { name: 'Run the dry runs again' }),
    ).toBeEnabled();
    await userEvent.click(apply);
    expect(
      await within(dialog).findByText('Applied in demo-east'),
    ).toBeInTheDocument();
    expect(
      within(dialog).getByText('Not changed: demo-west.'),
    ).toBeInTheDocument();
    expect(writes(api).map(r => r.rolloutId)).toEqual([east.id]);
  });

  it('names the clusters whose route does not offer the change', async () => {
    const noPromote: Rollout = {
      ...west,
      routes: [
        {
          ...west.routes[0],
          offers: { rollback: west.routes[0].offers.rollback },
        },
      ],
    };
    await renderFleet(fleetApi(), { rollouts: [east, noPromote, south] });
    expect(
      await screen.findByText(
        'demo-west: http[0] reviews-route offers no Promote there.',
      ),
    ).toBeInTheDocument();
    const dialog = await openFleet();
    expect(clusterItems(dialog)).toHaveLength(2);
  });

  it('asks for a second confirmation when the canary is failing in one of the clusters', async () => {
    const failing = reviewsMetrics.rollouts[0].routes[0].verdict!;
    const api = fleetApi();
    await renderFleet(api, { verdicts: { 'demo-west': failing } });
    const dialog = await openFleet();
    const apply = within(dialog).getByRole('button', {
      name: 'Apply in 2 clusters',
    });
    const anyway = await within(dialog).findByRole('checkbox', {
      name: 'Promote anyway in demo-west: the canary is failing',
    });
    await waitFor(() =>
      expect(clusterItems(dialog)[1]).toHaveTextContent('Step 2 of 2'),
    );
    expect(apply).toBeDisabled();
    await userEvent.click(anyway);
    expect(apply).toBeEnabled();
  });

  it('goes back to the one cluster’s confirmation', async () => {
    await renderFleet(fleetApi());
    const dialog = await openFleet();
    await userEvent.click(within(dialog).getByRole('button', { name: 'Back' }));
    expect(
      screen.getByRole('dialog', { name: 'Promote v2 on reviews?' }),
    ).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Apply' })).toBeInTheDocument();
  });
});
