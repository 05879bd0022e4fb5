import { mockServices } from '@backstage/backend-test-utils';
import type { ClusterObjects } from '@internal/plugin-istio-rollouts-common';
import { ApiException } from '@kubernetes/client-node';
import { WatchCache } from '../cache';
import { ClusterDetails, ClusterSource, UnavailableCluster } from '../clusters';
import {
  ClusterClient,
  ClusterClients,
  IstioVersionCache,
} from '../kubernetes';
import { RolloutReadModel, RolloutsReader } from './RolloutsReader';
import {
  fakeClusterClient,
  kubeObject,
  listing,
} from '../__testUtils__/clusterClients';

const selection = { labelSelector: 'backstage.io/kubernetes-id=reviews' };

function cluster(name: string, title?: string): ClusterDetails {
  return {
    name,
    title,
    url: `https://${name}.example.com`,
    skipTLSVerify: false,
    allowInsecureHttp: true,
    impersonate: false,
  };
}

/** A stand-in for the read model: one rollout per cluster, named after it. */
function fakeBuild(objects: ClusterObjects): RolloutReadModel[] {
  return [
    {
      id: `${objects.cluster}/bookinfo/reviews`,
      cluster: objects.cluster,
      namespace: 'bookinfo',
      name: 'reviews',
      apiVersion: `networking.istio.io/${objects.istioVersion}`,
      resourceVersion: '1',
      hosts: ['reviews'],
      gateways: [],
      routes: [],
      subsets: [],
      state: { phase: 'stable', label: 'stable', description: '' },
      phase: 'stable',
      findings: [],
    },
  ];
}

function reader(
  clusters: ClusterDetails[],
  clients: Record<string, ClusterClient>,
  timeoutMs = 1000,
) {
  return new RolloutsReader({
    clusters,
    timeoutMs,
    clients: new ClusterClients(async c => clients[c.name]),
    versions: new IstioVersionCache(),
    buildRollouts: fakeBuild,
    logger: mockServices.logger.mock(),
  });
}

