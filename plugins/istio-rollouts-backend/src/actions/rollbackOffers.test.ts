import { mockServices } from '@backstage/backend-test-utils';
import {
  buildRollouts,
  ClusterObjects,
} from '@internal/plugin-istio-rollouts-common';
import { withRecordedRollbacks } from './rollbackOffers';

/** reviews after a promote: v1 0 / v2 100, both subsets defined and ready. */
function promotedReviews(): ClusterObjects {
  const deployment = (version: string) => ({
    kind: 'Deployment',
    metadata: { name: `reviews-${version}`, namespace: 'bookinfo' },
    spec: {
      template: { metadata: { labels: { app: 'reviews', version } } },
    },
    status: { readyReplicas: 1 },
  });
  return {
    cluster: 'east',
    istioVersion: 'v1',
    virtualServices: [
      {
        kind: 'VirtualService',
        metadata: {
          name: 'reviews',
          namespace: 'bookinfo',
          resourceVersion: '7',
        },
        spec: {
          hosts: ['reviews'],
          http: [
            {
              route: [
                { destination: { host: 'reviews', subset: 'v1' }, weight: 0 },
                { destination: { host: 'reviews', subset: 'v2' }, weight: 100 },
              ],
            },
          ],
        },
      },
    ],
    destinationRules: [
      {
        kind: 'DestinationRule',
        metadata: { name: 'reviews', namespace: 'bookinfo' },
        spec: {
          host: 'reviews',
          subsets: ['v1', 'v2'].map(name => ({
            name,
            labels: { version: name },
          })),
        },
      },
    ],
    deployments: [deployment('v1'), deployment('v2')],
    services: [],
    namespaces: [],
  };
}

const http0 = {
  rolloutId: 'east/bookinfo/reviews',
  kind: 'http' as const,
  index: 0,
};

describe('withRecordedRollbacks', () => {
  it('offers the rollback to the subset the history recorded, on a copy of the read model', async () => {
    const objects = promotedReviews();
    const rollouts = buildRollouts(objects);
    // The split alone reads v2 as stable: nothing to roll back to.
    expect(rollouts[0].routes[0].offers.rollback).toBeUndefined();
    const history = {
      routesWithHistory: jest.fn(async () => [http0]),
      stableSubsetBefore: jest.fn(async () => 'v1'),
    };
    const [rollout] = await withRecordedRollbacks({
      history,
      objects: [objects],
      rollouts,
    });
    expect(rollout.routes[0].offers.rollback).toEqual({
      subset: 'v1',
      source: 'history',
    });
    expect(rollouts[0].routes[0].offers.rollback).toBeUndefined();
    expect(history.routesWithHistory).toHaveBeenCalledWith([
      'east/bookinfo/reviews',
    ]);
  });

  it('asks for nothing more when no route has history', async () => {
    const objects = promotedReviews();
    const rollouts = buildRollouts(objects);
    const history = {
      routesWithHistory: jest.fn(async () => []),
      stableSubsetBefore: jest.fn(),
    };
    expect(
      await withRecordedRollbacks({ history, objects: [objects], rollouts }),
    ).toEqual(rollouts);
    expect(history.stableSubsetBefore).not.toHaveBeenCalled();
  });

  it('keeps the read model’s offers when the history cannot be read, and says so', async () => {
    const objects = promotedReviews();
    const rollouts = buildRollouts(objects);
    const logger = mockServices.logger.mock();
    const history = {
      routesWithHistory: jest.fn(async () => {
        throw new Error('database is down');
      }),
      stableSubsetBefore: jest.fn(),
    };
    expect(
      await withRecordedRollbacks({
        history,
        objects: [objects],
        rollouts,
        logger,
      }),
    ).toBe(rollouts);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('database is down'),
    );
  });
});
