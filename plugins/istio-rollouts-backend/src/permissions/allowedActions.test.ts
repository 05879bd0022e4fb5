import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  istioRolloutsTrafficPromotePermission,
  istioRolloutsTrafficUpdatePermission,
} from '@internal/plugin-istio-rollouts-common';
import { actionsForRollout, authorizeRolloutActions } from './allowedActions';

const credentials = mockCredentials.user('user:default/guest');
const resourceRef = 'component:default/reviews';
const { ALLOW, DENY } = AuthorizeResult;

describe('authorizeRolloutActions', () => {
  it.each([
    [
      ALLOW,
      ALLOW,
      ['setWeights', 'promote', 'rollback', 'switch', 'startCanary', 'finish'],
    ],
    [ALLOW, DENY, ['setWeights', 'rollback', 'startCanary', 'finish']],
    [DENY, ALLOW, ['promote', 'switch']],
    [DENY, DENY, []],
  ])('update %s and promote %s give %j', async (update, promote, expected) => {
    const permissions = mockServices.permissions.mock({
      authorize: jest.fn(async () => [{ result: update }, { result: promote }]),
    });
    expect(
      await authorizeRolloutActions({ permissions, credentials, resourceRef }),
    ).toEqual(expected);
  });

  it('offers a service principal nothing, whatever it may do elsewhere: only users act', async () => {
    const permissions = mockServices.permissions.mock({
      authorize: jest.fn(async () => [{ result: ALLOW }, { result: ALLOW }]),
    });
    expect(
      await authorizeRolloutActions({
        permissions,
        credentials: mockCredentials.service('external:reliability-script'),
        resourceRef,
      }),
    ).toEqual([]);
    expect(permissions.authorize).not.toHaveBeenCalled();
  });

  it('asks once, for both permissions, with the entity ref', async () => {
    const permissions = mockServices.permissions.mock({
      authorize: jest.fn(async () => [{ result: ALLOW }, { result: ALLOW }]),
    });
    await authorizeRolloutActions({ permissions, credentials, resourceRef });
    expect(permissions.authorize).toHaveBeenCalledTimes(1);
    expect(permissions.authorize).toHaveBeenCalledWith(
      [
        { permission: istioRolloutsTrafficUpdatePermission, resourceRef },
        { permission: istioRolloutsTrafficPromotePermission, resourceRef },
      ],
      { credentials },
    );
  });
});

describe('actionsForRollout', () => {
  const all = ['setWeights', 'promote', 'rollback'] as const;

  it('offers what the caller may do on a rollout nobody else manages', () => {
    expect(actionsForRollout({}, [...all])).toEqual(all);
  });

  it('offers nothing on a rollout a progressive-delivery controller owns', () => {
    expect(
      actionsForRollout(
        { owner: { kind: 'Flagger', effect: 'refuses-edits' } },
        [...all],
      ),
    ).toEqual([]);
  });

  it('still offers actions when a GitOps tool only may revert them', () => {
    expect(
      actionsForRollout({ owner: { kind: 'ArgoCD', effect: 'may-revert' } }, [
        ...all,
      ]),
    ).toEqual(all);
  });
});
