import { mockCredentials } from '@backstage/backend-test-utils';
import { NotAllowedError } from '@backstage/errors';
import { EntityMetricsService } from './EntityMetricsService';

const credentials = mockCredentials.user('user:default/guest');
const ref = { kind: 'component', namespace: 'default', name: 'reviews' };

describe('EntityMetricsService', () => {
  it('measures the rollouts the rollouts read gives, with its cluster states', async () => {
    const read = {
      entityRef: 'component:default/reviews',
      clusters: [{ name: 'east', status: 'ok' as const }],
      rollouts: [{ id: 'east/bookinfo/reviews' }] as never[],
    };
    const rollouts = { readRollouts: jest.fn(async () => read) };
    const answer = { rollouts: [] } as never;
    const reader = { read: jest.fn(async () => answer) };
    const service = new EntityMetricsService({ rollouts, reader });

    await expect(service.getMetrics(ref, credentials)).resolves.toBe(answer);
    expect(rollouts.readRollouts).toHaveBeenCalledWith(ref, credentials);
    expect(reader.read).toHaveBeenCalledWith(
      'component:default/reviews',
      read.rollouts,
      read.clusters,
    );
  });

  it('asks no Prometheus when the rollouts read refuses the caller', async () => {
    const rollouts = {
      readRollouts: jest.fn(async () => {
        throw new NotAllowedError('no');
      }),
    };
    const reader = { read: jest.fn() };
    const service = new EntityMetricsService({ rollouts, reader });
    await expect(service.getMetrics(ref, credentials)).rejects.toBeInstanceOf(
      NotAllowedError,
    );
    expect(reader.read).not.toHaveBeenCalled();
  });
});
