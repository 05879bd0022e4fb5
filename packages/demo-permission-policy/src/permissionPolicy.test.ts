import {
  AuthorizeResult,
  ConditionalPolicyDecision,
  createPermission,
} from '@backstage/plugin-permission-common';
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { PolicyQueryUser } from '@backstage/plugin-permission-node';
import {
  istioRolloutsTrafficPromotePermission,
  istioRolloutsTrafficReadPermission,
  istioRolloutsTrafficUpdatePermission,
} from '@internal/plugin-istio-rollouts-common';
import {
  DemoPermissionPolicy,
  DemoPolicyMode,
  liveDemoPolicyMode,
  readDemoPolicyMode,
} from './permissionPolicy';

const guest = {
  info: {
    userEntityRef: 'user:default/guest',
    ownershipEntityRefs: ['user:default/guest', 'group:default/team-bookinfo'],
  },
} as PolicyQueryUser;

describe('DemoPermissionPolicy', () => {
  const policy = new DemoPermissionPolicy();

  it('lets everyone read rollouts', async () => {
    const decision = await policy.handle(
      { permission: istioRolloutsTrafficReadPermission },
      guest,
    );
    expect(decision).toEqual({ result: AuthorizeResult.ALLOW });
  });

  it.each([
    ['update', istioRolloutsTrafficUpdatePermission],
    ['promote', istioRolloutsTrafficPromotePermission],
  ])(
    'answers %s with an ownership condition on the caller and their groups',
    async (_name, permission) => {
      const decision = (await policy.handle(
        { permission },
        guest,
      )) as ConditionalPolicyDecision;
      expect(decision.result).toBe(AuthorizeResult.CONDITIONAL);
      expect(decision.pluginId).toBe('catalog');
      expect(decision.resourceType).toBe('catalog-entity');
      expect(decision.conditions).toEqual({
        rule: 'IS_ENTITY_OWNER',
        resourceType: 'catalog-entity',
        params: {
          claims: ['user:default/guest', 'group:default/team-bookinfo'],
        },
      });
    },
  );

  it('gives an unknown caller an ownership condition that no entity meets', async () => {
    const decision = (await policy.handle({
      permission: istioRolloutsTrafficUpdatePermission,
    })) as ConditionalPolicyDecision;
    expect(decision.conditions).toMatchObject({ params: { claims: [] } });
  });

  it("leaves other plugins' permissions allowed", async () => {
    const other = createPermission({
      name: 'catalog.entity.delete',
      attributes: { action: 'delete' },
    });
    expect(await policy.handle({ permission: other }, guest)).toEqual({
      result: AuthorizeResult.ALLOW,
    });
  });
});

const rollouts = [
  ['read', istioRolloutsTrafficReadPermission],
  ['update', istioRolloutsTrafficUpdatePermission],
  ['promote', istioRolloutsTrafficPromotePermission],
] as const;

