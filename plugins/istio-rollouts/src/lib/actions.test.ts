import {
  Rollout,
  ROLLOUT_ACTIONS,
} from '@internal/plugin-istio-rollouts-common';
import {
  gorillaResponse,
  reviewsResponse,
  webServiceResponse,
} from '../__fixtures__/rollouts';
import { EntityAccess } from './access';
import {
  disabledReason,
  lockedSummary,
  missingPermissions,
  offeredSwitches,
} from './actions';

const reviews = reviewsResponse.rollouts[0];
const gorilla = gorillaResponse.rollouts[0];
const webService = webServiceResponse.rollouts[0];

/** web-service as the guest sees it: owned by Team Web, which the guest is not in. */
const teamWeb: EntityAccess = {
  entityTitle: 'web-service',
  owners: [{ ref: 'group:default/team-web', title: 'Team Web' }],
  userIsOwner: false,
};

describe('disabledReason', () => {
  it.each([['setWeights'], ['promote'], ['switch']] as const)(
    'allows %s to the owner',
    action => {
      expect(disabledReason(reviews, action)).toBeUndefined();
    },
  );

  it.each([
    ['setWeights', 'set weights'],
    ['rollback', 'roll back'],
    ['startCanary', 'start a canary'],
    ['promote', 'promote'],
    ['switch', 'switch'],
  ] as const)(
    'refuses %s in words: the owning team, what is locked, whom to ask',
    (action, words) => {
      const reason = disabledReason(webService, action, teamWeb);
      expect(reason).toBe(
        `Team Web owns web-service: you may view its traffic but not ${words}. Ask Team Web (group:default/team-web) for access.`,
      );
      expect(reason).not.toMatch(/istio-rollouts\./);
    },
  );

  it('says what is locked even without the owners', () => {
    expect(disabledReason(webService, 'promote')).toBe(
      'You may view this entity’s traffic but not promote. Ask its owners for access.',
    );
  });

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
      expect(disabledReason(shared, action, teamWeb)).toBe(
        shared.readOnly!.message,
      );
    }
  });

  it('reports no missing permission: none would help', () => {
    expect(missingPermissions(shared)).toEqual([]);
    expect(lockedSummary(shared, teamWeb)).toBeUndefined();
  });
});

describe('missingPermissions', () => {
  // Whatever actions exist (a new one too), the owner of reviews may take them all.
  const owned: Rollout = { ...reviews, allowedActions: [...ROLLOUT_ACTIONS] };

  it('names the permission of each locked action once', () => {
    expect(
      missingPermissions(webService, ['setWeights', 'rollback', 'promote']),
    ).toEqual([
      'istio-rollouts.traffic.update',
      'istio-rollouts.traffic.promote',
    ]);
  });

  it.each([
    [owned, []],
    [
      webService,
      ['istio-rollouts.traffic.update', 'istio-rollouts.traffic.promote'],
    ],
    [
      {
        ...owned,
        allowedActions: ROLLOUT_ACTIONS.filter(
          a => a !== 'promote' && a !== 'switch',
        ),
      },
      ['istio-rollouts.traffic.promote'],
    ],
  ] as const)('%#', (rollout, expected) => {
    expect(missingPermissions(rollout as Rollout).sort()).toEqual(
      [...expected].sort(),
    );
  });
});

describe('lockedSummary', () => {
  it('says the whole entity is read-only in words, with the permission ids apart', () => {
    expect(lockedSummary(webService, teamWeb)).toEqual({
      text: 'Team Web owns web-service: you may view its traffic but not change it. Ask Team Web (group:default/team-web) for access.',
      permissions: [
        'istio-rollouts.traffic.update',
        'istio-rollouts.traffic.promote',
      ],
    });
  });

  it('lists only the locked actions the routes offer, when some are allowed', () => {
    const updateOnly: Rollout = {
      ...reviews,
      allowedActions: ['setWeights', 'rollback', 'startCanary'],
    };
    const summary = lockedSummary(updateOnly, {
      ...teamWeb,
      userIsOwner: true,
    });
    // reviews offers no switch: only Promote has a locked button.
    expect(summary?.text).toMatch(
      /^You may view the traffic of web-service but not promote: the portal’s permission policy/,
    );
    expect(summary?.permissions).toEqual(['istio-rollouts.traffic.promote']);
  });

  it('says nothing when every offered action is allowed, or a controller owns the VirtualService', () => {
    expect(lockedSummary(reviews, teamWeb)).toBeUndefined();
    expect(
      lockedSummary(
        {
          ...reviews,
          allowedActions: ['setWeights', 'promote', 'rollback', 'startCanary'],
        },
        teamWeb,
      ),
    ).toBeUndefined();
    expect(
      lockedSummary(
        {
          ...webService,
          owner: { kind: 'Flagger', name: 'web', effect: 'refuses-edits' },
        },
        teamWeb,
      ),
    ).toBeUndefined();
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
