/*
 * Suite 6, object boundaries and credentials: an entity reads and changes
 * only the VirtualServices its selector selects — never another entity's,
 * another namespace's, one with a similar name, whatever rolloutId the
 * request carries (listed cases and generated ones) — and the clusters'
 * bearer tokens never appear in any response, log line or error message:
 * every answer of this suite and everything the backend printed (at debug
 * level) is scanned for them, with errors provoked on purpose (a cluster
 * that refuses the token, a 500, a cut connection, an unreachable cluster).
 */
import fc from 'fast-check';
import {
  act,
  API,
  Backend,
  closeConnections,
  countBy,
  demoManifests,
  entityPath,
  GUEST,
  recordResults,
  Reply,
  request,
  rolloutsOf,
  runDir,
  secret,
  SimCluster,
  startCluster,
  unreachableUrl,
  unrecordedChanges,
} from './__testUtils__/harness';

jest.setTimeout(240_000);

const SELECTED = ['demo-east/bookinfo/reviews', 'demo-west/bookinfo/reviews'];
const GENERATED = 300;

describe('object boundaries and credentials', () => {
  const run = runDir('boundaries');
  let east: SimCluster;
  let west: SimCluster;
  let backend: Backend;
  let token: string;
  /** A cluster configured with a token it does not accept. */
  const wrongToken = secret('wrong-cluster-token');
  const replies: Reply[] = [];
  const results: Record<string, unknown> = {};

  /** Every reply of this suite is kept, to be scanned for credentials. */
  async function kept(reply: Promise<Reply>): Promise<Reply> {
    const r = await reply;
    replies.push(r);
    return r;
  }

  beforeAll(async () => {
    [east, west] = await Promise.all([
      startCluster({
        name: 'demo-east',
        manifestPaths: demoManifests('demo-east', 'lookalikes', 'permissions'),
      }),
      startCluster({
        name: 'demo-west',
        manifestPaths: demoManifests('demo-west'),
      }),
    ]);
    backend = await Backend.start({
      dir: run.dir,
      clusters: [
        east,
        west,
        // The same simulator, but a token it does not know: 401 on every request.
        { name: 'demo-refusing', url: east.url, token: wrongToken },
        {
          name: 'demo-gone',
          url: await unreachableUrl(),
          token: secret('gone-cluster-token'),
        },
      ],
      logLevel: 'debug',
    });
    token = await backend.signIn(GUEST);
  });

  afterAll(async () => {
    if (Object.keys(results).length) {
      await recordResults('boundaries', results);
    }
    await backend?.stop();
    await Promise.all([east, west].map(c => c?.sim.close()));
    closeConnections();
    run.cleanup();
  });

  it("reads only the VirtualServices the entity's selector selects", async () => {
    const res = await kept(rolloutsOf(backend, 'reviews', token));
    expect(res.status).toBe(200);
    expect(res.body.rollouts.map((r: { id: string }) => r.id).sort()).toEqual(
      SELECTED,
    );
    // (reviews-v2 is also the name of a Deployment of reviews: not checked as text.)
    for (const other of [
      'reviews-shadow',
      'reviewsx',
      'staging',
      'web-service',
      'rel-perms',
      'foobar',
    ]) {
      expect(res.text).not.toContain(other);
    }
    expect(
      res.body.clusters.map((c: any) => [c.name, c.status, c.error?.reason]),
    ).toEqual([
      ['demo-east', 'ok', undefined],
      ['demo-west', 'ok', undefined],
      ['demo-refusing', 'error', 'Unauthorized'],
      ['demo-gone', 'error', 'Unreachable'],
    ]);
  });

  /** Objects that exist, and that reviews must never reach. */
  const OTHERS = [
    { id: 'demo-east/staging/reviews', why: 'same name, another namespace' },
    {
      id: 'demo-east/bookinfo/reviews-v2',
      why: 'similar name, another entity',
    },
    { id: 'demo-east/bookinfo/reviews-shadow', why: 'the id in another case' },
    { id: 'demo-east/bookinfo/reviewsx', why: 'no kubernetes-id at all' },
    { id: 'demo-east/default/web-service', why: "another entity's (team-web)" },
    { id: 'demo-east/foobar/foobar', why: "another entity's, same owner" },
    {
      id: 'demo-east/default/gorilla-sfx-demo',
      why: "another entity's, same owner",
    },
    {
      id: 'demo-east/rel-perms/rel-team-owned-vs',
      why: "another entity's, same owner",
    },
    {
      id: 'demo-refusing/bookinfo/reviews',
      why: 'the right object through a cluster that refuses',
    },
  ];
  const bodies: Array<Record<string, unknown>> = [
    {
      action: 'setWeights',
      route: { kind: 'http', index: 0 },
      weights: { v1: 0, v2: 100 },
    },
    { action: 'promote', route: { kind: 'http', index: 0 }, subset: 'v2' },
    { action: 'rollback', route: { kind: 'http', index: 0 } },
    { action: 'switch' },
    { action: 'startCanary', route: { kind: 'http', index: 0 }, subset: 'v3' },
  ];

  it.each(OTHERS)(
    'refuses every action through reviews on $id ($why), with the right resourceVersion, and writes nothing',
    async ({ id }) => {
      const [, namespace, name] = id.split('/');
      const target = east.object('VirtualService', namespace, name)!;
      const before = JSON.stringify(target);
      east.sim.requests.clear();
      for (const body of bodies) {
        for (const dryRun of [false, true]) {
          const res = await kept(
            act(
              backend,
              'reviews',
              {
                rolloutId: id,
                ...body,
                resourceVersion: target.metadata.resourceVersion,
                dryRun,
              },
              token,
            ),
          );
          expect([404, 503]).toContain(res.status);
          expect(res.body.error.message).not.toContain('"spec"');
        }
      }
      expect(east.writes()).toEqual([]);
      expect(
        JSON.stringify(east.object('VirtualService', namespace, name)),
      ).toBe(before);
    },
  );

  it('refuses through one entity what belongs to another in the same namespace', async () => {
    const web = east.object('VirtualService', 'default', 'web-service')!;
    east.sim.requests.clear();
    const res = await kept(
      act(
        backend,
        'gorilla-sfx-demo',
        {
          rolloutId: 'demo-east/default/web-service',
          action: 'promote',
          route: { kind: 'http', index: 0 },
          subset: 'green',
          resourceVersion: web.metadata.resourceVersion,
        },
        token,
      ),
    );
    expect(res.status).toBe(404);
    expect(res.body.error.message).toMatch(
      /^component:default\/gorilla-sfx-demo has no rollout demo-east\/default\/web-service/,
    );
    expect(east.writes()).toEqual([]);
  });

  it(`writes nothing outside the selection for ${GENERATED} generated rolloutIds`, async () => {
    const reviews = east.object('VirtualService', 'bookinfo', 'reviews')!;
    const vsBefore = east.sim.store
      .all()
      .map(e => e.object)
      .filter(o => o.kind === 'VirtualService')
      .map(o => JSON.stringify(o))
      .sort();
    east.sim.requests.clear();
    const cluster = fc.constantFrom(
      'demo-east',
      'demo-west',
      'demo-refusing',
      'DEMO-EAST',
      'demo-east ',
      'demo‐east',
      'demo-east/x',
    );
    const namespace = fc.constantFrom(
      'bookinfo',
      'staging',
      'default',
      'foobar',
      'rel-perms',
      'Bookinfo',
      '..',
      '.',
      'bookinfo%2f..',
      'kube-system',
      '*',
    );
    const name = fc.constantFrom(
      'reviews',
      'reviews-v2',
      'reviews-shadow',
      'reviewsx',
      'web-service',
      'foobar',
      'REVIEWS',
      'reviews\u200b',
      'rеviews', // a Cyrillic е
      'reviews ',
      '*',
      'reviews/..',
    );
    const statuses: number[] = [];
    let selectedHits = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.tuple(cluster, namespace, name).map(parts => parts.join('/')),
        fc.constantFrom(...bodies),
        async (rolloutId, body) => {
          const res = await kept(
            act(
              backend,
              'reviews',
              {
                rolloutId,
                ...body,
                resourceVersion: reviews.metadata.resourceVersion,
                dryRun: true,
              },
              token,
            ),
          );
          statuses.push(res.status);
          if (SELECTED.includes(rolloutId)) {
            selectedHits++;
            return;
          }
          if (![400, 404, 503].includes(res.status)) {
            throw new Error(`${rolloutId} answered ${res.status} ${res.text}`);
          }
        },
      ),
      { numRuns: GENERATED },
    );
    // Dry runs: nothing may be written at all, and no other object read into an answer.
    expect(east.writes()).toEqual([]);
    expect(
      east.sim.store
        .all()
        .map(e => e.object)
        .filter(o => o.kind === 'VirtualService')
        .map(o => JSON.stringify(o))
        .sort(),
    ).toEqual(vsBefore);
    results.generatedRolloutIds = {
      tried: statuses.length,
      statuses: countBy(statuses, s => s),
      selectedHits,
      writes: 0,
    };
  });

  it('never shows a cluster token: in any answer, any error, or any line the backend printed', async () => {
    // Provoke the errors that carry the most detail.
    east.sim.faults.add({ verb: 'list', status: 500, times: 2 });
    await kept(rolloutsOf(backend, 'reviews', token));
    east.sim.faults.clear();
    east.sim.faults.add({ verb: 'list', drop: true, times: 2 });
    await kept(rolloutsOf(backend, 'reviews', token));
    east.sim.faults.clear();
    const reviews = east.object('VirtualService', 'bookinfo', 'reviews')!;
    east.sim.faults.add({ verb: 'patch', status: 500, times: 1 });
    await kept(
      act(
        backend,
        'reviews',
        {
          rolloutId: 'demo-east/bookinfo/reviews',
          ...bodies[0],
          resourceVersion: reviews.metadata.resourceVersion,
        },
        token,
      ),
    );
    east.sim.faults.clear();
    await kept(
      act(
        backend,
        'reviews',
        {
          rolloutId: 'demo-refusing/bookinfo/reviews',
          ...bodies[0],
          resourceVersion: '1',
        },
        token,
      ),
    );
    // The backend's other faces: its config for the frontend, its health, the OpenAPI document.
    await kept(request(backend.baseUrl, 'GET', '/'));
    await kept(request(backend.baseUrl, 'GET', '/api/app/.backstage/config'));
    await kept(
      request(backend.baseUrl, 'GET', '/api/istio-rollouts/openapi.json'),
    );
    await kept(request(backend.baseUrl, 'GET', `${API}/health`));
    await kept(backend.get(`${entityPath('reviews')}/rollouts/history`, token));

    const clusterTokens = [east.token, west.token, wrongToken];
    const scanned = [...replies.map(r => r.text), ...backend.lines];
    const found = scanned.filter(text =>
      clusterTokens.some(t => text.includes(t)),
    );
    expect(found).toEqual([]);
    // The Backstage service token is a secret too.
    expect(backend.lines.filter(l => l.includes(backend.serviceToken))).toEqual(
      [],
    );
    // The scan looked at real material: errors that name the clusters, and a chatty log.
    const errors = replies
      .map(r => r.text)
      .filter(t => t.includes('Cluster \\"demo-'));
    expect(errors.length).toBeGreaterThan(3);
    expect(backend.lines.length).toBeGreaterThan(100);
    results.credentials = {
      clusterTokensSearched: clusterTokens.length,
      responsesScanned: replies.length,
      responseBytesScanned: replies.reduce((n, r) => n + r.text.length, 0),
      logLinesScanned: backend.lines.length,
      logLevel: 'debug',
      errorAnswersNamingACluster: errors.length,
      tokensFound: found.length,
    };
    results.listedObjects = {
      targets: OTHERS.map(o => `${o.id} (${o.why})`),
      attemptsPerTarget: bodies.length * 2,
      writes: 0,
    };
  });

  it('left no change in the clusters without its history record, and named its field manager on every patch', async () => {
    const check = await unrecordedChanges(backend, [east, west]);
    results.historyCheck = check;
    expect(check.unrecorded).toEqual([]);
    expect(check.withoutFieldManager).toEqual([]);
  });
});
