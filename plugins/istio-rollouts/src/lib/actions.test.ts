import { Rollout } from '@internal/plugin-istio-rollouts-common';
import {
  gorillaResponse,
  reviewsResponse,
  webServiceResponse,
} from '../__fixtures__/rollouts';
import { disabledReason, missingPermissions, offeredSwitches } from './actions';

const reviews = reviewsResponse.rollouts[0];
const gorilla = gorillaResponse.rollouts[0];
const webService = webServiceResponse.rollouts[0];

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

describe('a rollout the server made read-only', () => {
  const shared: Rollout = {
    ...reviews,
    allowedActions: [],
    readOnly: {
      reason: 'SharedClaim',
      message:
        'VirtualService bookinfo/reviews in cluster "demo-east" is claimed by component:default/copycat as well.',
    },
  };

  it('gives the server’s reason on every button, not a missing permission', () => {
    for (const action of ['setWeights', 'promote', 'rollback'] as const) {
      expect(disabledReason(shared, action)).toBe(shared.readOnly!.message);
    }
  });

  it('reports no missing permission: none would help', () => {
    expect(missingPermissions(shared)).toEqual([]);
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

describe('offeredSwitches', () => {
  it('lists the switch the read model offers, with the header route it names', () => {
    const [offered] = offeredSwitches(gorilla);
    expect(offered.offer).toMatchObject({ idle: 'green', live: 'blue' });
    expect(offered.route.name).toBe('default');
    expect(offered.headerRoute?.name).toBe('green-by-header');
  });

  it.each([
    ['a weighted canary', reviews],
    ['a blue/green split by weight', webService],
  ])('lists none for %s', (_, rollout) => {
    expect(offeredSwitches(rollout)).toEqual([]);
  });
});
