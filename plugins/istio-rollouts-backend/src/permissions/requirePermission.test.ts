import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { NotAllowedError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  istioRolloutsTrafficPromotePermission,
  istioRolloutsTrafficReadPermission,
} from '@internal/plugin-istio-rollouts-common';
import { requirePermission } from './requirePermission';

const credentials = mockCredentials.user('user:default/guest');
const resourceRef = 'component:default/reviews';

describe('requirePermission', () => {
  it('authorizes the permission against the entity ref', async () => {
    const permissions = mockServices.permissions.mock({
      authorize: jest.fn(async () => [{ result: AuthorizeResult.ALLOW }]),
    });
    await requirePermission({
      permissions,
      credentials,
      permission: istioRolloutsTrafficReadPermission,
      resourceRef,
    });
    expect(permissions.authorize).toHaveBeenCalledWith(
      [{ permission: istioRolloutsTrafficReadPermission, resourceRef }],
      { credentials },
    );
  });

  it('throws NotAllowedError naming the permission and entity when denied', async () => {
    const permissions = mockServices.permissions.mock({
      authorize: jest.fn(async () => [{ result: AuthorizeResult.DENY }]),
    });
    const error = await requirePermission({
      permissions,
      credentials,
      permission: istioRolloutsTrafficReadPermission,
      resourceRef,
    }).catch(e => e);
    expect(error).toBeInstanceOf(NotAllowedError);
    expect(error.message).toBe(
      'You are not allowed istio-rollouts.traffic.read on component:default/reviews',
    );
  });

  it('authorizes several permissions in one batch and names the first denied', async () => {
    const permissions = mockServices.permissions.mock({
      authorize: jest.fn(async () => [
        { result: AuthorizeResult.ALLOW },
        { result: AuthorizeResult.DENY },
      ]),
    });
    const error = await requirePermission({
      permissions,
      credentials,
      permission: [
        istioRolloutsTrafficPromotePermission,
        istioRolloutsTrafficReadPermission,
      ],
      resourceRef,
    }).catch(e => e);
    expect(permissions.authorize).toHaveBeenCalledTimes(1);
    expect(error.message).toBe(
      'You are not allowed istio-rollouts.traffic.read on component:default/reviews',
    );
  });
});
