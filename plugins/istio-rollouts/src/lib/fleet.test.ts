import type {
  ActionRequest,
  Rollout,
  Route,
} from '@internal/plugin-istio-rollouts-common';
import { reviewsResponse } from '../__fixtures__/rollouts';
import {
  appliedSummary,
  applyInOrder,
  describeFleetOutcome,
  findRoute,
  moveItem,
  planFleet,
  requestFor,
  sameRoute,
} from './fleet';

const [east, west] = reviewsResponse.rollouts;
const order = ['demo-east', 'demo-west'];

const setWeights: ActionRequest = {
  rolloutId: east.id,
  resourceVersion: '27', // the version the user started editing from
  route: { kind: 'http', index: 0 },
  action: 'setWeights',
  weights: { v1: 90, v2: 10 },
  reason: 'slow down',
};
const promote: ActionRequest = {
  rolloutId: east.id,
  resourceVersion: east.resourceVersion,
  route: { kind: 'http', index: 0 },
  action: 'promote',
  subset: 'v2',
};

/** A copy of a rollout with its first route changed. */
function withRoute(rollout: Rollout, change: Partial<Route>): Rollout {
  return {
    ...rollout,
    routes: [{ ...rollout.routes[0], ...change }, ...rollout.routes.slice(1)],
  };
}

/** A rollout of the same VirtualService in another cluster. */
function inCluster(rollout: Rollout, cluster: string): Rollout {
  return {
    ...rollout,
    cluster,
    id: `${cluster}/${rollout.namespace}/${rollout.name}`,
  };
}

describe('findRoute', () => {
  it('finds a route by index, by name, and refuses an index whose name disagrees', () => {
    expect(findRoute(east, { kind: 'http', index: 0 })?.name).toBe(
      'reviews-route',
    );
    expect(findRoute(east, { kind: 'http', name: 'reviews-route' })).toBe(
      east.routes[0],
    );
    expect(
      findRoute(east, { kind: 'http', index: 0, name: 'other' }),
    ).toBeUndefined();
    expect(findRoute(east, { kind: 'tcp', index: 0 })).toBeUndefined();
  });
});

describe('sameRoute', () => {
  it('matches a named route by namespace, VirtualService name and route name, wherever it sits', () => {
    const moved = {
      ...west,
      routes: [
        { ...west.routes[0], index: 0, name: 'canary-by-header' },
        { ...west.routes[0], index: 1 },
      ],
    };
    expect(sameRoute(east, east.routes[0], moved)?.index).toBe(1);
  });

  it('matches nothing in another namespace or another VirtualService', () => {
    expect(
      sameRoute(east, east.routes[0], { ...west, namespace: 'other' }),
    ).toBeUndefined();
    expect(
      sameRoute(east, east.routes[0], { ...west, name: 'ratings' }),
    ).toBeUndefined();
  });

  it('matches an unnamed route by kind and index, and only an unnamed one', () => {
    const unnamed = withRoute(east, { name: undefined });
    expect(
      sameRoute(
        unnamed,
        unnamed.routes[0],
        withRoute(west, { name: undefined }),
      )?.index,
    ).toBe(0);
    // the route at that index in the other cluster has a name: another route
    expect(sameRoute(unnamed, unnamed.routes[0], west)).toBeUndefined();
  });
});

describe('requestFor', () => {
  it('asks the same action of the other cluster with its own rollout, resourceVersion and route, without the reason', () => {
    expect(requestFor(setWeights, west, west.routes[0])).toEqual({
      rolloutId: 'demo-west/bookinfo/reviews',
      resourceVersion: '14',
      route: { kind: 'http', index: 0, name: 'reviews-route' },
      action: 'setWeights',
      weights: { v1: 90, v2: 10 },
    });
  });
});

