import * as path from 'node:path';
import { loadManifestFiles } from '../manifests';
import { KubeObject } from '../objects';
import {
  cartManifest,
  meshObjects,
  ratesByWorkload,
} from './__testUtils__/mesh';
import {
  clusterService,
  computeTraffic,
  destinationShares,
  MeshObjects,
  routeRates,
  workloadBehaviour,
} from './model';

const ROOT = path.resolve(__dirname, '../../../..');

function rates(objects: MeshObjects) {
  return ratesByWorkload(computeTraffic(objects));
}

function vs(spec: unknown, annotations?: Record<string, string>): KubeObject {
  return {
    apiVersion: 'networking.istio.io/v1',
    kind: 'VirtualService',
    metadata: { name: 'v', namespace: 'ns', annotations },
    spec,
  };
}

describe('routeRates', () => {
  const header = { headers: { 'x-deploy': { exact: 'green' } } };
  it('gives each route with a match its own rate and the rest to the first route without', () => {
    expect(
      routeRates(
        vs({
          http: [
            { match: [header] },
            { match: [header] },
            { name: 'default' },
            { name: 'never reached' },
          ],
        }),
      ),
    ).toEqual([1, 1, 8, 0]);
    expect(
      routeRates(
        vs(
          { http: [{ match: [header] }, {}] },
          {
            'mesh-sim.istio-rollouts.dev/requests-per-second': '40',
            'mesh-sim.istio-rollouts.dev/match-requests-per-second': '5',
          },
        ),
      ),
    ).toEqual([5, 35]);
  });

  it('splits evenly when every route has a match, and caps what matched routes take', () => {
    expect(
      routeRates(vs({ http: [{ match: [header] }, { match: [header] }] })),
    ).toEqual([5, 5]);
    expect(
      routeRates(
        vs(
          { http: [{ match: [header] }, { match: [header] }, {}] },
          {
            'mesh-sim.istio-rollouts.dev/requests-per-second': '1',
          },
        ),
      ),
    ).toEqual([0.5, 0.5, 0]);
  });

  it('ignores invalid annotations and tcp/tls routes', () => {
    expect(
      routeRates(
        vs(
          { http: [{}], tcp: [{ route: [] }] },
          {
            'mesh-sim.istio-rollouts.dev/requests-per-second': 'lots',
          },
        ),
      ),
    ).toEqual([10]);
    expect(routeRates(vs({ tcp: [{}] }))).toEqual([]);
  });
});

describe('destinationShares', () => {
  it('reads weights as Istio does: relative, a lone destination without weight is 100', () => {
    const d = (subset: string, weight?: number) => ({
      destination: { host: 'h', subset },
      weight,
    });
    expect(destinationShares({ route: [d('a')] })).toEqual([
      { host: 'h', subset: 'a', share: 1 },
    ]);
    expect(destinationShares({ route: [d('a', 1), d('b', 3)] })).toEqual([
      { host: 'h', subset: 'a', share: 0.25 },
      { host: 'h', subset: 'b', share: 0.75 },
    ]);
    // An omitted weight among several is 0; all zero sends nothing.
    expect(destinationShares({ route: [d('a', 50), d('b')] })).toEqual([
      { host: 'h', subset: 'a', share: 1 },
    ]);
    expect(destinationShares({ route: [d('a', 0), d('b', 0)] })).toEqual([]);
    expect(destinationShares({ redirect: { uri: '/x' } })).toEqual([]);
  });
});

describe('clusterService', () => {
  it('resolves the spellings of a cluster-local host', () => {
    for (const h of [
      'reviews',
      'reviews.bookinfo',
      'reviews.bookinfo.svc',
      'Reviews.bookinfo.svc.cluster.local.',
    ]) {
      expect(clusterService(h, 'bookinfo')).toEqual({
        name: 'reviews',
        namespace: 'bookinfo',
      });
    }
    expect(clusterService('reviews.other', 'bookinfo')).toEqual({
      name: 'reviews',
      namespace: 'other',
    });
    expect(clusterService('example.com.au', 'bookinfo')).toBeUndefined();
    expect(clusterService('*.bookinfo.svc.cluster.local', 'x')).toBeUndefined();
  });
});

describe('workloadBehaviour', () => {
  const dep = (annotations?: Record<string, string>): KubeObject => ({
    metadata: { name: 'd', annotations },
  });
  it('reads the annotations, with defaults', () => {
    expect(workloadBehaviour(dep())).toEqual({
      errorRate: 0,
      latencyP50Ms: 20,
      latencyP99Ms: 60,
    });
    expect(
      workloadBehaviour(
        dep({
          'mesh-sim.istio-rollouts.dev/error-rate': '0.05',
          'mesh-sim.istio-rollouts.dev/latency-ms': '180',
          'mesh-sim.istio-rollouts.dev/latency-p99-ms': '900',
        }),
      ),
    ).toEqual({ errorRate: 0.05, latencyP50Ms: 180, latencyP99Ms: 900 });
    expect(
      workloadBehaviour(
        dep({
          'mesh-sim.istio-rollouts.dev/error-rate': '7',
          'mesh-sim.istio-rollouts.dev/latency-ms': '-1',
          'mesh-sim.istio-rollouts.dev/latency-p99-ms': '5',
        }),
      ),
    ).toEqual({ errorRate: 1, latencyP50Ms: 20, latencyP99Ms: 20 });
  });
});

