/*
 * End to end: the backend (startTestBackend) reads the demo clusters, served
 * by kube-sim over real HTTP through @kubernetes/client-node, with the real
 * read model. The catalog holds the demo entities; the permission policy is
 * the demo's: everyone reads, only an entity's owners move its traffic.
 */
import { mockCredentials } from '@backstage/backend-test-utils';
import { KubeSim } from '@internal/kube-sim';
import type {
  Rollout,
  RolloutsResponse,
} from '@internal/plugin-istio-rollouts-common';
import net from 'node:net';
import request from 'supertest';
import {
  configCluster,
  DemoBackend,
  demoClustersConfig,
  GUEST,
  OUTSIDER,
  PODINFO_FLAGGER,
  SAM,
  TOKEN,
  startDemoBackend,
  startDemoCluster,
  getRollouts,
} from '../__testUtils__/demoBackend';

// Long enough for a busy CI machine to answer from loopback, short enough to keep the hang test quick.
const TIMEOUT_MS = 2500;
const ALL_ACTIONS = [
  'setWeights',
  'promote',
  'rollback',
  'switch',
  'startCanary',
  'finish',
];

/** Curried so the tests read `rolloutsOf('reviews', SAM)(backend.server)`. */
function rolloutsOf(entity: string, user = GUEST) {
  return (server: DemoBackend['server']) =>
    getRollouts({ server }, entity, user);
}

function byId(body: RolloutsResponse, id: string): Rollout {
  const rollout = body.rollouts.find(r => r.id === id);
  if (!rollout) throw new Error(`no rollout ${id} in ${JSON.stringify(body)}`);
  return rollout;
}