describe('RolloutsReader', () => {
  it('reads every cluster and keeps the configured order', async () => {
    const result = await reader([cluster('east', 'East'), cluster('west')], {
      east: fakeClusterClient(),
      west: fakeClusterClient(),
    }).read(selection);
    expect(result.clusters).toEqual([
      { name: 'east', title: 'East', status: 'ok' },
      { name: 'west', status: 'ok' },
    ]);
    expect(result.rollouts.map(r => r.id)).toEqual([
      'east/bookinfo/reviews',
      'west/bookinfo/reviews',
    ]);
  });

  it('turns one cluster’s failure into its error entry and keeps the others', async () => {
    const result = await reader([cluster('east'), cluster('west')], {
      east: fakeClusterClient({
        list: async kind => {
          if (kind === 'services')
            throw new ApiException(403, 'Forbidden', '{"message":"nope"}', {});
          return { items: [], resourceVersion: '1' };
        },
      }),
      west: fakeClusterClient(),
    }).read(selection);
    expect(result.clusters).toEqual([
      {
        name: 'east',
        status: 'error',
        error: {
          reason: 'Forbidden',
          message: expect.stringMatching(/^Cluster "east" refused.*: nope$/),
        },
      },
      { name: 'west', status: 'ok' },
    ]);
    expect(result.rollouts.map(r => r.cluster)).toEqual(['west']);
  });

  describe('with a cluster that hangs', () => {
    beforeEach(() => jest.useFakeTimers());
    afterEach(() => jest.useRealTimers());

    it('answers Timeout for it once its budget is spent, aborting its requests', async () => {
      let hungSignal: AbortSignal | undefined;
      const hung = fakeClusterClient({
        list: (_kind, { signal }) => {
          hungSignal = signal;
          return new Promise<never>(() => {});
        },
      });
      const pending = reader(
        [cluster('east'), cluster('west')],
        { east: hung, west: fakeClusterClient() },
        1500,
      ).read(selection);

      await jest.advanceTimersByTimeAsync(1500);
      const result = await pending;
      expect(result.clusters).toEqual([
        {
          name: 'east',
          status: 'error',
          error: {
            reason: 'Timeout',
            message: 'Cluster "east" did not answer within 1500 ms',
          },
        },
        { name: 'west', status: 'ok' },
      ]);
      expect(result.rollouts.map(r => r.cluster)).toEqual(['west']);
      expect(hungSignal?.aborted).toBe(true);
    });
  });

  it('lists the configured clusters without contacting them', () => {
    const east = fakeClusterClient();
    const r = reader([cluster('east', 'East')], { east });
    expect(r.listClusters()).toEqual([
      { name: 'east', title: 'East', status: 'ok' },
    ]);
    expect(east.getIstioVersions).not.toHaveBeenCalled();
  });

  describe('readOne, for an action', () => {
    it('answers one cluster’s raw objects with the rollouts built from them', async () => {
      const vs = { kind: 'VirtualService', metadata: { name: 'reviews' } };
      const r = reader([cluster('east'), cluster('west')], {
        east: fakeClusterClient({ list: listing({ virtualservices: [vs] }) }),
        west: fakeClusterClient(),
      });
      const east = r.findCluster('east')!;
      const result = await r.readOne(east, selection);
      expect(result.objects.virtualServices).toEqual([vs]);
      expect(result.rollouts.map(x => x.id)).toEqual(['east/bookinfo/reviews']);
      expect(r.findCluster('nowhere')).toBeUndefined();
    });

    it('throws the cluster’s failure, worded and naming the cluster', async () => {
      const r = reader([cluster('east')], {
        east: fakeClusterClient({
          list: async kind => {
            if (kind === 'services')
              throw new ApiException(503, 'Unavailable', '', {});
            return { items: [], resourceVersion: '1' };
          },
        }),
      });
      await expect(
        r.readOne(r.findCluster('east')!, selection),
      ).rejects.toMatchObject({
        name: 'ClusterReadError',
        reason: 'ServerError',
        message: expect.stringMatching(/^Cluster "east" answered 503/),
      });
    });
  });

  it('builds the read model again only when an object is not the one it was built from', async () => {
    let vs = kubeObject('VirtualService', 'reviews', 'bookinfo');
    const client = fakeClusterClient({
      list: async kind => ({
        items: kind === 'virtualservices' ? [vs] : [],
        resourceVersion: '1',
      }),
    });
    const build = jest.fn(fakeBuild);
    const r = new RolloutsReader({
      clusters: [cluster('east')],
      timeoutMs: 1000,
      clients: new ClusterClients(async () => client),
      versions: new IstioVersionCache(),
      buildRollouts: build,
      logger: mockServices.logger.mock(),
    });
    const first = await r.read(selection);
    expect((await r.read(selection)).rollouts[0]).toBe(first.rollouts[0]);
    expect(build).toHaveBeenCalledTimes(1);

    vs = { ...vs, metadata: { ...vs.metadata, resourceVersion: '2' } };
    await r.read(selection);
    expect(build).toHaveBeenCalledTimes(2);
    expect(build.mock.calls[1][0].virtualServices).toEqual([vs]);
  });

  describe('with a cluster source whose list changes (clusters from the catalog)', () => {
    const harvest: UnavailableCluster = {
      name: 'harvest',
      title: 'Harvest',
      error: {
        reason: 'MissingCredentials',
        message:
          'Cluster "harvest" is located by the catalog (resource:default/harvest) …',
      },
    };

    function located(name: string, url: string): ClusterDetails {
      return {
        ...cluster(name),
        url,
        catalog: { entityRef: `resource:default/${name}`, credentials: 0 },
      };
    }

    function source(
      list: ClusterDetails[],
      unavailable: UnavailableCluster[] = [],
    ) {
      const current = { list, unavailable };
      const clusterSource: ClusterSource = {
        list: () => current.list,
        unavailable: () => current.unavailable,
      };
      return { current, clusterSource };
    }

    it('reads the clusters there are at each read, and reports those it never contacts after the others', async () => {
      const { current, clusterSource } = source([cluster('east')], [harvest]);
      const factory = jest.fn(async (_c: ClusterDetails) =>
        fakeClusterClient(),
      );
      const r = new RolloutsReader({
        clusters: clusterSource,
        timeoutMs: 1000,
        clients: new ClusterClients(factory),
        versions: new IstioVersionCache(),
        buildRollouts: fakeBuild,
        logger: mockServices.logger.mock(),
      });
      expect((await r.read(selection)).clusters).toEqual([
        { name: 'east', status: 'ok' },
        {
          name: 'harvest',
          title: 'Harvest',
          status: 'error',
          error: harvest.error,
        },
      ]);
      // Never contacted: no client was even made for it.
      expect(factory.mock.calls.map(([c]) => c.name)).toEqual(['east']);
      expect(r.listClusters()).toEqual([{ name: 'east', status: 'ok' }]);
      expect(r.findCluster('harvest')).toBeUndefined();

      current.list = [
        cluster('east'),
        located('prod', 'https://prod.example.com'),
      ];
      current.unavailable = [];
      const read = await r.read(selection);
      expect(read.clusters.map(c => c.name)).toEqual(['east', 'prod']);
      expect(read.rollouts.map(x => x.id)).toEqual([
        'east/bookinfo/reviews',
        'prod/bookinfo/reviews',
      ]);
      expect(r.findCluster('prod')?.url).toBe('https://prod.example.com');
    });

    it('reads a catalog cluster moved to another API server through a new client, never from the old one’s watches', async () => {
      const vs = (n: string) => kubeObject('VirtualService', n, 'bookinfo');
      const clients: Record<string, ClusterClient> = {
        'https://one.example.com': fakeClusterClient({
          list: listing({ virtualservices: [vs('from-one')] }),
        }),
        'https://two.example.com': fakeClusterClient({
          list: listing({ virtualservices: [vs('from-two')] }),
        }),
      };
      const { current, clusterSource } = source([
        located('prod', 'https://one.example.com'),
      ]);
      const cache = new WatchCache({ logger: mockServices.logger.mock() });
      const r = new RolloutsReader({
        clusters: clusterSource,
        timeoutMs: 1000,
        clients: new ClusterClients(async c => clients[c.url]),
        versions: new IstioVersionCache(),
        cache,
        buildRollouts: objects =>
          objects.virtualServices.map(v => ({
            ...fakeBuild(objects)[0],
            name: v.metadata!.name!,
          })),
        logger: mockServices.logger.mock(),
      });
      try {
        await r.read(selection);
        await cache.whenSynced('prod at https://one.example.com', selection);
        expect((await r.read(selection)).rollouts.map(x => x.name)).toEqual([
          'from-one',
        ]);

        current.list = [located('prod', 'https://two.example.com')];
        expect((await r.read(selection)).rollouts.map(x => x.name)).toEqual([
          'from-two',
        ]);
      } finally {
        cache.stop();
      }
    });
  });
});
