import type { ClusterDetails } from './types';
import { readingMessage } from './readingMessage';

const east = {
  name: 'demo-east',
  url: 'http://127.0.0.1:6551',
} as ClusterDetails;

describe('readingMessage', () => {
  it('names the configured clusters, the catalog, the timeout and the cache', () => {
    expect(
      readingMessage({
        configured: [east],
        catalog: true,
        timeoutMs: 5000,
        watch: true,
      }),
    ).toBe(
      'Reading Istio rollouts from demo-east (http://127.0.0.1:6551) and the clusters the catalog locates; 5000 ms per cluster; later reads of an entity from watches',
    );
    expect(
      readingMessage({
        configured: [],
        catalog: true,
        timeoutMs: 5000,
        watch: false,
      }),
    ).toBe(
      'Reading Istio rollouts from no configured cluster and the clusters the catalog locates; 5000 ms per cluster; every read lists (istioRollouts.cache.watch: false)',
    );
  });

  it('says how to configure a cluster when there is none', () => {
    expect(
      readingMessage({
        configured: [],
        catalog: false,
        timeoutMs: 5000,
        watch: true,
      }),
    ).toMatch(/^No clusters configured: set /);
  });
});