describe('DemoPermissionPolicy modes', () => {
  it.each(rollouts)(
    "'allow' allows %s to any user, owner or not",
    async (_name, permission) => {
      const policy = new DemoPermissionPolicy('allow');
      expect(await policy.handle({ permission }, guest)).toEqual({
        result: AuthorizeResult.ALLOW,
      });
    },
  );

  it.each(rollouts)("'deny' denies %s", async (_name, permission) => {
    const policy = new DemoPermissionPolicy('deny');
    expect(await policy.handle({ permission }, guest)).toEqual({
      result: AuthorizeResult.DENY,
    });
  });

  it("'deny' leaves other plugins' permissions allowed", async () => {
    const policy = new DemoPermissionPolicy('deny');
    const other = createPermission({
      name: 'catalog.entity.read',
      attributes: { action: 'read' },
    });
    expect(await policy.handle({ permission: other }, guest)).toEqual({
      result: AuthorizeResult.ALLOW,
    });
  });

  const sam = {
    info: {
      userEntityRef: 'user:default/sam',
      ownershipEntityRefs: ['user:default/sam', 'group:default/team-web'],
    },
  } as PolicyQueryUser;

  it.each([
    ['update-only', 'read', istioRolloutsTrafficReadPermission],
    ['update-only', 'update', istioRolloutsTrafficUpdatePermission],
    ['no-read', 'update', istioRolloutsTrafficUpdatePermission],
    ['no-read', 'promote', istioRolloutsTrafficPromotePermission],
  ] as const)(
    "'%s' lets only an entity's owners %s: an ownership condition on the caller and their groups",
    async (mode, _name, permission) => {
      const policy = new DemoPermissionPolicy(mode);
      for (const user of [guest, sam]) {
        const decision = (await policy.handle(
          { permission },
          user,
        )) as ConditionalPolicyDecision;
        expect(decision.result).toBe(AuthorizeResult.CONDITIONAL);
        expect(decision.pluginId).toBe('catalog');
        expect(decision.resourceType).toBe('catalog-entity');
        expect(decision.conditions).toEqual({
          rule: 'IS_ENTITY_OWNER',
          resourceType: 'catalog-entity',
          params: { claims: user.info.ownershipEntityRefs },
        });
      }
    },
  );

  it.each([
    ['update-only', 'promote', istioRolloutsTrafficPromotePermission],
    ['no-read', 'read', istioRolloutsTrafficReadPermission],
  ] as const)(
    "'%s' denies %s to everyone, owner or not",
    async (mode, _name, permission) => {
      const policy = new DemoPermissionPolicy(mode);
      for (const user of [guest, sam, undefined]) {
        expect(await policy.handle({ permission }, user)).toEqual({
          result: AuthorizeResult.DENY,
        });
      }
    },
  );

  it.each(['update-only', 'no-read'] as const)(
    "'%s' leaves other plugins' permissions allowed",
    async mode => {
      const policy = new DemoPermissionPolicy(mode);
      const other = createPermission({
        name: 'catalog.location.create',
        attributes: { action: 'create' },
      });
      expect(await policy.handle({ permission: other }, guest)).toEqual({
        result: AuthorizeResult.ALLOW,
      });
    },
  );

  it('asks for the mode at every decision, so a config change applies at once', async () => {
    let mode: DemoPolicyMode = 'owner';
    const policy = new DemoPermissionPolicy(() => mode);
    const permission = istioRolloutsTrafficUpdatePermission;
    expect((await policy.handle({ permission }, guest)).result).toBe(
      AuthorizeResult.CONDITIONAL,
    );
    mode = 'deny';
    expect((await policy.handle({ permission }, guest)).result).toBe(
      AuthorizeResult.DENY,
    );
  });
});

describe('readDemoPolicyMode', () => {
  it('defaults to owner', () => {
    expect(readDemoPolicyMode(new ConfigReader({}))).toBe('owner');
  });

  it.each(['owner', 'allow', 'deny', 'update-only', 'no-read'])(
    'reads %s',
    mode => {
      expect(
        readDemoPolicyMode(
          new ConfigReader({ istioRolloutsDemo: { policy: mode } }),
        ),
      ).toBe(mode);
    },
  );

  it('refuses any other value, naming the key and the choices', () => {
    expect(() =>
      readDemoPolicyMode(
        new ConfigReader({ istioRolloutsDemo: { policy: 'everyone' } }),
      ),
    ).toThrow(
      'istioRolloutsDemo.policy must be one of owner, allow, deny, update-only, no-read; got "everyone"',
    );
  });
});

describe('liveDemoPolicyMode', () => {
  it('denies, and says why once, when the config turned invalid after startup', () => {
    const logger = mockServices.logger.mock();
    const mode = liveDemoPolicyMode(
      new ConfigReader({ istioRolloutsDemo: { policy: 'nobody' } }),
      logger,
    );
    expect(mode()).toBe('deny');
    expect(mode()).toBe('deny');
    expect(logger.error).toHaveBeenCalledTimes(1);
    expect(logger.error).toHaveBeenCalledWith(
      'istioRolloutsDemo.policy must be one of owner, allow, deny, update-only, no-read; got "nobody"; denying Istio Rollouts permissions',
    );
  });
});