describe('planFleet', () => {
  it('has every cluster whose rollout has the route, in the clusters’ order, the origin with its request as asked', () => {
    const plan = planFleet(setWeights, [west, east], order, 'Set weights')!;
    expect(plan.targets.map(t => [t.cluster, t.origin])).toEqual([
      ['demo-east', true],
      ['demo-west', false],
    ]);
    expect(plan.targets[0].request).toBe(setWeights);
    expect(plan.targets[1].request).toMatchObject({
      rolloutId: west.id,
      resourceVersion: west.resourceVersion,
    });
    expect(plan.skipped).toEqual([]);
  });

  it('follows the order of the clusters list, clusters missing from it last', () => {
    const south = inCluster(west, 'demo-south');
    const plan = planFleet(
      promote,
      [east, south, west],
      ['demo-west', 'demo-east'],
      'Promote',
    )!;
    expect(plan.targets.map(t => t.cluster)).toEqual([
      'demo-west',
      'demo-east',
      'demo-south',
    ]);
  });

  it('leaves out rollouts of other VirtualServices without a word', () => {
    const ratings = { ...inCluster(west, 'demo-south'), name: 'ratings' };
    const plan = planFleet(promote, [east, ratings], order, 'Promote')!;
    expect(plan.targets.map(t => t.cluster)).toEqual(['demo-east']);
    expect(plan.skipped).toEqual([]);
  });

  it.each([
    [
      'the route offers no such action',
      withRoute(west, { offers: { setWeights: { keys: ['v1', 'v2'] } } }),
      promote,
      'http[0] reviews-route offers no Promote there',
    ],
    [
      'the route would promote another subset',
      withRoute(west, { offers: { promote: { subset: 'v3' } } }),
      promote,
      'http[0] reviews-route offers Promote of v3 there, not v2',
    ],
    [
      'the route’s destinations are not those the weights name',
      withRoute(west, {
        offers: { setWeights: { keys: ['v1', 'v3'] } },
      }),
      setWeights,
      'http[0] reviews-route has the destinations v1, v3 there; the weights name v1, v2',
    ],
  ])('skips a cluster where %s, saying so', (_case, other, intent, reason) => {
    const label = intent.action === 'promote' ? 'Promote' : 'Set weights';
    const plan = planFleet(intent, [east, other], order, label)!;
    expect(plan.targets.map(t => t.cluster)).toEqual(['demo-east']);
    expect(plan.skipped).toEqual([
      { cluster: 'demo-west', rollout: other, reason },
    ]);
  });

  it('skips a cluster the server keeps read-only, or where the caller may not take the action, with the server’s words', () => {
    const stale = {
      ...west,
      readOnly: {
        reason: 'ClaimsUnavailable',
        message: 'The claims on reviews could not be checked',
      },
    } as Rollout;
    expect(
      planFleet(promote, [east, stale], order, 'Promote')!.skipped,
    ).toEqual([
      {
        cluster: 'demo-west',
        rollout: stale,
        reason: 'The claims on reviews could not be checked',
      },
    ]);
    const updateOnly = { ...west, allowedActions: ['setWeights'] } as Rollout;
    expect(
      planFleet(promote, [east, updateOnly], order, 'Promote')!.skipped[0]
        .reason,
    ).toBe('your permissions do not allow Promote there');
  });

  it('takes an action it does not know by its offer, e.g. one added later', () => {
    const finish = {
      rolloutId: east.id,
      resourceVersion: east.resourceVersion,
      route: { kind: 'http', index: 0 },
      action: 'finish',
    } as unknown as ActionRequest;
    const allowing = (r: Rollout) =>
      ({ ...r, allowedActions: [...r.allowedActions, 'finish'] } as Rollout);
    const offering = allowing(
      withRoute(west, {
        offers: { finish: { remove: ['v1'] } } as Route['offers'],
      }),
    );
    expect(
      planFleet(finish, [east, offering], order, 'Finish')!.targets.map(
        t => t.request.rolloutId,
      ),
    ).toEqual([east.id, west.id]);
    expect(
      planFleet(finish, [east, allowing(west)], order, 'Finish')!.skipped,
    ).toEqual([
      {
        cluster: 'demo-west',
        rollout: allowing(west),
        reason: 'http[0] reviews-route offers no Finish there',
      },
    ]);
  });

  it('has no plan for a request without a route, or for a rollout the page does not show', () => {
    const { route: _route, ...noRoute } = promote;
    expect(
      planFleet(noRoute as ActionRequest, [east, west], order, 'Switch'),
    ).toBeUndefined();
    expect(
      planFleet({ ...promote, rolloutId: 'x/y/z' }, [east], order, 'Promote'),
    ).toBeUndefined();
  });
});

