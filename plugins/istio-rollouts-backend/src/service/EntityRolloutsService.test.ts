import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { RolloutsReader } from '../rollouts';
import { EntityRolloutsService } from './EntityRolloutsService';

const credentials = mockCredentials.user('user:default/guest');
const { ALLOW, DENY } = AuthorizeResult;

function component(name: string, annotations?: Record<string, string>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default', annotations },
    spec: { owner: 'group:default/team-bookinfo' },
  };
}

const reviews = component('reviews', {
  'backstage.io/kubernetes-id': 'reviews',
});
const flagged = {
  id: 'east/bookinfo/reviews-flagger',
  owner: { kind: 'Flagger' as const, effect: 'refuses-edits' as const },
};

type Decision = AuthorizeResult.ALLOW | AuthorizeResult.DENY;

function setup(decisions: Decision[][]) {
  const read = jest.fn(async () => ({
    clusters: [{ name: 'east', status: 'ok' as const }],
    rollouts: [{ id: 'east/bookinfo/reviews' }, flagged],
  }));
  const reader = {
    read,
    listClusters: jest.fn(() => [{ name: 'east', status: 'ok' as const }]),
  } as unknown as RolloutsReader;
  const permissions = mockServices.permissions.mock();
  for (const answer of decisions) {
    permissions.authorize.mockResolvedValueOnce(
      answer.map(result => ({ result })),
    );
  }
  const service = new EntityRolloutsService({
    logger: mockServices.logger.mock(),
    catalog: catalogServiceMock({
      entities: [reviews, component('details')],
    }),
    permissions,
    reader,
  });
  return { service, read, permissions };
}

describe('EntityRolloutsService', () => {
  it('reads the entity’s rollouts and adds the actions the caller may take', async () => {
    const { service, read } = setup([[ALLOW], [ALLOW, DENY]]);
    const response = await service.getRollouts(
      { kind: 'component', namespace: 'default', name: 'reviews' },
      credentials,
    );
    expect(read).toHaveBeenCalledWith(
      expect.objectContaining({
        labelSelector: 'backstage.io/kubernetes-id=reviews',
      }),
    );
    expect(response).toEqual({
      clusters: [{ name: 'east', status: 'ok' }],
      rollouts: [
        {
          id: 'east/bookinfo/reviews',
          allowedActions: ['setWeights', 'rollback', 'startCanary', 'finish'],
        },
        {
          ...flagged,
          // Why, in the server's words: the UI needs no rule of its own.
          readOnly: {
            reason: 'OwnedByController',
            message: expect.stringContaining('Managed by Flagger'),
          },
          allowedActions: [],
        },
      ],
    });
  });

  it('answers NotFoundError for an entity the caller cannot see, whatever the policy says, and reads no cluster', async () => {
    // The check runs alongside the catalog read; its answer (a denial
    // here) must not turn the 404 into a 403 that tells the entity exists.
    const { service, read } = setup([[DENY]]);
    await expect(
      service.getRollouts(
        { kind: 'component', namespace: 'default', name: 'hidden' },
        credentials,
      ),
    ).rejects.toThrow(
      new NotFoundError('Entity component:default/hidden not found'),
    );
    expect(read).not.toHaveBeenCalled();
  });

  it('answers NotAllowedError without reading any cluster when reading is denied', async () => {
    const { service, read } = setup([[DENY]]);
    await expect(
      service.getRollouts(
        { kind: 'component', namespace: 'default', name: 'reviews' },
        credentials,
      ),
    ).rejects.toBeInstanceOf(NotAllowedError);
    expect(read).not.toHaveBeenCalled();
  });

  it('explains an entity without annotations without reading any cluster', async () => {
    const { service, read } = setup([[ALLOW]]);
    const response = await service.getRollouts(
      { kind: 'component', namespace: 'default', name: 'details' },
      credentials,
    );
    expect(response).toEqual({
      clusters: [{ name: 'east', status: 'ok' }],
      rollouts: [],
      notConfigured: {
        reason: 'MissingAnnotation',
        message: expect.stringContaining('component:default/details'),
      },
    });
    expect(read).not.toHaveBeenCalled();
  });

  describe('readRollouts', () => {
    it('reads the rollouts as the read model built them, without the caller’s actions', async () => {
      const { service, read, permissions } = setup([[ALLOW]]);
      const response = await service.readRollouts(
        { kind: 'component', namespace: 'default', name: 'reviews' },
        credentials,
      );
      expect(response).toEqual({
        entityRef: 'component:default/reviews',
        clusters: [{ name: 'east', status: 'ok' }],
        rollouts: [{ id: 'east/bookinfo/reviews' }, flagged],
      });
      expect(read).toHaveBeenCalledTimes(1);
      // The read check only.
      expect(permissions.authorize).toHaveBeenCalledTimes(1);
    });

    it('is authorized as getRollouts is: 403 without reading any cluster, 404 for an unseen entity', async () => {
      const { service, read } = setup([[DENY], [DENY]]);
      await expect(
        service.readRollouts(
          { kind: 'component', namespace: 'default', name: 'reviews' },
          credentials,
        ),
      ).rejects.toBeInstanceOf(NotAllowedError);
      await expect(
        service.readRollouts(
          { kind: 'component', namespace: 'default', name: 'hidden' },
          credentials,
        ),
      ).rejects.toBeInstanceOf(NotFoundError);
      expect(read).not.toHaveBeenCalled();
    });

    it('says why an entity without annotations has nothing, without reading any cluster', async () => {
      const { service, read } = setup([[ALLOW]]);
      await expect(
        service.readRollouts(
          { kind: 'component', namespace: 'default', name: 'details' },
          credentials,
        ),
      ).resolves.toMatchObject({
        entityRef: 'component:default/details',
        rollouts: [],
        notConfigured: { reason: 'MissingAnnotation' },
      });
      expect(read).not.toHaveBeenCalled();
    });
  });
});
