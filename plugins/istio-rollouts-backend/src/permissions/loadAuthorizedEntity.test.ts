import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { istioRolloutsTrafficReadPermission } from '@internal/plugin-istio-rollouts-common';
import { loadAuthorizedEntity } from './loadAuthorizedEntity';

const credentials = mockCredentials.user('user:default/guest');
const reviews: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'reviews', namespace: 'default' },
};
const ref = { kind: 'component', namespace: 'default', name: 'reviews' };

function setup(entity: Entity | undefined, result: AuthorizeResult) {
  let answer: (e: Entity | undefined) => void = () => {};
  const catalog = {
    getEntityByRef: jest.fn(
      () => new Promise<Entity | undefined>(resolve => (answer = resolve)),
    ),
  } as unknown as CatalogService;
  const permissions = mockServices.permissions.mock({
    authorize: jest.fn(async () => [{ result }] as never),
  });
  const loading = loadAuthorizedEntity({
    catalog,
    permissions,
    ref,
    credentials,
    permission: istioRolloutsTrafficReadPermission,
  });
  return { loading, permissions, answer: () => answer(entity) };
}

describe('loadAuthorizedEntity', () => {
  it('asks the policy while the catalog is still answering, with the ref asked for', async () => {
    const { loading, permissions, answer } = setup(
      reviews,
      AuthorizeResult.ALLOW,
    );
    await Promise.resolve();
    expect(permissions.authorize).toHaveBeenCalledWith(
      [
        {
          permission: istioRolloutsTrafficReadPermission,
          resourceRef: 'component:default/reviews',
        },
      ],
      { credentials },
    );
    answer();
    await expect(loading).resolves.toBe(reviews);
  });

  it('answers 404 for an entity the caller cannot see, even when the policy denies', async () => {
    const { loading, answer } = setup(undefined, AuthorizeResult.DENY);
    answer();
    await expect(loading).rejects.toThrow(
      new NotFoundError('Entity component:default/reviews not found'),
    );
  });

  it('answers 403 for a visible entity the policy denies', async () => {
    const { loading, answer } = setup(reviews, AuthorizeResult.DENY);
    answer();
    await expect(loading).rejects.toThrow(NotAllowedError);
  });
});