describe('moveItem', () => {
  it('moves an item one place up or down and leaves the ends in place', () => {
    expect(moveItem(['a', 'b', 'c'], 2, -1)).toEqual(['a', 'c', 'b']);
    expect(moveItem(['a', 'b', 'c'], 0, 1)).toEqual(['b', 'a', 'c']);
    const items = ['a', 'b'];
    expect(moveItem(items, 0, -1)).toBe(items);
    expect(moveItem(items, 1, 1)).toBe(items);
  });
});

describe('applyInOrder', () => {
  const steps = [
    { cluster: 'demo-east' },
    { cluster: 'demo-west' },
    { cluster: 'demo-south' },
  ];

  it('applies every step one after the other, each only once the one before answered', async () => {
    const log: string[] = [];
    const outcome = await applyInOrder(steps, async step => {
      log.push(`start ${step.cluster}`);
      await new Promise(resolve => setTimeout(resolve, 1));
      log.push(`end ${step.cluster}`);
      return `ok ${step.cluster}`;
    });
    expect(log).toEqual([
      'start demo-east',
      'end demo-east',
      'start demo-west',
      'end demo-west',
      'start demo-south',
      'end demo-south',
    ]);
    expect(outcome.applied.map(a => a.response)).toEqual([
      'ok demo-east',
      'ok demo-west',
      'ok demo-south',
    ]);
    expect(outcome.failed).toBeUndefined();
  });

  it('stops at the first failure and never tries the clusters after it', async () => {
    const apply = jest.fn(async (step: { cluster: string }) => {
      if (step.cluster === 'demo-west') throw new Error('409 Changed');
      return step.cluster;
    });
    const heard: string[] = [];
    const outcome = await applyInOrder(steps, apply, (step, state) =>
      heard.push(`${step.cluster} ${state.status}`),
    );
    expect(apply).toHaveBeenCalledTimes(2);
    expect(outcome.applied.map(a => a.step.cluster)).toEqual(['demo-east']);
    expect(outcome.failed?.step.cluster).toBe('demo-west');
    expect(outcome.notAttempted.map(s => s.cluster)).toEqual(['demo-south']);
    expect(heard).toEqual([
      'demo-east applying',
      'demo-east applied',
      'demo-west applying',
      'demo-west failed',
    ]);
  });
});

describe('describeFleetOutcome', () => {
  it('says where a complete change was applied, and which clusters were left out', () => {
    expect(
      describeFleetOutcome(
        {
          applied: [
            { step: { cluster: 'demo-east' }, response: {} },
            { step: { cluster: 'demo-west' }, response: {} },
          ],
          notAttempted: [],
        },
        ['demo-south'],
      ),
    ).toEqual({
      severity: 'success',
      title: 'Applied in demo-east and demo-west',
      detail: 'Not changed: demo-south.',
    });
  });

  it('says where it stopped and why, which clusters changed and which did not', () => {
    expect(
      describeFleetOutcome(
        {
          applied: [{ step: { cluster: 'demo-east' }, response: {} }],
          failed: {
            step: { cluster: 'demo-west' },
            error: new Error('Someone changed reviews'),
          },
          notAttempted: [{ cluster: 'demo-south' }],
        },
        ['demo-north'],
      ),
    ).toEqual({
      severity: 'error',
      title: 'Stopped at demo-west: Someone changed reviews',
      detail:
        'Changed: demo-east. Not changed: demo-west, demo-south and demo-north.',
    });
  });

  it('says nothing changed when the first cluster fails', () => {
    expect(
      describeFleetOutcome({
        applied: [],
        failed: { step: { cluster: 'demo-east' }, error: new Error('403') },
        notAttempted: [{ cluster: 'demo-west' }],
      }).detail,
    ).toBe('Changed: none. Not changed: demo-east and demo-west.');
  });
});

describe('appliedSummary', () => {
  it('puts each server summary after its cluster', () => {
    expect(
      appliedSummary([
        {
          step: { cluster: 'demo-east' },
          response: { summary: 'http[0] reviews-route: v1 50→0, v2 50→100' },
        },
        {
          step: { cluster: 'demo-west' },
          response: { summary: 'http[0] reviews-route: v1 80→0, v2 20→100' },
        },
      ]),
    ).toBe(
      'demo-east: http[0] reviews-route: v1 50→0, v2 50→100; demo-west: http[0] reviews-route: v1 80→0, v2 20→100',
    );
  });
});
