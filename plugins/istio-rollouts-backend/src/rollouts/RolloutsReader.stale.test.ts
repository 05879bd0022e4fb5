import { mockServices } from '@backstage/backend-test-utils';
import type { ClusterObjects } from '@internal/plugin-istio-rollouts-common';
import { ApiException } from '@kubernetes/client-node';
import { ClusterDetails } from '../clusters';
import { ClusterClients, IstioVersionCache } from '../kubernetes';
import { fakeClusterClient, kubeObject } from '../__testUtils__/clusterClients';
import { RolloutReadModel, RolloutsReader } from './RolloutsReader';

const selection = { labelSelector: 'backstage.io/kubernetes-id=reviews' };

function cluster(name: string): ClusterDetails {
  return {
    name,
    url: `https://${name}.example.com`,
    skipTLSVerify: false,
    allowInsecureHttp: true,
    impersonate: false,
  };
}

/** One rollout per VirtualService, named after its cluster (only what the reader looks at). */
function build(objects: ClusterObjects): RolloutReadModel[] {
  return objects.virtualServices.map(vs => ({
    id: `${objects.cluster}/bookinfo/${vs.metadata?.name}`,
    cluster: objects.cluster,
    namespace: 'bookinfo',
    name: vs.metadata?.name ?? '',
    apiVersion: 'networking.istio.io/v1',
    resourceVersion: '1',
    hosts: [],
    gateways: [],
    routes: [],
    subsets: [],
    phase: 'stable',
    findings: [],
  })) as unknown as RolloutReadModel[];
}

/** A cluster holding VirtualService reviews, until `failure` is set: then every list throws it. */
function switchableCluster() {
  const state: { failure?: unknown } = {};
  const client = fakeClusterClient({
    list: async kind => {
      if (state.failure) throw state.failure;
      return {
        items:
          kind === 'virtualservices'
            ? [kubeObject('VirtualService', 'reviews', 'bookinfo')]
            : [],
        resourceVersion: '1',
      };
    },
  });
  return { client, state };
}

describe('RolloutsReader, when a cluster stops answering', () => {
  let now: number;
  const east = switchableCluster();
  const west = switchableCluster();

  function reader(lastKnownMaxAgeMs?: number) {
    return new RolloutsReader({
      clusters: [cluster('east'), cluster('west')],
      timeoutMs: 1000,
      clients: new ClusterClients(async c =>
        c.name === 'east' ? east.client : west.client,
      ),
      versions: new IstioVersionCache(),
      buildRollouts: build,
      logger: mockServices.logger.mock(),
      lastKnownMaxAgeMs,
      now: () => now,
    });
  }

  beforeEach(() => {
    now = Date.parse('2026-12-01T10:00:00.000Z');
    east.state.failure = undefined;
    west.state.failure = undefined;
  });

  it('shows its last-known rollouts marked stale, with its error entry, beside the fresh cluster', async () => {
    const r = reader();
    await r.read(selection);
    now += 40_000;
    west.state.failure = new ApiException(503, 'Unavailable', '', {});
    const result = await r.read(selection);

    expect(result.clusters).toEqual([
      { name: 'east', status: 'ok' },
      {
        name: 'west',
        status: 'error',
        error: expect.objectContaining({ reason: 'ServerError' }),
      },
    ]);
    expect(result.rollouts).toEqual([
      expect.not.objectContaining({ stale: expect.anything() }),
      expect.objectContaining({
        id: 'west/bookinfo/reviews',
        stale: { lastSeen: '2026-12-01T10:00:00.000Z', reason: 'ServerError' },
      }),
    ]);
    // No objects for the silent cluster: nothing downstream (locks, history) decides from memory.
    expect(result.objects.map(o => o.cluster)).toEqual(['east']);
  });

  it('keeps the time it last answered while it stays silent, and is fresh again once it answers', async () => {
    const r = reader();
    await r.read(selection);
    west.state.failure = Object.assign(new Error('connect ECONNREFUSED'), {
      code: 'ECONNREFUSED',
    });
    now += 10_000;
    await r.read(selection);
    now += 10_000;
    const silent = await r.read(selection);
    expect(silent.rollouts[1].stale).toEqual({
      lastSeen: '2026-12-01T10:00:00.000Z',
      reason: 'Unreachable',
    });

    west.state.failure = undefined;
    const back = await r.read(selection);
    expect(back.clusters[1].status).toBe('ok');
    expect(back.rollouts.map(x => x.stale)).toEqual([undefined, undefined]);
  });

  it('shows nothing once the last answer is older than the max age', async () => {
    const r = reader(60_000);
    await r.read(selection);
    west.state.failure = new ApiException(500, 'Error', '', {});
    now += 60_001;
    const result = await r.read(selection);
    expect(result.clusters[1].status).toBe('error');
    expect(result.rollouts.map(x => x.id)).toEqual(['east/bookinfo/reviews']);
  });

  it('shows nothing, and forgets, when the cluster answers but refuses', async () => {
    const r = reader();
    await r.read(selection);
    west.state.failure = new ApiException(403, 'Forbidden', '{}', {});
    expect((await r.read(selection)).rollouts.map(x => x.id)).toEqual([
      'east/bookinfo/reviews',
    ]);
    // Silent after refusing: what it showed before the refusal stays unshown.
    west.state.failure = new ApiException(503, 'Unavailable', '', {});
    expect((await r.read(selection)).rollouts.map(x => x.id)).toEqual([
      'east/bookinfo/reviews',
    ]);
  });

  it('shows nothing for a cluster this replica never read', async () => {
    west.state.failure = new ApiException(503, 'Unavailable', '', {});
    const result = await reader().read(selection);
    expect(result.rollouts.map(x => x.id)).toEqual(['east/bookinfo/reviews']);
  });

  it('still throws for an action: a stale rollout is never a target', async () => {
    const r = reader();
    await r.read(selection);
    west.state.failure = new ApiException(503, 'Unavailable', '', {});
    await expect(
      r.readOne(r.findCluster('west')!, selection),
    ).rejects.toMatchObject({
      name: 'ClusterReadError',
      reason: 'ServerError',
    });
  });
});
