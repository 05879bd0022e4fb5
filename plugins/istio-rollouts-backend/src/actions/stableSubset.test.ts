import {
  ActionValidationError,
  readRoutePhase,
  Route,
  routeState,
} from '@internal/plugin-istio-rollouts-common';
import { chooseStableSubset } from './stableSubset';

const destinations = [
  { host: 'reviews', subset: 'v1', weight: 0 },
  { host: 'reviews', subset: 'v2', weight: 100 },
];
const route: Omit<Route, 'offers'> = {
  kind: 'http',
  index: 0,
  name: 'reviews-route',
  match: 'prefix /reviews',
  destinations,
  // Promoted: v2 serves the route, v1 is retired.
  state: routeState(readRoutePhase({ destinations }), {}),
};
const rollout = { id: 'demo-east/bookinfo/reviews', stableSubset: 'v2' };

const history = (subset?: string) => ({
  stableSubsetBefore: jest.fn(async () => subset),
});

describe('chooseStableSubset', () => {
  it('prefers the history, which remembers the stable subset across a promote', async () => {
    const store = history('v1');
    await expect(
      chooseStableSubset({ history: store, rollout, route }),
    ).resolves.toEqual({ subset: 'v1', source: 'history' });
    expect(store.stableSubsetBefore).toHaveBeenCalledWith(
      'demo-east/bookinfo/reviews',
      { kind: 'http', index: 0 },
    );
  });

  it('falls back to the read model without history', async () => {
    await expect(
      chooseStableSubset({ history: history(), rollout, route }),
    ).resolves.toEqual({ subset: 'v2', source: 'readModel' });
  });

  it('ignores a recorded subset that is no longer a destination of the route', async () => {
    await expect(
      chooseStableSubset({ history: history('v0'), rollout, route }),
    ).resolves.toEqual({ subset: 'v2', source: 'readModel' });
  });

  it('names a host for a host-level split', async () => {
    const hosts: Omit<Route, 'offers'> = {
      ...route,
      destinations: [
        { host: 'podinfo-primary', weight: 90 },
        { host: 'podinfo-canary', weight: 10 },
      ],
    };
    await expect(
      chooseStableSubset({
        history: history('podinfo-primary'),
        rollout: { id: 'x/y/z' },
        route: hosts,
      }),
    ).resolves.toEqual({ subset: 'podinfo-primary', source: 'history' });
  });

  it('refuses on action, explaining, when neither knows a stable subset', async () => {
    const error = await chooseStableSubset({
      history: history('v0'),
      rollout: { id: 'x/y/z' },
      route: { ...route, state: { ...route.state, stableSubset: undefined } },
    }).catch(e => e);
    expect(error).toBeInstanceOf(ActionValidationError);
    expect(error.message).toBe(
      'action: rollback needs a stable subset to return to, and route http[0] reviews-route has none: no recorded change ' +
        'of it started from one subset holding all the traffic (the history names "v0", which is no longer a destination ' +
        'of the route), and its current split names no stable subset. Use setWeights or promote to choose where the traffic goes.',
    );
  });
});
