import { Entity } from '@backstage/catalog-model';
import {
  actionWords,
  entityAccess,
  EntityAccess,
  lockedReason,
  ownerRefsOf,
  ownerTitle,
} from './access';

function component(
  spec: NonNullable<Entity['spec']>,
  extra: Partial<Entity> = {},
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'web-service', namespace: 'default' },
    spec,
    ...extra,
  };
}

const teamWeb: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name: 'team-web', namespace: 'default', title: 'Team Web' },
  spec: { type: 'team', children: [] },
};

const webService: EntityAccess = {
  entityTitle: 'web-service',
  owners: [{ ref: 'group:default/team-web', title: 'Team Web' }],
  userIsOwner: false,
};

describe('ownerRefsOf', () => {
  it.each([
    [
      'a group by name, in the entity’s namespace',
      { owner: 'team-web' },
      ['group:default/team-web'],
    ],
    ['a full ref', { owner: 'user:default/sam' }, ['user:default/sam']],
    ['no owner', {}, []],
    ['an owner that is not a string', { owner: 42 }, []],
  ])('reads spec.owner: %s', (_, spec, expected) => {
    expect(ownerRefsOf(component(spec))).toEqual(expected);
  });

  it('prefers the catalog’s ownedBy relations, which the catalog resolved', () => {
    const entity = component(
      { owner: 'team-web' },
      {
        relations: [
          { type: 'ownedBy', targetRef: 'group:platform/team-web' },
          { type: 'partOf', targetRef: 'system:default/web' },
        ],
      },
    );
    expect(ownerRefsOf(entity)).toEqual(['group:platform/team-web']);
  });

  it('reads an owner in another namespace of the catalog from that namespace', () => {
    const entity = component({ owner: 'team-web' });
    entity.metadata.namespace = 'shop';
    expect(ownerRefsOf(entity)).toEqual(['group:shop/team-web']);
  });
});

describe('ownerTitle', () => {
  it.each([
    ['its title', teamWeb, 'Team Web'],
    [
      'its profile’s display name',
      {
        ...teamWeb,
        metadata: { name: 'team-web' },
        spec: { profile: { displayName: 'Web people' } },
      },
      'Web people',
    ],
    [
      'the name in its ref, while the catalog has not answered',
      undefined,
      'team-web',
    ],
  ])('names an owner by %s', (_, owner, expected) => {
    expect(
      ownerTitle('group:default/team-web', owner as Entity | undefined),
    ).toBe(expected);
  });
});

describe('entityAccess', () => {
  const entity = component({ owner: 'group:default/team-web' });

  it('names the owners from the catalog, and says the guest is not among them', () => {
    expect(
      entityAccess(
        entity,
        [teamWeb],
        ['user:default/guest', 'group:default/team-bookinfo'],
      ),
    ).toEqual(webService);
  });

  it('knows the user is an owner, whatever the case of the refs', () => {
    expect(
      entityAccess(entity, [], ['Group:default/Team-Web']).userIsOwner,
    ).toBe(true);
  });

  it('leaves unknown whether the user is an owner until the identity answers', () => {
    const access = entityAccess(entity);
    expect(access.userIsOwner).toBeUndefined();
    expect(access.owners).toEqual([
      { ref: 'group:default/team-web', title: 'team-web' },
    ]);
  });

  it('calls the entity by its title', () => {
    const titled = component(
      {},
      { metadata: { name: 'web', title: 'Web shop' } },
    );
    expect(entityAccess(titled).entityTitle).toBe('Web shop');
  });
});

describe('actionWords', () => {
  it.each([
    ['setWeights', 'set weights'],
    ['rollback', 'roll back'],
    ['startCanary', 'start a canary'],
    // an action this module was not told about yet still reads as words
    ['finish', 'finish'],
    ['revertDrift', 'revert drift'],
  ])('%s → %s', (action, words) => {
    expect(actionWords(action as never)).toBe(words);
  });
});

describe('lockedReason', () => {
  it('names the owning team, what the user may not do, and whom to ask', () => {
    expect(lockedReason(webService, ['setWeights', 'rollback'])).toBe(
      'Team Web owns web-service: you may view its traffic but not set weights or roll back. Ask Team Web (group:default/team-web) for access.',
    );
  });

  it('says "change it" when every action is locked', () => {
    expect(lockedReason(webService, ['setWeights', 'promote'], true)).toContain(
      'you may view its traffic but not change it.',
    );
  });

  it('names every owner', () => {
    const shared: EntityAccess = {
      ...webService,
      owners: [...webService.owners, { ref: 'user:default/sam', title: 'Sam' }],
    };
    expect(lockedReason(shared, ['promote'])).toBe(
      'Team Web and Sam own web-service: you may view its traffic but not promote. Ask Team Web (group:default/team-web) or Sam (user:default/sam) for access.',
    );
  });

  it('sends an owner the policy refuses to the administrators, not to their own team', () => {
    const text = lockedReason({ ...webService, userIsOwner: true }, [
      'promote',
      'switch',
    ]);
    expect(text).toMatch(
      /^You may view the traffic of web-service but not promote or switch: the portal’s permission policy/,
    );
    expect(text).toContain('Ask your Backstage administrators');
    expect(text).not.toContain('Ask Team Web');
  });

  it('says when the entity has no owner', () => {
    expect(
      lockedReason({ entityTitle: 'orphan', owners: [] }, ['promote']),
    ).toBe(
      'You may view the traffic of orphan but not promote. orphan has no owner in the catalog: ask your Backstage administrators for access.',
    );
  });

  it('still says what is locked without the owners', () => {
    expect(lockedReason(undefined, ['promote'])).toBe(
      'You may view this entity’s traffic but not promote. Ask its owners for access.',
    );
  });

  it.each([[webService], [{ ...webService, userIsOwner: true }], [undefined]])(
    '%#: never names a permission id',
    access => {
      expect(lockedReason(access, ['setWeights', 'promote'])).not.toMatch(
        /istio-rollouts\./,
      );
    },
  );
});
