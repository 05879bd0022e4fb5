/*
 * End to end: actions through the plugin's HTTP API, against the demo
 * clusters served by kube-sim over real HTTP (client-node on the plugin's
 * side), with the demo catalog and owner-only permissions, a SQLite history
 * and a mock auditor. Every test starts from the demo manifests and an empty
 * history, and reads the result where it lands: in the simulator's store and
 * in its request log.
 */
import {
  mockServices,
  ServiceMock,
  TestDatabases,
} from '@backstage/backend-test-utils';
import type {
  AuditorService,
  AuditorServiceEvent,
} from '@backstage/backend-plugin-api';
import { KubeSim } from '@internal/kube-sim';
import { redactRouteStanza } from '@internal/plugin-istio-rollouts-common';
import type {
  HistoryEvent,
  Rollout,
  RolloutActionResponse,
} from '@internal/plugin-istio-rollouts-common';
import { Knex } from 'knex';
import {
  DemoBackend,
  demoClustersConfig,
  getHistory,
  getRollouts,
  GUEST,
  OUTSIDER,
  PODINFO_FLAGGER,
  postAction,
  resetDemoCluster,
  SAM,
  startDemoBackend,
  startDemoCluster,
  storedObject,
  writesTo,
} from '../__testUtils__/demoBackend';

const JSON_PATCH = 'application/json-patch+json';
const ISTIO = '/apis/networking.istio.io/v1/namespaces';

type Spec = Record<string, any>;

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

/** A fourth version of reviews, deployed but in no DestinationRule subset yet. */
const REVIEWS_V4 = `
apiVersion: apps/v1
kind: Deployment
metadata:
  name: reviews-v4
  namespace: bookinfo
  labels: { app: reviews, version: v4, backstage.io/kubernetes-id: reviews }
spec:
  replicas: 1
  selector:
    matchLabels: { app: reviews, version: v4 }
  template:
    metadata:
      labels: { app: reviews, version: v4, backstage.io/kubernetes-id: reviews }
    spec:
      containers:
        - name: reviews
          image: docker.io/istio/examples-bookinfo-reviews-v4:1.21.0
status: { replicas: 1, readyReplicas: 1 }
`;

/** The demo's reviews VirtualService, as someone else edited it to 60/40. */
const REVIEWS_60_40 = `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: reviews
  namespace: bookinfo
  labels: { app: reviews, backstage.io/kubernetes-id: reviews }
spec:
  hosts: [reviews]
  gateways: [reviews-gateway, mesh]
  http:
    - name: reviews-route
      match: [{ uri: { prefix: /reviews } }]
      route:
        - { destination: { host: reviews, subset: v1, port: { number: 9080 } }, weight: 60 }
        - { destination: { host: reviews, subset: v2, port: { number: 9080 } }, weight: 40 }
      timeout: 10s
      retries: { attempts: 3, perTryTimeout: 2s, retryOn: 'gateway-error,connect-failure,refused-stream' }
`;

/** The demo's reviews VirtualService, applied from Git by Argo CD. */
const REVIEWS_ARGOCD = REVIEWS_60_40.replace(
  '  labels: { app: reviews, backstage.io/kubernetes-id: reviews }',
  `  labels: { app: reviews, backstage.io/kubernetes-id: reviews }
  annotations:
    argocd.argoproj.io/tracking-id: 'bookinfo:networking.istio.io/VirtualService:bookinfo/reviews'`,
).replace(/weight: [46]0/g, 'weight: 50');

/** A VirtualService with reviews' label in another namespace than bookinfo. */
const REVIEWS_IN_DEFAULT = `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: reviews
  namespace: default
  labels: { backstage.io/kubernetes-id: reviews, scope: bookinfo-only }
spec:
  hosts: [reviews.bookinfo.svc.cluster.local]
  http:
    - route:
        - { destination: { host: reviews.bookinfo.svc.cluster.local, subset: v1 } }
`;

