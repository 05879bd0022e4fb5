import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { ClaimIndex } from './ClaimIndex';

const ID = 'backstage.io/kubernetes-id';
const SELECTOR = 'backstage.io/kubernetes-label-selector';

function component(
  namespace: string,
  name: string,
  annotations?: Record<string, string>,
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { namespace, name, annotations },
    spec: { owner: `group:${namespace}/team` },
  };
}

const REVIEWS = { namespace: 'bookinfo', labels: { [ID]: 'reviews' } };

function setup(entities: Entity[]) {
  const catalog = catalogServiceMock({ entities });
  const getEntities = jest.spyOn(catalog, 'getEntities');
  let time = 0;
  const index = new ClaimIndex({
    catalog,
    auth: mockServices.auth({ pluginId: 'istio-rollouts' }),
    ttlMs: 10_000,
    now: () => time,
    logger: mockServices.logger.mock(),
  });
  const advance = (ms: number) => {
    time += ms;
  };
  return { index, getEntities, advance };
}

const ENTITIES = [
  component('default', 'reviews', { [ID]: 'reviews' }),
  component('team-b', 'reviews-copy', { [ID]: 'reviews' }),
  component('default', 'reviews-web', {
    [SELECTOR]: 'app=reviews,tier in (web)',
  }),
  component('default', 'everything', { [SELECTOR]: 'x!=y' }),
  component('default', 'details'),
];

describe('ClaimIndex', () => {
  it('loads the claims once, as the plugin, with only the fields it needs', async () => {
    const { index, getEntities } = setup(ENTITIES);

    await expect(index.claimants(REVIEWS)).resolves.toEqual([
      'component:default/reviews',
      'component:team-b/reviews-copy',
    ]);
    expect(getEntities).toHaveBeenCalledTimes(1);
    expect(getEntities).toHaveBeenCalledWith(
      {
        filter: [
          { [`metadata.annotations.${ID}`]: CATALOG_FILTER_EXISTS },
          { [`metadata.annotations.${SELECTOR}`]: CATALOG_FILTER_EXISTS },
        ],
        fields: [
          'kind',
          'metadata.namespace',
          'metadata.name',
          'metadata.annotations',
        ],
      },
      { credentials: mockCredentials.service('plugin:istio-rollouts') },
    );
    // The filter is an OR: the selector-only entity was loaded too.
    const { items } = await getEntities.mock.results[0].value;
    expect(items.map((e: Entity) => e.metadata.name).sort()).toEqual([
      'everything',
      'reviews',
      'reviews-copy',
      'reviews-web',
    ]);
  });

  it('matches selector and id entities on the same labels', async () => {
    const { index } = setup(ENTITIES);
    const labels = { [ID]: 'reviews', app: 'reviews', tier: 'web', x: 'y' };
    await expect(
      index.claimants({ namespace: 'bookinfo', labels }),
    ).resolves.toEqual([
      'component:default/reviews',
      'component:default/reviews-web',
      'component:team-b/reviews-copy',
    ]);
  });

  it('names the other claimants of a shared object', async () => {
    const { index } = setup(ENTITIES);
    await expect(
      index.sharedClaim('component:team-b/reviews-copy', REVIEWS),
    ).resolves.toEqual(['component:default/reviews']);
    await expect(
      index.sharedClaim('component:default/reviews-web', {
        namespace: 'bookinfo',
        labels: { app: 'reviews', tier: 'web' },
      }),
    ).resolves.toEqual([]);
  });

  it('serves one snapshot for many objects within the ttl, then reloads', async () => {
    const { index, getEntities, advance } = setup(ENTITIES);

    const first = await index.snapshot();
    advance(9_999);
    expect(await index.snapshot()).toBe(first);
    await index.claimants(REVIEWS);
    expect(getEntities).toHaveBeenCalledTimes(1);

    advance(1);
    const second = await index.snapshot();
    expect(second).not.toBe(first);
    expect(getEntities).toHaveBeenCalledTimes(2);
  });

  it('shares one load among concurrent callers', async () => {
    const { index, getEntities } = setup(ENTITIES);
    const results = await Promise.all([
      index.snapshot(),
      index.snapshot(),
      index.claimants(REVIEWS),
      index.sharedClaim('component:default/reviews', REVIEWS),
    ]);
    expect(getEntities).toHaveBeenCalledTimes(1);
    expect(results[0]).toBe(results[1]);
    expect(results[3]).toEqual(['component:team-b/reviews-copy']);
  });

  it('throws a failed load to every waiting caller and does not keep it', async () => {
    const { index, getEntities } = setup(ENTITIES);
    getEntities.mockRejectedValueOnce(new Error('catalog is down'));

    const calls = [index.claimants(REVIEWS), index.snapshot()];
    await expect(calls[0]).rejects.toThrow('catalog is down');
    await expect(calls[1]).rejects.toThrow('catalog is down');
    expect(getEntities).toHaveBeenCalledTimes(1);

    // No time has passed: the next caller loads again.
    await expect(index.claimants(REVIEWS)).resolves.toHaveLength(2);
    expect(getEntities).toHaveBeenCalledTimes(2);
  });

  it('sees a new claimant after the ttl', async () => {
    const reviews = component('default', 'reviews', { [ID]: 'reviews' });
    const { index, getEntities, advance } = setup([reviews]);
    await expect(
      index.sharedClaim('component:default/reviews', REVIEWS),
    ).resolves.toEqual([]);

    const later = catalogServiceMock({
      entities: [
        reviews,
        component('team-b', 'reviews-copy', { [ID]: 'reviews' }),
      ],
    });
    getEntities.mockImplementation((request, options) =>
      later.getEntities(request, options),
    );
    advance(10_000);
    await expect(
      index.sharedClaim('component:default/reviews', REVIEWS),
    ).resolves.toEqual(['component:team-b/reviews-copy']);
  });
});