describe('GET /api/istio-rollouts/v1/entities/:kind/:namespace/:name/rollouts', () => {
  let east: KubeSim;
  let west: KubeSim;
  let backend: DemoBackend;

  beforeAll(async () => {
    [east, west] = await Promise.all([
      startDemoCluster('demo-east'),
      startDemoCluster('demo-west'),
    ]);
    // The clusters come from the Kubernetes plugin's own config. Every read
    // goes to the clusters here: these tests check what is asked of them, and
    // inject faults into them. watchCache.test.ts reads through the watch
    // cache, the default. A failing cluster is its error entry only here: its
    // last-known rollouts, shown stale, are EntityRolloutsService.stale.test.ts'.
    const config = demoClustersConfig(
      { 'demo-east': east, 'demo-west': west },
      TIMEOUT_MS,
    );
    backend = await startDemoBackend({
      ...config,
      istioRollouts: {
        ...config.istioRollouts,
        cache: { watch: false, lastKnownMaxAgeMs: 0 },
      },
    });
  });

  afterAll(async () => {
    await backend?.stop();
    await Promise.all([east?.close(), west?.close()]);
  });

  beforeEach(() => {
    for (const sim of [east, west]) {
      sim.faults.clear();
      sim.requests.clear();
    }
    backend.permissions.authorize.mockClear();
  });

  describe('the demo scenarios', () => {
    it('reviews: a canary v1 50 / v2 50 in demo-east, 80 / 20 in demo-west, v3 staged at no traffic', async () => {
      const res = await rolloutsOf('reviews')(backend.server);
      expect(res.status).toBe(200);
      const body: RolloutsResponse = res.body;
      expect(body.clusters).toEqual([
        { name: 'demo-east', status: 'ok' },
        { name: 'demo-west', status: 'ok' },
      ]);
      expect(body.rollouts.map(r => r.id)).toEqual([
        'demo-east/bookinfo/reviews',
        'demo-west/bookinfo/reviews',
      ]);

      const eastReviews = byId(body, 'demo-east/bookinfo/reviews');
      expect(eastReviews).toMatchObject({
        cluster: 'demo-east',
        namespace: 'bookinfo',
        name: 'reviews',
        apiVersion: 'networking.istio.io/v1',
        resourceVersion: expect.any(String),
        hosts: ['reviews'],
        gateways: ['reviews-gateway', 'mesh'],
        phase: 'canary',
        stableSubset: 'v1',
        candidateSubset: 'v2',
        meshRevision: 'default',
        findings: [],
      });
      expect(eastReviews.routes).toEqual([
        expect.objectContaining({
          kind: 'http',
          index: 0,
          name: 'reviews-route',
          match: 'prefix /reviews',
          destinations: [
            { host: 'reviews', subset: 'v1', port: 9080, weight: 50 },
            { host: 'reviews', subset: 'v2', port: 9080, weight: 50 },
          ],
        }),
      ]);
      const v3 = eastReviews.subsets.find(s => s.name === 'v3');
      expect(v3).toMatchObject({
        live: false,
        workloads: [
          {
            kind: 'Deployment',
            name: 'reviews-v3',
            namespace: 'bookinfo',
            images: ['docker.io/istio/examples-bookinfo-reviews-v3:1.20.3'],
            readyReplicas: 2,
            replicas: 2,
          },
        ],
      });

      const westReviews = byId(body, 'demo-west/bookinfo/reviews');
      expect(
        westReviews.routes[0].destinations.map(d => [d.subset, d.weight]),
      ).toEqual([
        ['v1', 80],
        ['v2', 20],
      ]);
      // A control-plane revision, not an application canary.
      expect(westReviews.meshRevision).toBe('1-24');
      expect(westReviews.subsets.find(s => s.name === 'v3')?.live).toBe(false);
    });

    it('web-service: 100 % on blue, green ready but idle at 0 % (a weighted pair, not a header pair)', async () => {
      const res = await rolloutsOf('web-service', SAM)(backend.server);
      expect(res.status).toBe(200);
      const body: RolloutsResponse = res.body;
      expect(body.rollouts).toHaveLength(1);
      const rollout = byId(body, 'demo-east/default/web-service');
      expect(rollout).toMatchObject({
        phase: 'stable',
        stableSubset: 'blue',
        candidateSubset: 'green',
      });
      expect(rollout.routes[0].state.label).toBe('stable — green at 0%');
      expect(
        rollout.routes[0].destinations.map(d => [d.subset, d.weight]),
      ).toEqual([
        ['blue', 100],
        ['green', 0],
      ]);
      const green = rollout.subsets.find(s => s.name === 'green');
      expect(green?.labels).toEqual({ version: '2.0.0' });
      expect(green?.workloads).toEqual([
        expect.objectContaining({
          name: 'web-deployment-v2',
          readyReplicas: 3,
          replicas: 3,
        }),
      ]);
    });

    it('foobar: a canary at 30 % in a namespace on the canary mesh revision', async () => {
      const res = await rolloutsOf('foobar')(backend.server);
      const rollout = byId(res.body, 'demo-east/foobar/foobar');
      expect(rollout).toMatchObject({
        phase: 'canary',
        stableSubset: 'latest',
        candidateSubset: 'v2',
        meshRevision: 'canary',
      });
      expect(
        rollout.routes[0].destinations.map(d => [d.subset, d.weight]),
      ).toEqual([
        ['latest', 70],
        ['v2', 30],
      ]);
      expect(rollout.subsets.map(s => [s.name, s.labels])).toEqual([
        ['latest', { revision: 'latest' }],
        ['v2', { revision: 'v2' }],
      ]);
    });

    it('gorilla-sfx-demo: blue live, green reachable by the x-deploy header', async () => {
      const res = await rolloutsOf('gorilla-sfx-demo')(backend.server);
      const rollout = byId(res.body, 'demo-east/default/gorilla-sfx-demo');
      expect(rollout.phase).toBe('blue-green');
      expect(rollout.routes).toEqual([
        expect.objectContaining({
          index: 0,
          name: 'green-by-header',
          match: 'header x-deploy = green',
          destinations: [
            {
              host: 'gorilla-sfx-demo',
              subset: 'green',
              port: 9090,
              weight: 100,
            },
          ],
        }),
        expect.objectContaining({
          index: 1,
          name: 'default',
          match: 'default',
          destinations: [
            {
              host: 'gorilla-sfx-demo',
              subset: 'blue',
              port: 9090,
              weight: 100,
            },
          ],
        }),
      ]);
    });

    it('ratings: stable in both clusters, a lone destination counted as 100', async () => {
      const res = await rolloutsOf('ratings')(backend.server);
      expect(res.body.rollouts.map((r: Rollout) => [r.id, r.phase])).toEqual([
        ['demo-east/bookinfo/ratings', 'stable'],
        ['demo-west/bookinfo/ratings', 'stable'],
      ]);
      for (const rollout of res.body.rollouts as Rollout[]) {
        expect(rollout.routes).toEqual([
          expect.objectContaining({
            match: 'default',
            destinations: [{ host: 'ratings', subset: 'v1', weight: 100 }],
          }),
        ]);
        expect(rollout.findings).toEqual([]);
      }
    });

    it('details: not configured, with the reason, and no cluster contacted', async () => {
      const res = await rolloutsOf('details')(backend.server);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        clusters: [
          { name: 'demo-east', status: 'ok' },
          { name: 'demo-west', status: 'ok' },
        ],
        rollouts: [],
        notConfigured: {
          reason: 'MissingAnnotation',
          message: expect.stringContaining('backstage.io/kubernetes-id'),
        },
      });
      expect(east.requests.list()).toEqual([]);
      expect(west.requests.list()).toEqual([]);
    });
  });

  describe('what is listed', () => {
    it('sends the label selector on every list, and reads only discovery and namespaces besides', async () => {
      await rolloutsOf('reviews')(backend.server).expect(200);
      for (const sim of [east, west]) {
        const log = sim.requests.list();
        const lists = log.filter(r => r.verb === 'list');
        expect(lists.map(r => r.path).sort()).toEqual([
          '/api/v1/services',
          '/apis/apps/v1/deployments',
          '/apis/networking.istio.io/v1/destinationrules',
          '/apis/networking.istio.io/v1/virtualservices',
        ]);
        for (const list of lists) {
          expect(list.query.labelSelector).toBe(
            'backstage.io/kubernetes-id=reviews',
          );
        }
        for (const other of log.filter(r => r.verb !== 'list')) {
          expect(other.path).toMatch(
            /^(\/apis\/networking\.istio\.io|\/api\/v1\/namespaces\/bookinfo)$/,
          );
        }
      }
    });

    it('lists only in the kubernetes-namespace of the entity when it has one', async () => {
      await rolloutsOf('reviews-in-bookinfo')(backend.server).expect(200);
      const lists = east.requests.list().filter(r => r.verb === 'list');
      expect(lists).toHaveLength(4);
      for (const list of lists) {
        expect(list.path).toContain('/namespaces/bookinfo/');
        expect(list.query.labelSelector).toBe(
          'backstage.io/kubernetes-id=reviews,scope=bookinfo-only',
        );
      }
    });
  });

  describe('permissions', () => {
    it('answers 403 when reading is denied, before any Kubernetes call', async () => {
      const res = await rolloutsOf('reviews', OUTSIDER)(backend.server);
      expect(res.status).toBe(403);
      expect(res.body.error).toEqual({
        name: 'NotAllowedError',
        message:
          'You are not allowed istio-rollouts.traffic.read on component:default/reviews',
      });
      expect(res.body.response).toEqual({ statusCode: 403 });
      expect(east.requests.list()).toEqual([]);
      expect(west.requests.list()).toEqual([]);
    });

    it('offers every action to an owner and none to a non-owner, from one batched check', async () => {
      const asGuest = await rolloutsOf('web-service', GUEST)(backend.server);
      expect(asGuest.body.rollouts[0].allowedActions).toEqual([]);
      const asSam = await rolloutsOf('web-service', SAM)(backend.server);
      expect(asSam.body.rollouts[0].allowedActions).toEqual(ALL_ACTIONS);
      const ownReviews = await rolloutsOf('reviews', GUEST)(backend.server);
      expect(
        ownReviews.body.rollouts.map((r: Rollout) => r.allowedActions),
      ).toEqual([ALL_ACTIONS, ALL_ACTIONS]);

      // Per request one read check; the update+promote check is one batched
      // call, remembered per user and entity for a few seconds (so some of
      // these may have been made by earlier tests).
      const calls = backend.permissions.authorize.mock.calls;
      expect(calls.filter(c => c[0].length === 1)).toHaveLength(3);
      const batched = calls.filter(c => c[0].length !== 1);
      expect(batched.length).toBeGreaterThanOrEqual(1);
      expect(batched.length).toBeLessThanOrEqual(3);
      for (const [queries] of batched) {
        expect(
          queries.map(q => [
            q.permission.name,
            'resourceRef' in q ? q.resourceRef : undefined,
          ]),
        ).toEqual([
          ['istio-rollouts.traffic.update', queries[0].resourceRef],
          ['istio-rollouts.traffic.promote', queries[0].resourceRef],
        ]);
      }
    });

    it('offers no action on a VirtualService a progressive-delivery controller owns, even to its owner', async () => {
      east.loadManifests(PODINFO_FLAGGER);
      const res = await rolloutsOf('podinfo', GUEST)(backend.server);
      expect(res.status).toBe(200);
      expect(res.body.rollouts).toEqual([
        expect.objectContaining({
          id: 'demo-east/default/podinfo',
          owner: expect.objectContaining({
            kind: 'Flagger',
            effect: 'refuses-edits',
          }),
          allowedActions: [],
        }),
      ]);
    });
  });

  describe('failing clusters', () => {
    it('answers within the timeout plus 1 s when a cluster hangs, with its error and the other cluster’s data', async () => {
      east.faults.add({ latencyMs: 3 * TIMEOUT_MS });
      const started = Date.now();
      const res = await rolloutsOf('reviews')(backend.server);
      const elapsed = Date.now() - started;

      expect(res.status).toBe(200);
      expect(elapsed).toBeLessThan(TIMEOUT_MS + 1000);
      expect(res.body.clusters).toEqual([
        {
          name: 'demo-east',
          status: 'error',
          error: {
            reason: 'Timeout',
            message: `Cluster "demo-east" did not answer within ${TIMEOUT_MS} ms`,
          },
        },
        { name: 'demo-west', status: 'ok' },
      ]);
      expect(res.body.rollouts.map((r: Rollout) => r.id)).toEqual([
        'demo-west/bookinfo/reviews',
      ]);
      // The aborted requests' injected delay ends on its own (kube-sim drops
      // an answer whose client is gone) or when the simulator closes.
    });

    it('reports a cluster answering 500 as an error entry and still answers the other', async () => {
      east.faults.add({ status: 500 });
      const res = await rolloutsOf('reviews')(backend.server);
      expect(res.status).toBe(200);
      expect(res.body.clusters[0]).toEqual({
        name: 'demo-east',
        status: 'error',
        error: {
          reason: 'ServerError',
          message: expect.stringMatching(/^Cluster "demo-east" answered 500/),
        },
      });
      expect(res.body.clusters[1]).toEqual({ name: 'demo-west', status: 'ok' });
      expect(res.body.rollouts.map((r: Rollout) => r.id)).toEqual([
        'demo-west/bookinfo/reviews',
      ]);
    });
  });

  describe('requests the API refuses', () => {
    it('answers 401 to a request without a Backstage token', async () => {
      const res = await request(backend.server)
        .get(
          '/api/istio-rollouts/v1/entities/component/default/foobar/rollouts',
        )
        .set('authorization', mockCredentials.none.header());
      expect(res.status).toBe(401);
      expect(res.body.error.name).toBe('AuthenticationError');
      // Only this entity's requests: with pooled connections, a request the
      // previous test aborted may still reach the simulator after it ended.
      expect(
        east.requests
          .list()
          .filter(r => r.query.labelSelector?.includes('foobar')),
      ).toEqual([]);
    });

    it('answers 404 for an entity the catalog does not have (or the caller cannot see)', async () => {
      const res = await request(backend.server)
        .get('/api/istio-rollouts/v1/entities/component/default/nope/rollouts')
        .set('authorization', mockCredentials.user.header(GUEST));
      expect(res.status).toBe(404);
      expect(res.body).toMatchObject({
        error: {
          name: 'NotFoundError',
          message: 'Entity component:default/nope not found',
        },
        response: { statusCode: 404 },
      });
    });

    it('answers 400 for a path the OpenAPI document does not allow', async () => {
      const res = await request(backend.server)
        .get(
          '/api/istio-rollouts/v1/entities/com%20ponent/default/reviews/rollouts',
        )
        .set('authorization', mockCredentials.user.header(GUEST));
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({
        error: { name: 'InputError', message: expect.stringContaining('kind') },
        response: { statusCode: 400 },
      });
    });
  });
});