describe('POST /api/istio-rollouts/v1/entities/:kind/:namespace/:name/rollouts/actions', () => {
  let east: KubeSim;
  let west: KubeSim;
  let knex: Knex;
  let auditor: ServiceMock<AuditorService>;
  let backend: DemoBackend;

  beforeAll(async () => {
    [east, west] = await Promise.all([
      startDemoCluster('demo-east'),
      startDemoCluster('demo-west'),
    ]);
    knex = await databases.init('SQLITE_3');
    auditor = mockServices.auditor.mock();
    backend = await startDemoBackend(
      demoClustersConfig({ 'demo-east': east, 'demo-west': west }),
      [auditor.factory],
      { knex },
    );
  });

  afterAll(async () => {
    await backend?.stop();
    await Promise.all([east?.close(), west?.close()]);
  });

  beforeEach(async () => {
    await Promise.all([
      resetDemoCluster(east, 'demo-east'),
      resetDemoCluster(west, 'demo-west'),
    ]);
    await knex('rollout_history').delete();
    auditor.createEvent.mockClear();
  });

  /** The object's spec as the cluster stores it now. */
  function spec(kind: string, namespace: string, name: string, sim = east) {
    return storedObject(sim, kind, namespace, name)?.spec as Spec;
  }
  const vsSpec = (namespace: string, name: string) =>
    spec('VirtualService', namespace, name);

  /** The resourceVersion the user sees on the entity's page. */
  async function loaded(entity: string, rolloutId: string, user = GUEST) {
    const res = await getRollouts(backend, entity, user).expect(200);
    const rollout = res.body.rollouts.find(
      (r: { id: string }) => r.id === rolloutId,
    );
    if (!rollout) throw new Error(`no ${rolloutId} for ${entity}`);
    return rollout as Rollout;
  }

  /** Acts as the user would: load the page, then act with what it showed. */
  async function act(
    entity: string,
    body: Record<string, unknown> & { rolloutId: string },
    user = GUEST,
  ) {
    const { resourceVersion } = await loaded(entity, body.rolloutId, user);
    east.requests.clear();
    west.requests.clear();
    return postAction(backend, entity, { resourceVersion, ...body }, user);
  }

  /** Asserts the only writes were these PATCHes, each a JSON Patch, in this order. */
  function expectPatches(sim: KubeSim, paths: string[]) {
    const writes = writesTo(sim);
    expect(writes.map(w => [w.method, w.path, w.contentType])).toEqual(
      paths.map(p => ['PATCH', p, JSON_PATCH]),
    );
    return writes;
  }

  function expectNothingWritten() {
    expect(writesTo(east)).toEqual([]);
    expect(writesTo(west)).toEqual([]);
  }

  /** The audit events created since the test began, each with how it ended. */
  async function auditEvents() {
    return Promise.all(
      auditor.createEvent.mock.calls.map(async ([options], i) => {
        const event = (await auditor.createEvent.mock.results[i]
          .value) as jest.Mocked<AuditorServiceEvent>;
        return { options, event };
      }),
    );
  }

  const reviews = {
    rolloutId: 'demo-east/bookinfo/reviews',
    route: { kind: 'http', index: 0 },
  };

  function withWeights(
    original: Spec,
    route: number,
    weights: Record<string, number>,
  ): Spec {
    const expected = structuredClone(original);
    for (const d of expected.http[route].route) {
      d.weight = weights[d.destination.subset];
    }
    return expected;
  }

  describe('reviews: a canary in demo-east', () => {
    it('sets weights 80/20 with one guarded JSON Patch, keeping retries, timeout and everything else', async () => {
      const before = vsSpec('bookinfo', 'reviews');
      const westBefore = spec('VirtualService', 'bookinfo', 'reviews', west);
      const res = await act('reviews', {
        ...reviews,
        action: 'setWeights',
        weights: { v1: 80, v2: 20 },
        reason: 'error rate is flat',
      });

      expect(res.status).toBe(200);
      const body: RolloutActionResponse = res.body;
      expect(body).toMatchObject({
        dryRun: false,
        changed: true,
        summary: 'http[0] reviews-route: v1 50→80, v2 50→20',
      });
      expect(vsSpec('bookinfo', 'reviews')).toEqual(
        withWeights(before, 0, { v1: 80, v2: 20 }),
      );
      expect(vsSpec('bookinfo', 'reviews').http[0]).toMatchObject({
        timeout: '10s',
        retries: { attempts: 3, perTryTimeout: '2s' },
      });
      // The other cluster's reviews is another rollout: untouched.
      expect(spec('VirtualService', 'bookinfo', 'reviews', west)).toEqual(
        westBefore,
      );

      const [write] = expectPatches(east, [
        `${ISTIO}/bookinfo/virtualservices/reviews`,
      ]);
      expect(write.body).toEqual(body.patches[0].operations);
      expect(write.status).toBe(200);
      expect(body.patches[0].operations).toEqual([
        {
          op: 'replace',
          path: '/metadata/resourceVersion',
          value: expect.any(String),
        },
        {
          op: 'test',
          path: '/spec/http/0/route/0/destination',
          value: { host: 'reviews', subset: 'v1', port: { number: 9080 } },
        },
        { op: 'test', path: '/spec/http/0/route/0/weight', value: 50 },
        { op: 'replace', path: '/spec/http/0/route/0/weight', value: 80 },
        {
          op: 'test',
          path: '/spec/http/0/route/1/destination',
          value: { host: 'reviews', subset: 'v2', port: { number: 9080 } },
        },
        { op: 'test', path: '/spec/http/0/route/1/weight', value: 50 },
        { op: 'replace', path: '/spec/http/0/route/1/weight', value: 20 },
      ]);
      expect(writesTo(west)).toEqual([]);

      // Answered with the rollout read back and the history event.
      expect(
        body.rollout?.routes[0].destinations.map(d => [d.subset, d.weight]),
      ).toEqual([
        ['v1', 80],
        ['v2', 20],
      ]);
      expect(body.rollout?.resourceVersion).toBe(
        storedObject(east, 'VirtualService', 'bookinfo', 'reviews')?.metadata
          .resourceVersion,
      );
      expect(body.rollout?.allowedActions).toContain('setWeights');
      expect(body.event).toMatchObject({
        entityRef: 'component:default/reviews',
        actor: GUEST,
        rolloutId: 'demo-east/bookinfo/reviews',
        cluster: 'demo-east',
        namespace: 'bookinfo',
        virtualService: 'reviews',
        route: { kind: 'http', index: 0, name: 'reviews-route' },
        action: 'setWeights',
        status: 'applied',
        // What the read model shows of the route: no match values, retries or timeout.
        before: redactRouteStanza(before.http[0]),
        after: redactRouteStanza(vsSpec('bookinfo', 'reviews').http[0]),
        summary: 'http[0] reviews-route: v1 50→80, v2 50→20',
        reason: 'error rate is flat',
      });
      expect(body.event?.after).not.toHaveProperty('retries');
      expect(body.warning).toBeUndefined();
    });

    it('promotes v2, then rolls back to v1: the stable subset the history remembers, not the one the split shows now', async () => {
      const original = vsSpec('bookinfo', 'reviews');
      expect(
        (
          await act('reviews', {
            ...reviews,
            action: 'setWeights',
            weights: { v1: 80, v2: 20 },
          })
        ).status,
      ).toBe(200);

      const promoted = await act('reviews', {
        ...reviews,
        action: 'promote',
        subset: 'v2',
      });
      expect(promoted.status).toBe(200);
      expect(promoted.body.summary).toBe(
        'http[0] reviews-route: promote v2 — v1 80→0, v2 20→100',
      );
      expect(vsSpec('bookinfo', 'reviews')).toEqual(
        withWeights(original, 0, { v1: 0, v2: 100 }),
      );
      expectPatches(east, [`${ISTIO}/bookinfo/virtualservices/reviews`]);
      // After a promote the split alone reads v2 as the stable side …
      const afterPromote = await loaded('reviews', reviews.rolloutId);
      expect(afterPromote.stableSubset).toBe('v2');

      // … but the rollout began from v1, and the history knows it: the tab
      // offers the rollback there, in the read and in the action's answer.
      const fromHistory = { subset: 'v1', source: 'history' };
      expect(afterPromote.routes[0].offers.rollback).toEqual(fromHistory);
      expect(promoted.body.rollout?.routes[0].offers.rollback).toEqual(
        fromHistory,
      );
      const rolledBack = await act('reviews', {
        ...reviews,
        action: 'rollback',
      });
      expect(rolledBack.status).toBe(200);
      expect(rolledBack.body.summary).toBe(
        'http[0] reviews-route: roll back to v1 — v1 0→100, v2 100→0 (stable subset v1, from the history)',
      );
      expect(vsSpec('bookinfo', 'reviews')).toEqual(
        withWeights(original, 0, { v1: 100, v2: 0 }),
      );
      expectPatches(east, [`${ISTIO}/bookinfo/virtualservices/reviews`]);
    });

    it('rolls back to the stable subset of the current split when there is no history', async () => {
      const res = await act('reviews', { ...reviews, action: 'rollback' });
      expect(res.status).toBe(200);
      expect(res.body.summary).toBe(
        'http[0] reviews-route: roll back to v1 — v1 50→100, v2 50→0 (stable subset v1, from the read model)',
      );
    });

    it('starts canary v3 at 0 %: the subset is in the DestinationRule already, so only the VirtualService is patched', async () => {
      const dr = spec('DestinationRule', 'bookinfo', 'reviews');
      const before = vsSpec('bookinfo', 'reviews');
      const res = await act('reviews', {
        ...reviews,
        action: 'startCanary',
        subset: 'v3',
      });
      expect(res.status).toBe(200);
      const expected = structuredClone(before);
      expected.http[0].route.push({
        destination: { host: 'reviews', subset: 'v3', port: { number: 9080 } },
        weight: 0,
      });
      expect(vsSpec('bookinfo', 'reviews')).toEqual(expected);
      expect(spec('DestinationRule', 'bookinfo', 'reviews')).toEqual(dr);
      expectPatches(east, [`${ISTIO}/bookinfo/virtualservices/reviews`]);
    });

    it('starts a canary of a new version by adding its DestinationRule subset first, then the destination', async () => {
      east.loadManifests(REVIEWS_V4);
      const dr = spec('DestinationRule', 'bookinfo', 'reviews');
      const before = vsSpec('bookinfo', 'reviews');
      const res = await act('reviews', {
        ...reviews,
        action: 'startCanary',
        subset: 'v4',
      });
      expect(res.status).toBe(200);
      expect(res.body.summary).toBe(
        'http[0] reviews-route: start canary v4 at 0 % beside v1 50, v2 50; added subset v4 (version=v4) to DestinationRule "reviews"',
      );
      // The DestinationRule goes first, so traffic never points at a missing subset.
      expectPatches(east, [
        `${ISTIO}/bookinfo/destinationrules/reviews`,
        `${ISTIO}/bookinfo/virtualservices/reviews`,
      ]);
      expect(spec('DestinationRule', 'bookinfo', 'reviews')).toEqual({
        ...dr,
        subsets: [...dr.subsets, { name: 'v4', labels: { version: 'v4' } }],
      });
      const expected = structuredClone(before);
      expected.http[0].route.push({
        destination: { host: 'reviews', subset: 'v4', port: { number: 9080 } },
        weight: 0,
      });
      expect(vsSpec('bookinfo', 'reviews')).toEqual(expected);
      expect(
        res.body.rollout.subsets.find((s: { name: string }) => s.name === 'v4'),
      ).toMatchObject({ live: false, workloads: [{ name: 'reviews-v4' }] });
    });

    it('writes and records nothing for an action that changes nothing', async () => {
      const res = await act('reviews', {
        ...reviews,
        action: 'setWeights',
        weights: { v1: 50, v2: 50 },
      });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        dryRun: false,
        changed: false,
        summary: 'http[0] reviews-route: no change (v1 50, v2 50)',
        patches: [],
        routes: [expect.objectContaining({ kind: 'http', index: 0 })],
      });
      expectNothingWritten();
      expect((await getHistory(backend, 'reviews')).body.events).toEqual([]);
    });
  });

  it('foobar: sets weights on a canary whose subsets select by revision', async () => {
    const before = vsSpec('foobar', 'foobar');
    const res = await act('foobar', {
      rolloutId: 'demo-east/foobar/foobar',
      route: { kind: 'http', name: 'foobar-canary' },
      action: 'setWeights',
      weights: { latest: 40, v2: 60 },
    });
    expect(res.status).toBe(200);
    expect(res.body.summary).toBe(
      'http[0] foobar-canary: latest 70→40, v2 30→60',
    );
    expect(vsSpec('foobar', 'foobar')).toEqual(
      withWeights(before, 0, { latest: 40, v2: 60 }),
    );
    expectPatches(east, [`${ISTIO}/foobar/virtualservices/foobar`]);
  });

  it('web-service: its owner (team-web) promotes green', async () => {
    const before = vsSpec('default', 'web-service');
    const res = await act(
      'web-service',
      {
        rolloutId: 'demo-east/default/web-service',
        route: { kind: 'http', index: 0 },
        action: 'promote',
        subset: 'green',
      },
      SAM,
    );
    expect(res.status).toBe(200);
    expect(vsSpec('default', 'web-service')).toEqual(
      withWeights(before, 0, { blue: 0, green: 100 }),
    );
    expect(vsSpec('default', 'web-service').http[0].timeout).toBe('5s');
    expectPatches(east, [`${ISTIO}/default/virtualservices/web-service`]);
    expect(res.body.event.actor).toBe(SAM);
  });

  it('gorilla-sfx-demo: switches the blue/green pair, then switches back to exactly what it was', async () => {
    const original = vsSpec('default', 'gorilla-sfx-demo');
    const gorilla = { rolloutId: 'demo-east/default/gorilla-sfx-demo' };

    const switched = await act('gorilla-sfx-demo', {
      ...gorilla,
      action: 'switch',
    });
    expect(switched.status).toBe(200);
    expect(switched.body.summary).toBe(
      'switch: http[1] default blue→green (live), http[0] green-by-header green→blue; header x-deploy: green→blue; ' +
        'route green-by-header renamed blue-by-header, since it now reaches blue',
    );
    const after = vsSpec('default', 'gorilla-sfx-demo');
    expect(after.http[0]).toMatchObject({
      // Renamed: it now reaches blue (and is renamed back by the switch back).
      name: 'blue-by-header',
      match: [{ headers: { 'x-deploy': { exact: 'blue' } } }],
      route: [
        {
          destination: {
            host: 'gorilla-sfx-demo',
            subset: 'blue',
            port: { number: 9090 },
          },
        },
      ],
    });
    expect(after.http[1].route[0].destination.subset).toBe('green');
    expectPatches(east, [`${ISTIO}/default/virtualservices/gorilla-sfx-demo`]);
    // Both routes changed, and the history keeps both.
    expect(
      switched.body.event.routes.map((r: { name: string }) => r.name),
    ).toEqual(['green-by-header', 'default']);

    const back = await act('gorilla-sfx-demo', {
      ...gorilla,
      route: { kind: 'http', name: 'default' },
      action: 'switch',
    });
    expect(back.status).toBe(200);
    expect(vsSpec('default', 'gorilla-sfx-demo')).toEqual(original);
    expectPatches(east, [`${ISTIO}/default/virtualservices/gorilla-sfx-demo`]);
  });

  it('reviews: promote v2, then Finish removes the retired v1 from the route and records it', async () => {
    const promoted = await act('reviews', {
      ...reviews,
      action: 'promote',
      subset: 'v2',
    });
    expect(promoted.status).toBe(200);
    const state = promoted.body.rollout.routes[0].state;
    expect(state).toMatchObject({
      phase: 'promoted',
      label: 'promoted — v1 retired',
      retired: ['v1'],
    });
    // Named by their targets; the rollback's from the history.
    expect(state.next.map((n: { label: string }) => n.label)).toEqual([
      'Finish: remove v1',
      'Roll back to v1',
      'Start canary',
      'Set weights',
    ]);

    const finished = await act('reviews', { ...reviews, action: 'finish' });
    expect(finished.status).toBe(200);
    expect(finished.body.summary).toBe(
      'http[0] reviews-route: finish — remove v1 (at 0); the route keeps v2 100',
    );
    expect(
      vsSpec('bookinfo', 'reviews').http[0].route.map(
        (r: { destination: { subset: string }; weight: number }) => [
          r.destination.subset,
          r.weight,
        ],
      ),
    ).toEqual([['v2', 100]]);
    expect(finished.body.rollout.routes[0].state.label).toBe('stable');
    expect(finished.body.event).toMatchObject({
      action: 'finish',
      status: 'applied',
    });
    // The DestinationRule keeps v1: a later rollback or canary may need it.
    expectPatches(east, [`${ISTIO}/bookinfo/virtualservices/reviews`]);
  });

  it('refuses Finish on an active canary, naming the route and the reason, and writes nothing', async () => {
    const res = await act('reviews', { ...reviews, action: 'finish' });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe(
      'route: http[0] reviews-route has no retired destination to remove (v1 50, v2 50): finish removes destinations at 0% that the route has moved on from',
    );
    expectPatches(east, []);
  });

  describe('dry run', () => {
    it('answers the patch and the route before and after, and writes and records nothing', async () => {
      const before = vsSpec('bookinfo', 'reviews');
      const res = await act('reviews', {
        ...reviews,
        action: 'setWeights',
        weights: { v1: 80, v2: 20 },
        dryRun: true,
      });
      expect(res.status).toBe(200);
      const body: RolloutActionResponse = res.body;
      expect(body).toMatchObject({
        dryRun: true,
        changed: true,
        summary: 'http[0] reviews-route: v1 50→80, v2 50→20',
      });
      expect(body.patches).toEqual([
        expect.objectContaining({
          kind: 'VirtualService',
          namespace: 'bookinfo',
          name: 'reviews',
        }),
      ]);
      expect(body.patches[0].operations).toHaveLength(7);
      expect(body.routes).toEqual([
        {
          kind: 'http',
          index: 0,
          name: 'reviews-route',
          before: before.http[0],
          after: withWeights(before, 0, { v1: 80, v2: 20 }).http[0],
        },
      ]);
      expect(body.rollout).toBeUndefined();
      expect(body.event).toBeUndefined();
      expectNothingWritten();
      expect(vsSpec('bookinfo', 'reviews')).toEqual(before);
      expect((await getHistory(backend, 'reviews')).body.events).toEqual([]);
    });

    it('previews a DestinationRule subset addition as two patches, in write order', async () => {
      east.loadManifests(REVIEWS_V4);
      const res = await act('reviews', {
        ...reviews,
        action: 'startCanary',
        subset: 'v4',
        dryRun: true,
      });
      expect(res.status).toBe(200);
      expect(res.body.patches.map((p: { kind: string }) => p.kind)).toEqual([
        'DestinationRule',
        'VirtualService',
      ]);
      expectNothingWritten();
    });
  });

  describe('conflicts', () => {
    it('refuses with 409 when the VirtualService changed since the user loaded it, and writes nothing', async () => {
      const { resourceVersion } = await loaded('reviews', reviews.rolloutId);
      // Someone else edits the VirtualService (e.g. kubectl) meanwhile.
      east.loadManifests(REVIEWS_60_40);
      const changed = storedObject(
        east,
        'VirtualService',
        'bookinfo',
        'reviews',
      )!;
      east.requests.clear();

      const res = await postAction(backend, 'reviews', {
        ...reviews,
        action: 'setWeights',
        weights: { v1: 80, v2: 20 },
        resourceVersion,
      });
      expect(res.status).toBe(409);
      expect(res.body.error).toEqual({
        name: 'ConflictError',
        reason: 'Changed',
        message: `VirtualService bookinfo/reviews in cluster "demo-east" was changed since you loaded it (resourceVersion ${resourceVersion}, now ${changed.metadata.resourceVersion}); reload and try again.`,
      });
      expectNothingWritten();
      expect(
        storedObject(east, 'VirtualService', 'bookinfo', 'reviews'),
      ).toEqual(changed);
    });

    it('refuses with 409 when the VirtualService changes while the patch is on its way: the API server’s guard holds', async () => {
      const { resourceVersion } = await loaded('reviews', reviews.rolloutId);
      east.requests.clear();
      // Hold the PATCH at the API server, and edit the object meanwhile.
      east.faults.add({
        verb: 'patch',
        resource: 'virtualservices',
        latencyMs: 400,
        times: 1,
      });
      const pending = postAction(backend, 'reviews', {
        ...reviews,
        action: 'setWeights',
        weights: { v1: 80, v2: 20 },
        resourceVersion,
      }).then(r => r);
      await waitFor(() => writesTo(east).length === 1);
      east.loadManifests(REVIEWS_60_40);
      const changed = storedObject(
        east,
        'VirtualService',
        'bookinfo',
        'reviews',
      )!;

      const res = await pending;
      expect(res.status).toBe(409);
      expect(res.body.error.reason).toBe('Changed');
      expect(res.body.error.message).toBe(
        `VirtualService bookinfo/reviews in cluster "demo-east" was changed since you loaded it (resourceVersion ${resourceVersion}); reload and try again.`,
      );
      expect(writesTo(east)).toEqual([
        expect.objectContaining({ method: 'PATCH', status: 409 }),
      ]);
      expect(
        storedObject(east, 'VirtualService', 'bookinfo', 'reviews'),
      ).toEqual(changed);
      // Recorded before the PATCH, and given the outcome: nothing was changed.
      expect(
        (await getHistory(backend, 'reviews')).body.events.map(
          (e: HistoryEvent) => e.status,
        ),
      ).toEqual(['refused']);
    });
  });

  describe('requests refused as bad input, with 400 naming the field', () => {
    const setWeights = { ...reviews, action: 'setWeights' };
    it.each([
      [
        'a weight that is not an integer',
        { ...setWeights, weights: { v1: 80.5, v2: 19.5 } },
        /^weights\.v1: must be integer$/,
      ],
      [
        'a weight given as a string',
        { ...setWeights, weights: { v1: '80', v2: 20 } },
        /^weights\.v1: must be integer$/,
      ],
      [
        'a weight out of range',
        { ...setWeights, weights: { v1: 120, v2: -20 } },
        /^weights\.v1: must be <= 100$/,
      ],
      [
        'weights that do not add up to 100',
        { ...setWeights, weights: { v1: 80, v2: 30 } },
        /^weights: must add up to 100, got 110$/,
      ],
      [
        'a subset that is not a destination of the route',
        { ...setWeights, weights: { v1: 80, v4: 20 } },
        /^weights\.v4: not a destination of route http\[0\] reviews-route$/,
      ],
      [
        'a route that does not exist',
        {
          ...setWeights,
          route: { kind: 'http', index: 3 },
          weights: { v1: 80, v2: 20 },
        },
        /^route: http\[3\] does not exist: VirtualService "reviews" has 1 http route$/,
      ],
      [
        'a route kind that does not exist',
        {
          ...setWeights,
          route: { kind: 'grpc', index: 0 },
          weights: { v1: 80, v2: 20 },
        },
        /^route\.kind: must be equal to one of the allowed values: http, tls, tcp$/,
      ],
      [
        'promoting a subset that is not a destination of the route',
        { ...reviews, action: 'promote', subset: 'v9' },
        /^subset: "v9" is not a destination of route http\[0\] reviews-route$/,
      ],
      [
        'a canary of a subset no DestinationRule defines and no Deployment provides',
        { ...reviews, action: 'startCanary', subset: 'v9' },
        /^subset: subset "v9" is not defined in DestinationRule "reviews", and no Deployment of the entity in namespace bookinfo has the pod-template label version=v9 to add it from$/,
      ],
      [
        'a switch on a VirtualService without a header route pair',
        { rolloutId: reviews.rolloutId, action: 'switch' },
        /^action: VirtualService "reviews" has no header route pair; switch needs a blue\/green header route pair/,
      ],
      [
        'a switch on a route that is not part of a header route pair',
        { ...reviews, action: 'switch' },
        /^route: http\[0\] reviews-route is not part of a header route pair; switch needs/,
      ],
      [
        'a field of the route the API does not know',
        {
          ...setWeights,
          route: { kind: 'http', index: 0, port: 9080 },
          weights: { v1: 80, v2: 20 },
        },
        /^route\.port: is not a field here \(the fields are kind, index, name\)$/,
      ],
      [
        'an unknown action',
        { ...reviews, action: 'scale' },
        /^action: must be equal to one of the allowed values: setWeights, promote, rollback, switch, startCanary, finish$/,
      ],
      [
        'a field the API does not know',
        { ...setWeights, weights: { v1: 80, v2: 20 }, force: true },
        /^force: is not a field here \(the fields are rolloutId, route, action, weights, subset, resourceVersion, reason, dryRun\)$/,
      ],
      [
        'a rolloutId that is not <cluster>/<namespace>/<name>',
        { ...setWeights, rolloutId: 'reviews', weights: { v1: 80, v2: 20 } },
        /^rolloutId: must be <cluster>\/<namespace>\/<name>/,
      ],
      [
        'a cluster that is not configured',
        {
          ...setWeights,
          rolloutId: 'demo-north/bookinfo/reviews',
          weights: { v1: 80, v2: 20 },
        },
        /^rolloutId: no cluster named "demo-north" is configured \(the clusters are "demo-east", "demo-west"\)$/,
      ],
    ])('refuses %s and writes nothing', async (_what, body, message) => {
      const { resourceVersion } = await loaded('reviews', reviews.rolloutId);
      east.requests.clear();
      const res = await postAction(backend, 'reviews', {
        resourceVersion,
        ...body,
      });
      expect(res.status).toBe(400);
      expect(res.body.error.name).toBe('InputError');
      expect(res.body.error.message).toMatch(message);
      expectNothingWritten();
    });

    it('refuses a request without resourceVersion, naming it', async () => {
      const res = await postAction(backend, 'reviews', {
        ...reviews,
        action: 'promote',
        subset: 'v2',
      });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(/^resourceVersion: is required$/);
      expectNothingWritten();
    });
  });

  describe('who may act on what', () => {
    it('answers 403 to a user who does not own the entity, without any Kubernetes request', async () => {
      const { resourceVersion } = await loaded('reviews', reviews.rolloutId);
      east.requests.clear();
      west.requests.clear();
      const res = await postAction(
        backend,
        'reviews',
        {
          ...reviews,
          action: 'setWeights',
          weights: { v1: 80, v2: 20 },
          resourceVersion,
        },
        SAM,
      );
      expect(res.status).toBe(403);
      expect(res.body.error).toEqual({
        name: 'NotAllowedError',
        message:
          'You are not allowed istio-rollouts.traffic.update on component:default/reviews',
      });
      expect(east.requests.list()).toEqual([]);
      expect(west.requests.list()).toEqual([]);
    });

    it('checks promote and switch against istio-rollouts.traffic.promote', async () => {
      const { resourceVersion } = await loaded(
        'web-service',
        'demo-east/default/web-service',
        SAM,
      );
      east.requests.clear();
      const res = await postAction(backend, 'web-service', {
        rolloutId: 'demo-east/default/web-service',
        route: { kind: 'http', index: 0 },
        action: 'promote',
        subset: 'green',
        resourceVersion,
      });
      expect(res.status).toBe(403);
      expect(res.body.error.message).toBe(
        'You are not allowed istio-rollouts.traffic.promote on component:default/web-service',
      );
      expect(east.requests.list()).toEqual([]);
    });

    it('answers 404 for a rolloutId naming a VirtualService of another entity, though it exists, and writes nothing', async () => {
      const { resourceVersion } = await loaded(
        'web-service',
        'demo-east/default/web-service',
        SAM,
      );
      east.requests.clear();
      const res = await postAction(backend, 'reviews', {
        rolloutId: 'demo-east/default/web-service',
        route: { kind: 'http', index: 0 },
        action: 'setWeights',
        weights: { blue: 0, green: 100 },
        resourceVersion,
      });
      expect(res.status).toBe(404);
      expect(res.body.error).toEqual({
        name: 'NotFoundError',
        message:
          'component:default/reviews has no rollout demo-east/default/web-service: no VirtualService default/web-service ' +
          'in cluster "demo-east" carries its selector backstage.io/kubernetes-id=reviews',
      });
      expectNothingWritten();
    });

    it('answers 404 for a VirtualService with the entity’s label outside the namespace its annotation names', async () => {
      east.loadManifests(REVIEWS_IN_DEFAULT);
      // Without a namespace annotation, reviews sees it …
      const { resourceVersion } = await loaded(
        'reviews',
        'demo-east/default/reviews',
      );
      east.requests.clear();
      // … reviews-in-bookinfo (kubernetes-namespace: bookinfo) does not.
      const res = await postAction(backend, 'reviews-in-bookinfo', {
        rolloutId: 'demo-east/default/reviews',
        route: { kind: 'http', index: 0 },
        action: 'rollback',
        resourceVersion,
      });
      expect(res.status).toBe(404);
      expect(res.body.error.message).toBe(
        'component:default/reviews-in-bookinfo has no rollout demo-east/default/reviews: no VirtualService default/reviews ' +
          'in cluster "demo-east" carries its selector backstage.io/kubernetes-id=reviews,scope=bookinfo-only in namespace bookinfo',
      );
      expectNothingWritten();
    });

    it('answers 404 for an entity without the annotations, explaining, and contacts no cluster', async () => {
      const res = await postAction(backend, 'details', {
        rolloutId: 'demo-east/bookinfo/details',
        route: { kind: 'http', index: 0 },
        action: 'rollback',
        resourceVersion: '1',
      });
      expect(res.status).toBe(404);
      expect(res.body.error.message).toMatch(
        /^No rollout demo-east\/bookinfo\/details: component:default\/details has neither the backstage.io\/kubernetes-id nor/,
      );
      expect(east.requests.list()).toEqual([]);
    });

    it('answers 404 for an entity the caller cannot see', async () => {
      const res = await postAction(backend, 'nope', {
        ...reviews,
        action: 'rollback',
        resourceVersion: '1',
      });
      expect(res.status).toBe(404);
      expect(res.body.error.message).toBe(
        'Entity component:default/nope not found',
      );
      expectNothingWritten();
    });

    it('refuses with 409 a VirtualService Flagger owns, naming it and how to act through it', async () => {
      east.loadManifests(PODINFO_FLAGGER);
      const res = await act('podinfo', {
        rolloutId: 'demo-east/default/podinfo',
        route: { kind: 'http', index: 0 },
        action: 'setWeights',
        weights: { 'podinfo-primary': 50, 'podinfo-canary': 50 },
      });
      expect(res.status).toBe(409);
      expect(res.body.error.name).toBe('ConflictError');
      expect(res.body.error.reason).toBe('OwnedByController');
      expect(res.body.error.message).toMatch(
        /^VirtualService default\/podinfo in cluster "demo-east" is managed by Flagger \(Canary "podinfo", found by ownerReference Canary\/podinfo\).*Act through the Canary instead/,
      );
      expectNothingWritten();
    });

    it('applies a change to a VirtualService Argo CD tracks, with a warning in the answer and the history', async () => {
      east.loadManifests(REVIEWS_ARGOCD);
      const res = await act('reviews', {
        ...reviews,
        action: 'setWeights',
        weights: { v1: 80, v2: 20 },
      });
      expect(res.status).toBe(200);
      const warning =
        'Argo CD (Application "bookinfo") tracks VirtualService bookinfo/reviews in cluster "demo-east" from Git: ' +
        'with self-heal on, or at the next sync, it may revert this change. Make the same change in Git to keep it.';
      expect(res.body.warning).toBe(warning);
      expect(res.body.event.warning).toBe(warning);
      expect((await getHistory(backend, 'reviews')).body.events).toEqual([
        expect.objectContaining({ warning }),
      ]);
      expectPatches(east, [`${ISTIO}/bookinfo/virtualservices/reviews`]);
    });
  });

  describe('a multi-object action whose second write fails', () => {
    it('removes the DestinationRule subset it added first, leaving the cluster exactly as it was', async () => {
      east.loadManifests(REVIEWS_V4);
      const dr = storedObject(east, 'DestinationRule', 'bookinfo', 'reviews')!;
      const vs = storedObject(east, 'VirtualService', 'bookinfo', 'reviews')!;
      const { resourceVersion } = await loaded('reviews', reviews.rolloutId);
      east.requests.clear();
      east.faults.add({
        verb: 'patch',
        resource: 'virtualservices',
        status: 500,
        times: 1,
      });

      const res = await postAction(backend, 'reviews', {
        ...reviews,
        action: 'startCanary',
        subset: 'v4',
        resourceVersion,
      });
      expect(res.status).toBe(503);
      expect(res.body.error.name).toBe('ServiceUnavailableError');
      expect(res.body.error.message).toMatch(
        /^Could not change VirtualService bookinfo\/reviews in cluster "demo-east": Cluster "demo-east" answered 500.*\. Subset "v4", added to DestinationRule bookinfo\/reviews in cluster "demo-east" first, was removed again: nothing was changed\.$/,
      );
      expect(spec('DestinationRule', 'bookinfo', 'reviews')).toEqual(dr.spec);
      expect(
        spec('DestinationRule', 'bookinfo', 'reviews').subsets.map(
          (s: { name: string }) => s.name,
        ),
      ).toEqual(['v1', 'v2', 'v3']);
      expect(
        storedObject(east, 'VirtualService', 'bookinfo', 'reviews'),
      ).toEqual(vs);
      expect(
        writesTo(east).map(w => [
          w.path.split('/').slice(-2).join('/'),
          w.status,
        ]),
      ).toEqual([
        ['destinationrules/reviews', 200],
        ['virtualservices/reviews', 500],
        ['destinationrules/reviews', 200],
      ]);
      expect(writesTo(east)[2].body).toEqual([
        { op: 'test', path: '/spec/subsets/3/name', value: 'v4' },
        { op: 'remove', path: '/spec/subsets/3' },
      ]);
      // Recorded before the PATCH, and given the outcome: nothing was changed.
      expect(
        (await getHistory(backend, 'reviews')).body.events.map(
          (e: HistoryEvent) => e.status,
        ),
      ).toEqual(['failed']);
    });
  });

  describe('a write whose answer is lost', () => {
    it('reads the object back, finds the change made, and answers 200 with a warning that the history keeps', async () => {
      // The API server makes the write, then the connection drops before the answer.
      east.faults.add({
        verb: 'patch',
        resource: 'virtualservices',
        drop: true,
        after: true,
        times: 1,
      });
      const res = await act('reviews', {
        ...reviews,
        action: 'setWeights',
        weights: { v1: 80, v2: 20 },
      });
      expect(res.status).toBe(200);
      expect(res.body.warning).toMatch(
        /^VirtualService bookinfo\/reviews in cluster "demo-east" was changed, but the cluster's answer did not arrive \(.*\); reading it back showed the change in place\.$/,
      );
      expect(
        vsSpec('bookinfo', 'reviews').http[0].route.map(
          (d: { weight: number }) => d.weight,
        ),
      ).toEqual([80, 20]);
      const history = (await getHistory(backend, 'reviews')).body.events;
      expect(history).toEqual([
        expect.objectContaining({
          action: 'setWeights',
          warning: res.body.warning,
        }),
      ]);
    });

    it('says for sure that nothing was changed when the object reads back unchanged', async () => {
      const before = vsSpec('bookinfo', 'reviews');
      east.faults.add({
        verb: 'patch',
        resource: 'virtualservices',
        drop: true,
        times: 1,
      });
      const res = await act('reviews', {
        ...reviews,
        action: 'setWeights',
        weights: { v1: 80, v2: 20 },
      });
      expect(res.status).toBe(503);
      expect(res.body.error.message).toMatch(
        /VirtualService bookinfo\/reviews was read back unchanged: nothing was changed\.$/,
      );
      expect(vsSpec('bookinfo', 'reviews')).toEqual(before);
      // Recorded before the PATCH, and given the outcome: nothing was changed.
      expect(
        (await getHistory(backend, 'reviews')).body.events.map(
          (e: HistoryEvent) => e.status,
        ),
      ).toEqual(['failed']);
    });
  });

  describe('audit', () => {
    it('records a write as a medium-severity event that succeeded, with its outcome and history event', async () => {
      const res = await act('reviews', {
        ...reviews,
        action: 'setWeights',
        weights: { v1: 80, v2: 20 },
      });
      const [{ options, event }] = await auditEvents();
      expect(options).toMatchObject({
        eventId: 'rollout-action',
        severityLevel: 'medium',
        meta: {
          entityRef: 'component:default/reviews',
          rolloutId: 'demo-east/bookinfo/reviews',
          action: 'setWeights',
          route: { kind: 'http', index: 0 },
          dryRun: false,
        },
      });
      expect(options.request).toBeDefined();
      expect(event.success).toHaveBeenCalledWith({
        meta: expect.objectContaining({
          outcome: 'applied',
          summary: 'http[0] reviews-route: v1 50→80, v2 50→20',
          historyEventId: (res.body.event as HistoryEvent).id,
        }),
      });
      expect(event.fail).not.toHaveBeenCalled();
    });

    it('records a dry run as a low-severity event', async () => {
      expect(
        (
          await act('reviews', {
            ...reviews,
            action: 'promote',
            subset: 'v2',
            dryRun: true,
          })
        ).status,
      ).toBe(200);
      const [{ options, event }] = await auditEvents();
      expect(options.severityLevel).toBe('low');
      expect(event.success).toHaveBeenCalledWith({
        meta: expect.objectContaining({ outcome: 'dry-run', dryRun: true }),
      });
    });

    it('records refusals: denied, invalid (also when the OpenAPI validation refused the body) and conflicts', async () => {
      expect(
        (
          await act(
            'reviews',
            { ...reviews, action: 'setWeights', weights: { v1: 80, v2: 20 } },
            SAM,
          )
        ).status,
      ).toBe(403);
      expect(
        (
          await act('reviews', {
            ...reviews,
            action: 'setWeights',
            weights: { v1: 80, v2: 30 },
          })
        ).status,
      ).toBe(400);
      await postAction(backend, 'reviews', {
        ...reviews,
        action: 'setWeights',
        weights: { v1: 80, v2: 20 },
        resourceVersion: '1',
        force: true,
      }).expect(400);
      await postAction(backend, 'reviews', {
        ...reviews,
        action: 'setWeights',
        weights: { v1: 80, v2: 20 },
        resourceVersion: '1',
      }).expect(409);

      const events = await auditEvents();
      expect(
        events.map(({ options, event }) => [
          options.meta?.action,
          event.fail.mock.calls[0]?.[0].meta?.outcome,
          event.fail.mock.calls[0]?.[0].error.name,
        ]),
      ).toEqual([
        ['setWeights', 'denied', 'NotAllowedError'],
        ['setWeights', 'invalid', 'InputError'],
        ['setWeights', 'invalid', 'InputError'],
        ['setWeights', 'conflict', 'ConflictError'],
      ]);
      for (const { event } of events) {
        expect(event.success).not.toHaveBeenCalled();
      }
    });

    it('records a failed write', async () => {
      east.faults.add({ verb: 'patch', status: 500, times: 1 });
      expect(
        (
          await act('reviews', {
            ...reviews,
            action: 'setWeights',
            weights: { v1: 80, v2: 20 },
          })
        ).status,
      ).toBe(503);
      const [{ event }] = await auditEvents();
      expect(event.fail).toHaveBeenCalledWith({
        error: expect.objectContaining({ name: 'ServiceUnavailableError' }),
        meta: expect.objectContaining({ outcome: 'failed' }),
      });
    });
  });

  it('answers 403 to a caller who may not even read, before anything else', async () => {
    const res = await postAction(
      backend,
      'reviews',
      { ...reviews, action: 'rollback', resourceVersion: '1' },
      OUTSIDER,
    );
    expect(res.status).toBe(403);
    expectNothingWritten();
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise(resolve => setTimeout(resolve, 10));
  }
}