describe('computeTraffic', () => {
  it('splits a VirtualService by weight onto the subsets’ Deployments', () => {
    expect(rates(meshObjects(cartManifest()))).toEqual({
      'cart-v1': 9,
      'cart-v2': 1,
    });
    expect(
      rates(
        meshObjects(cartManifest({ weights: [3, 1], requestsPerSecond: 40 })),
      ),
    ).toEqual({ 'cart-v1': 30, 'cart-v2': 10 });
    // At weight 0 a workload receives nothing and is left out.
    expect(rates(meshObjects(cartManifest({ weights: [100, 0] })))).toEqual({
      'cart-v1': 10,
    });
  });

  it('labels each workload as Istio would', () => {
    const [v2] = computeTraffic(
      meshObjects(cartManifest({ v2ErrorRate: 0.1, v2LatencyMs: 50 })),
    ).filter(t => t.workload === 'cart-v2');
    expect(v2).toEqual({
      workload: 'cart-v2',
      namespace: 'shop',
      service: 'cart.shop.svc.cluster.local',
      serviceName: 'cart',
      serviceNamespace: 'shop',
      version: 'v2',
      canonicalService: 'cart',
      canonicalRevision: 'v2',
      app: 'cart',
      serviceAccount: 'default',
      requestsPerSecond: 1,
      errorRate: 0.1,
      latencyP50Ms: 50,
      latencyP99Ms: 150,
    });
  });

  it('splits a destination evenly across the Deployments its subset selects, none scaled to 0', () => {
    const objects = meshObjects(cartManifest());
    const extra = (name: string, replicas: number): KubeObject => ({
      ...objects.deployments[0],
      metadata: { name, namespace: 'shop' },
      spec: {
        ...(objects.deployments[0].spec as object),
        replicas,
      },
    });
    objects.deployments.push(extra('cart-v1-b', 2), extra('cart-v1-off', 0));
    expect(rates(objects)).toEqual({
      'cart-v1': 4.5,
      'cart-v1-b': 4.5,
      'cart-v2': 1,
    });
  });

  it('sends a subset no DestinationRule defines nowhere, and needs the Service selector besides the subset labels', () => {
    const objects = meshObjects(cartManifest());
    objects.destinationRules = [];
    expect(rates(objects)).toEqual({});

    const other = meshObjects(cartManifest());
    // `version: v1` alone would also select this one, which is not the cart Service's.
    other.deployments.push({
      ...other.deployments[0],
      metadata: { name: 'payments-v1', namespace: 'shop' },
      spec: {
        template: { metadata: { labels: { app: 'payments', version: 'v1' } } },
      },
    });
    expect(rates(other)).toEqual({ 'cart-v1': 9, 'cart-v2': 1 });
    // Without the Service, `app: <host>` stands for its selector.
    other.services = [];
    expect(rates(other)).toEqual({ 'cart-v1': 9, 'cart-v2': 1 });
  });

  it('sends a destination without subset to every Deployment of the host', () => {
    const objects = meshObjects(cartManifest());
    objects.virtualServices[0].spec = {
      hosts: ['cart'],
      http: [{ route: [{ destination: { host: 'cart.shop.svc' } }] }],
    };
    expect(rates(objects)).toEqual({ 'cart-v1': 5, 'cart-v2': 5 });
  });

  describe('on the demo clusters', () => {
    let east: MeshObjects;
    let west: MeshObjects;
    const load = async (dir: string) => {
      const objects = await loadManifestFiles([
        path.join(ROOT, 'examples/clusters', dir),
      ]);
      const of = (kind: string) => objects.filter(o => o.kind === kind);
      return {
        virtualServices: of('VirtualService'),
        destinationRules: of('DestinationRule'),
        deployments: of('Deployment'),
        services: of('Service'),
      };
    };
    beforeAll(async () => {
      east = await load('demo-east');
      west = await load('demo-west');
    });

    it('resolves subsets by their labels (foobar’s `revision`), header routes and hosts in every spelling', () => {
      expect(rates(east)).toEqual({
        // reviews: 40 rps on its only route (it has a match), 50/50; v3 staged at no traffic.
        'reviews-v1': 20,
        'reviews-v2': 20,
        // ratings: default 10 rps, lone destination.
        'ratings-v1': 10,
        // foobar: 30 rps, latest 70 / v2 30, subsets on `revision`, host in FQDN.
        'foobar-latest': 21,
        'foobar-v2': 9,
        // gorilla-sfx-demo: 1 rps by header to green, the other 9 to blue.
        'gorilla-sfx-demo-green': 1,
        'gorilla-sfx-demo-blue': 9,
        // web-service: blue 100 / green 0.
        'web-deployment-v1': 10,
      });
      expect(rates(west)).toEqual({
        'reviews-v1': 32,
        'reviews-v2': 8,
        'ratings-v1': 10,
      });
    });

    it('tells the demo’s stories through the Deployments’ annotations', () => {
      const byName = (objects: MeshObjects, name: string) =>
        workloadBehaviour(
          objects.deployments.find(d => d.metadata.name === name)!,
        );
      expect(byName(east, 'foobar-v2').errorRate).toBe(0.05);
      expect(byName(east, 'foobar-latest').errorRate).toBe(0.002);
      for (const objects of [east, west]) {
        expect(byName(objects, 'reviews-v3')).toMatchObject({
          latencyP50Ms: 180,
          latencyP99Ms: 900,
        });
        expect(byName(objects, 'reviews-v1').errorRate).toBe(0.001);
      }
    });
  });
});
