import { Rollout, Route } from '@internal/plugin-istio-rollouts-common';
import {
  gorillaResponse,
  reviewsResponse,
  webServiceResponse,
} from '../__fixtures__/rollouts';
import {
  canarySubsets,
  disabledReason,
  findSwitchPair,
  isAllOn,
  missingPermissions,
  promoteTarget,
} from './actions';

const reviews = reviewsResponse.rollouts[0];
const gorilla = gorillaResponse.rollouts[0];
const webService = webServiceResponse.rollouts[0];

const withRoute = (rollout: Rollout, weights: Record<string, number>) => {
  const route: Route = {
    ...rollout.routes[0],
    destinations: Object.entries(weights).map(([subset, weight]) => ({
      host: rollout.hosts[0],
      subset,
      weight,
    })),
  };
  return { rollout: { ...rollout, routes: [route] }, route };
};

describe('disabledReason', () => {
  it.each([['setWeights'], ['promote'], ['switch']] as const)(
    'allows %s to the owner',
    action => {
      expect(disabledReason(reviews, action)).toBeUndefined();
    },
  );

  it.each([
    [webService, 'setWeights', /istio-rollouts\.traffic\.update/],
    [webService, 'rollback', /istio-rollouts\.traffic\.update/],
    [webService, 'startCanary', /istio-rollouts\.traffic\.update/],
    [webService, 'promote', /istio-rollouts\.traffic\.promote/],
    [webService, 'switch', /istio-rollouts\.traffic\.promote/],
  ] as const)(
    '%#: refuses %s, naming the permission',
    (rollout, action, expected) => {
      expect(disabledReason(rollout, action)).toMatch(expected);
    },
  );

  it('names a controller that refuses edits before any permission', () => {
    const owned: Rollout = {
      ...reviews,
      allowedActions: [],
      owner: { kind: 'ArgoRollouts', name: 'reviews', effect: 'refuses-edits' },
    };
    expect(disabledReason(owned, 'setWeights')).toMatch(
      /^Managed by Argo Rollouts \(reviews\).*through Argo Rollouts/,
    );
  });
});

describe('missingPermissions', () => {
  it.each([
    [reviews, []],
    [
      webService,
      ['istio-rollouts.traffic.update', 'istio-rollouts.traffic.promote'],
    ],
    [
      { ...reviews, allowedActions: ['setWeights', 'rollback', 'startCanary'] },
      ['istio-rollouts.traffic.promote'],
    ],
  ] as const)('%#', (rollout, expected) => {
    expect(missingPermissions(rollout as Rollout).sort()).toEqual(
      [...expected].sort(),
    );
  });
});

describe('promoteTarget', () => {
  it.each([
    // reviews: canary v2 at 50%
    [{ v1: 50, v2: 50 }, 'v2'],
    // web-service: green idle at 0
    [{ v1: 100, v2: 0 }, 'v2'],
    // already promoted: the other side
    [{ v1: 0, v2: 100 }, 'v1'],
    // a single destination: nothing to promote
    [{ v1: 100 }, undefined],
  ])('%j → %s', (weights, expected) => {
    const { rollout, route } = withRoute(reviews, weights);
    expect(promoteTarget(rollout, route)).toBe(expected);
  });
});

describe('isAllOn', () => {
  it.each([
    [{ v1: 100, v2: 0 }, 'v1', true],
    [{ v1: 50, v2: 50 }, 'v1', false],
    [{ v1: 0, v2: 0 }, 'v1', false],
  ])('%j on %s is %s', (weights, key, expected) => {
    const { route } = withRoute(reviews, weights);
    expect(isAllOn(route, key)).toBe(expected);
  });
});

describe('canarySubsets', () => {
  it('offers the DestinationRule subsets the route does not list yet', () => {
    expect(canarySubsets(reviews, reviews.routes[0])).toEqual(['v3']);
    expect(canarySubsets(webService, webService.routes[0])).toEqual([]);
  });
});

describe('findSwitchPair', () => {
  it('finds the header route and the default route of a blue/green pair', () => {
    const pair = findSwitchPair(gorilla);
    expect(pair).toMatchObject({ idle: 'green', live: 'blue' });
    expect(pair?.headerRoute.name).toBe('green-by-header');
    expect(pair?.defaultRoute.name).toBe('default');
  });

  it.each([
    ['a weighted canary', reviews],
    ['a blue/green split by weight', webService],
  ])('finds none for %s', (_, rollout) => {
    expect(findSwitchPair(rollout)).toBeUndefined();
  });
});