describe('clusters that cannot be read', () => {
  let west: KubeSim;
  let plain: KubeSim;
  let backend: DemoBackend;
  let closedPortUrl: string;

  beforeAll(async () => {
    [west, plain] = await Promise.all([
      startDemoCluster('demo-west'),
      startDemoCluster('demo-east'),
    ]);
    // An API server without Istio's CRDs answers 404 for the group's discovery.
    plain.faults.add({ verb: 'get', status: 404 });
    closedPortUrl = await new Promise<string>(resolve => {
      const probe = net.createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as net.AddressInfo;
        probe.close(() => resolve(`http://127.0.0.1:${port}`));
      });
    });
    // istioRollouts.clusters overrides the Kubernetes plugin's list entirely.
    backend = await startDemoBackend({
      kubernetes: {
        clusterLocatorMethods: [
          {
            type: 'config',
            clusters: [configCluster('ignored', 'https://ignored.example.com')],
          },
        ],
      },
      istioRollouts: {
        clusterTimeoutMs: 2000,
        clusters: [
          {
            name: 'gone',
            title: 'Decommissioned',
            url: closedPortUrl,
            serviceAccountToken: TOKEN,
            allowInsecureHttp: true,
          },
          {
            name: 'no-istio',
            url: plain.url,
            serviceAccountToken: TOKEN,
            allowInsecureHttp: true,
          },
          {
            name: 'wrong-token',
            url: west.url,
            serviceAccountToken: 'nope',
            allowInsecureHttp: true,
          },
          {
            name: 'demo-west',
            url: west.url,
            serviceAccountToken: TOKEN,
            allowInsecureHttp: true,
          },
        ],
      },
    });
  });

  afterAll(async () => {
    await backend?.stop();
    await Promise.all([west?.close(), plain?.close()]);
  });

  it('reports each as an error entry with a reason naming the cluster, and answers the healthy one', async () => {
    const res = await rolloutsOf('reviews')(backend.server);
    expect(res.status).toBe(200);
    expect(res.body.clusters).toEqual([
      {
        name: 'gone',
        title: 'Decommissioned',
        status: 'error',
        error: {
          reason: 'Unreachable',
          // Its name, never its address: every reader of the page sees it.
          message: 'Cluster "gone" is unreachable (ECONNREFUSED)',
        },
      },
      {
        name: 'no-istio',
        status: 'error',
        error: {
          reason: 'IstioNotInstalled',
          message: `Cluster "no-istio" serves no networking.istio.io API: Istio's CRDs are not installed there`,
        },
      },
      {
        name: 'wrong-token',
        status: 'error',
        error: {
          reason: 'Unauthorized',
          message: expect.stringMatching(
            /^Cluster "wrong-token" rejected the plugin's credentials \(401 Unauthorized\)/,
          ),
        },
      },
      { name: 'demo-west', status: 'ok' },
    ]);
    expect(res.body.rollouts.map((r: Rollout) => r.id)).toEqual([
      'demo-west/bookinfo/reviews',
    ]);
    // Nothing was listed where Istio is missing but the workloads.
    expect(
      plain.requests
        .list()
        .filter(r => r.path.startsWith('/apis/networking.istio.io/')),
    ).toEqual([]);
  });
});
