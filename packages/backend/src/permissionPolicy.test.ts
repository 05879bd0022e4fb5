import {
  AuthorizeResult,
  ConditionalPolicyDecision,
  createPermission,
} from '@backstage/plugin-permission-common';
import { PolicyQueryUser } from '@backstage/plugin-permission-node';
import {
  istioRolloutsTrafficPromotePermission,
  istioRolloutsTrafficReadPermission,
  istioRolloutsTrafficUpdatePermission,
} from '@internal/plugin-istio-rollouts-common';
import { DemoPermissionPolicy } from './permissionPolicy';

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
