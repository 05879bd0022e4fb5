/*
 * Suite 8, the trust boundary: the cluster and the catalog, not the
 * requester, decide what an entity may change.
 *
 * Hostile entities are registered in the catalog while the backend runs, the
 * way any user registers a component (a `url` location through the catalog
 * API): selectors without an equality requirement, which would select every
 * object of a cluster; second claimants of another team's VirtualService (the
 * same kubernetes-id, an overlapping selector); and a namespace whose owner
 * plants DestinationRules labelled with another team's id. For each: no
 * object that is not the entity's own in its reads, no write to such an
 * object (the clusters' request logs), and the legitimate owner's controls go
 * read-only (`SharedClaim`) while a claim is shared and come back when the
 * claimant is removed.
 *
 * Then: writes impersonate the acting user where a cluster asks for it, and
 * the cluster's RBAC refuses what the user may not do there; a change that
 * sends a whole route to a new subset needs the promote permission whatever
 * action asks for it, and every action needs read; a backend killed between
 * its PATCH and the answer loses no change (the history records the intent
 * first, and the next read resolves it); every PATCH names the plugin's field
 * manager; and every change the clusters applied has its history record.
 *
 * All of it twice: without the watch cache, and with it (the product's
 * default).
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  act,
  Backend,
  CacheConfig,
  CLAIMS_TTL_MS,
  closeConnections,
  countBy,
  demoManifests,
  FIELD_MANAGER,
  GUEST,
  historyOf,
  HistoryCheck,
  loadRollout,
  NO_CACHE,
  poll,
  recordResults,
  Reply,
  rolloutsOf,
  runDir,
  SAM,
  secret,
  SimCluster,
  startCluster,
  unrecordedChanges,
} from './__testUtils__/harness';

jest.setTimeout(240_000);

/** How long a change in the catalog may take to reach the plugin: processing, then the claims' ttl. */
const CATALOG_TIMEOUT_MS = 30_000;

const MODES: Array<[string, CacheConfig]> = [
  ['without the watch cache', NO_CACHE],
  // The product's default watch cache; offered actions reused for 1 s
  // instead of 10, so the policy switches below are seen sooner.
  ['with the watch cache', { watch: true, allowedActionsTtlMs: 1000 }],
];

/** Entities the suite registers, as the catalog would read them from a file. */
function component(
  name: string,
  owner: string,
  annotations: Record<string, string>,
) {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, annotations },
    spec: { type: 'service', lifecycle: 'experimental', owner },
  };
}

const UNSAFE_SELECTORS = [
  { name: 'tb-match-all', selector: 'x!=y' },
  { name: 'tb-not-label', selector: '!foo' },
  { name: 'tb-exists', selector: 'app' },
];

/** Writes a kube-sim users file: the plugin's token may read and impersonate; team-bookinfo may patch in bookinfo only. */
function impersonationUsersFile(dir: string, token: string): string {
  const file = path.join(dir, 'kube-sim-users.yaml');
  const istio = {
    apiGroups: ['networking.istio.io'],
    resources: ['virtualservices', 'destinationrules'],
  };
  fs.writeFileSync(
    file,
    JSON.stringify({
      users: [
        {
          name: 'backstage-istio-rollouts',
          token,
          rules: [
            {
              verbs: ['get', 'list', 'watch'],
              apiGroups: ['*'],
              resources: ['*'],
            },
            {
              verbs: ['impersonate'],
              apiGroups: [''],
              resources: ['users', 'groups'],
            },
          ],
        },
      ],
      groups: [
        {
          name: 'group:default/team-bookinfo',
          rules: [
            {
              verbs: ['get', 'list', 'watch', 'patch'],
              ...istio,
              namespaces: ['bookinfo'],
            },
          ],
        },
      ],
    }),
  );
  return file;
}

const results: Record<string, Record<string, unknown>> = {};

afterAll(async () => {
  if (Object.keys(results).length) {
    await recordResults('trustBoundary', { modes: results });
  }
  closeConnections();
});

describe.each(MODES)('trust boundary (%s)', (mode, cache) => {
  const run = runDir('trust-boundary');
  let east: SimCluster;
  let imp: SimCluster;
  let backend: Backend;
  let guest: string;
  let sam: string;
  const figures: Record<string, unknown> = { cache };
  results[mode] = figures;
  /** Objects an entity's reads showed that are not its own to change. */
  const foreignReads: string[] = [];
  /** Writes (attempted or made) to objects that were not the acting entity's own. */
  const foreignWrites: string[] = [];

  beforeAll(async () => {
    const impToken = secret('impersonating-cluster-token');
    [east, imp] = await Promise.all([
      startCluster({
        name: 'demo-east',
        manifestPaths: demoManifests('demo-east', 'trust-boundary'),
      }),
      startCluster({
        name: 'demo-imp',
        manifestPaths: demoManifests('demo-east'),
        token: impToken,
        usersFile: impersonationUsersFile(run.dir, impToken),
      }),
    ]);
    backend = await Backend.start({
      dir: run.dir,
      clusters: [east, { ...imp, impersonate: true }],
      cache,
    });
    guest = await backend.signIn(GUEST);
    sam = await backend.signIn(SAM);
  });

  afterAll(async () => {
    figures.foreignObjectsRead = foreignReads.length;
    figures.foreignReads = foreignReads;
    figures.foreignWrites = foreignWrites.length;
    await backend?.stop();
    await Promise.all([east, imp].map(c => c?.sim.close()));
    run.cleanup();
  });

  /**
   * Runs `fn` and answers every write request the clusters received
   * meanwhile; those to objects outside `own` (`<cluster>/<ns>/<name>`) are
   * counted as foreign writes.
   */
  async function watchingWrites(
    what: string,
    own: string[],
    fn: () => Promise<void>,
  ) {
    const from = { east: east.allWrites.length, imp: imp.allWrites.length };
    await fn();
    const writes = [
      ...east.allWrites
        .slice(from.east)
        .map(w => ({ ...w, cluster: 'demo-east' })),
      ...imp.allWrites
        .slice(from.imp)
        .map(w => ({ ...w, cluster: 'demo-imp' })),
    ];
    for (const w of writes) {
      const id = `${w.cluster}/${w.namespace}/${w.name}`;
      if (!own.includes(id)) {
        foreignWrites.push(`${what}: ${w.method} ${w.path} (${w.status})`);
      }
    }
    return writes;
  }

  /** The rollouts of `entity` as `token` reads them, and any foreign object among them. */
  async function readAs(
    entity: string,
    token: string,
    own: (rollout: any) => boolean,
  ): Promise<Reply> {
    const res = await rolloutsOf(backend, entity, token);
    expect(res.status).toBe(200);
    for (const r of res.body.rollouts ?? []) {
      if (!own(r)) foreignReads.push(`${entity}: ${r.id}`);
    }
    return res;
  }

  /**
   * The finding that says the rollout is shared. (Its code follows the other
   * finding codes, `SHARED_CLAIM`; `SharedClaim` is the reason in `readOnly`
   * and in a refused action's 409. Either spelling of the code is taken:
   * what matters is the finding and what it says.)
   */
  const sharedFinding = (rollout: any) =>
    rollout?.findings?.find((f: { code: string }) =>
      ['SHARED_CLAIM', 'SharedClaim'].includes(f.code),
    );
  /** Read-only for everyone because it is shared, and saying so. */
  const lockedAsShared = (rollout: any) =>
    rollout.allowedActions.length === 0 &&
    rollout.readOnly?.reason === 'SharedClaim' &&
    sharedFinding(rollout) !== undefined;
  /** Changeable, with nothing about a shared claim. */
  const free = (rollout: any) =>
    rollout.allowedActions.length > 0 &&
    rollout.readOnly === undefined &&
    sharedFinding(rollout) === undefined;

  /** A valid setWeights on route 0 of each demo VirtualService: what a hostile entity would send. */
  const HOSTILE_TARGETS = [
    { id: 'demo-east/bookinfo/reviews', weights: { v1: 0, v2: 100 } },
    { id: 'demo-east/default/web-service', weights: { blue: 0, green: 100 } },
    {
      id: 'demo-east/tb-attacker/tb-dr-planter',
      weights: { live: 0, spare: 100 },
    },
    { id: 'demo-imp/bookinfo/reviews', weights: { v1: 0, v2: 100 } },
  ];

  function resourceVersionOf(id: string): string {
    const [cluster, namespace, name] = id.split('/');
    const sim = cluster === 'demo-imp' ? imp : east;
    return sim.object('VirtualService', namespace, name)!.metadata
      .resourceVersion!;
  }

  it('refuses entities whose selector has no equality requirement: notConfigured, nothing read, 404 on every action, nothing written', async () => {
    const registered = await backend.registerEntities(
      `tb-unsafe-${Date.now()}`,
      UNSAFE_SELECTORS.map(({ name, selector }) =>
        component(name, 'group:default/team-bookinfo', {
          'backstage.io/kubernetes-label-selector': selector,
        }),
      ),
      guest,
    );
    const reads: Record<string, unknown> = {};
    const statuses: number[] = [];
    await watchingWrites('unsafe selectors', [], async () => {
      for (const { name, selector } of UNSAFE_SELECTORS) {
        const res = await readAs(name, guest, () => false);
        expect(res.body.rollouts).toEqual([]);
        expect(['InvalidAnnotation', 'UnsafeSelector']).toContain(
          res.body.notConfigured?.reason,
        );
        expect(res.body.notConfigured.message).toContain(selector);
        reads[name] = res.body.notConfigured;
        for (const target of HOSTILE_TARGETS) {
          const reply = await act(
            backend,
            name,
            {
              rolloutId: target.id,
              route: { kind: 'http', index: 0 },
              action: 'setWeights',
              weights: target.weights,
              resourceVersion: resourceVersionOf(target.id),
            },
            guest,
          );
          statuses.push(reply.status);
          expect(reply.status).toBe(404);
        }
      }
    });
    // Claiming nothing, they take nothing away from the owners either: a
    // match-all entity must not lock every object of the cluster.
    const reviews = await readAs('reviews', guest, r =>
      r.id.endsWith('/bookinfo/reviews'),
    );
    expect(reviews.body.rollouts.length).toBeGreaterThan(0);
    for (const r of reviews.body.rollouts) expect(free(r)).toBe(true);
    await backend.unregisterEntities(registered, guest);
    figures.unsafeSelectors = {
      selectors: UNSAFE_SELECTORS.map(u => u.selector),
      notConfigured: reads,
      actions: countBy(statuses, s => s),
    };
  });

  it("makes another team's VirtualService read-only for every claimant while a second entity claims it, and gives the owner's controls back when the claimant is removed", async () => {
    const webIds = [
      'demo-east/default/web-service',
      'demo-imp/default/web-service',
    ];
    const ownerView = async () =>
      (await readAs('web-service', sam, r => webIds.includes(r.id))).body
        .rollouts as any[];
    // Before: sam (team-web) may change web-service.
    const before = await ownerView();
    expect(before.map(r => r.id).sort()).toEqual(webIds);
    for (const r of before) expect(free(r)).toBe(true);

    const claimants = [
      component('tb-web-claimant', 'group:default/team-bookinfo', {
        'backstage.io/kubernetes-id': 'web-service',
      }),
      component('tb-web-overlap', 'group:default/team-bookinfo', {
        'backstage.io/kubernetes-label-selector': 'app=web-service',
      }),
    ];
    const registeredAt = Date.now();
    const registered = await backend.registerEntities(
      `tb-claimants-${Date.now()}`,
      claimants,
      guest,
    );
    const processedMs = Date.now() - registeredAt;
    let lastView: unknown;
    const lockedView = await poll(
      "web-service's owner still had controls on a shared VirtualService",
      async () => {
        const rollouts = await ownerView();
        lastView = rollouts.map(r => [r.id, r.allowedActions, r.findings]);
        if (rollouts.every(lockedAsShared)) {
          return rollouts;
        }
        throw new Error(`the owner saw ${JSON.stringify(lastView)}`);
      },
      CATALOG_TIMEOUT_MS,
      250,
    );
    const lockedMs = Date.now() - registeredAt;
    for (const r of lockedView) {
      const message = sharedFinding(r).message;
      expect(message).toContain('component:default/tb-web-claimant');
      expect(message).toContain('component:default/tb-web-overlap');
    }

    const statuses: Record<string, number[]> = {};
    await watchingWrites('shared claim', [], async () => {
      // Every claimant sees it, read-only, naming the others.
      for (const { metadata } of claimants) {
        const res = await readAs(
          metadata.name,
          guest,
          r => webIds.includes(r.id) && lockedAsShared(r),
        );
        expect(res.body.rollouts.map((r: any) => r.id).sort()).toEqual(webIds);
        for (const r of res.body.rollouts) {
          expect(lockedAsShared(r)).toBe(true);
          expect(sharedFinding(r).message).toContain(
            'component:default/web-service',
          );
        }
      }
      // And no action goes through, the owner's or a claimant's.
      const attempts: Array<[string, string, Record<string, unknown>]> = [
        [
          'web-service',
          sam,
          { action: 'setWeights', weights: { blue: 90, green: 10 } },
        ],
        ['web-service', sam, { action: 'promote', subset: 'green' }],
        [
          'tb-web-claimant',
          guest,
          { action: 'setWeights', weights: { blue: 0, green: 100 } },
        ],
        ['tb-web-claimant', guest, { action: 'promote', subset: 'green' }],
        [
          'tb-web-overlap',
          guest,
          { action: 'setWeights', weights: { blue: 50, green: 50 } },
        ],
      ];
      for (const [entity, token, body] of attempts) {
        const reply = await act(
          backend,
          entity,
          {
            rolloutId: 'demo-east/default/web-service',
            route: { kind: 'http', index: 0 },
            ...body,
            resourceVersion: resourceVersionOf('demo-east/default/web-service'),
          },
          token,
        );
        (statuses[entity] ??= []).push(reply.status);
        expect(reply.status).toBe(409);
        expect(reply.body.error.reason).toBe('SharedClaim');
      }
    });

    const removedAt = Date.now();
    await backend.unregisterEntities(registered, guest);
    const restored = await poll(
      "web-service's owner did not get the controls back",
      async () => {
        const rollouts = await ownerView();
        if (rollouts.every(free)) {
          return rollouts;
        }
        throw new Error(
          `the owner saw ${JSON.stringify(
            rollouts.map(r => [r.id, r.allowedActions, r.findings]),
          )}`,
        );
      },
      CATALOG_TIMEOUT_MS,
      250,
    );
    const restoredMs = Date.now() - removedAt;
    // Back for real: the owner's change goes through, to its own object only.
    const rollout = restored.find(
      r => r.id === 'demo-east/default/web-service',
    );
    await watchingWrites(
      'owner after the claim',
      ['demo-east/default/web-service'],
      async () => {
        const reply = await act(
          backend,
          'web-service',
          {
            rolloutId: rollout.id,
            route: { kind: 'http', index: 0 },
            action: 'setWeights',
            weights: { blue: 90, green: 10 },
            resourceVersion: rollout.resourceVersion,
            reason: 'trust boundary: controls back',
          },
          sam,
        );
        expect(reply.status).toBe(200);
      },
    );
    figures.sharedClaims = {
      claimants: claimants.map(c => c.metadata.annotations),
      catalogProcessedMs: processedMs,
      ownerReadOnlyAfterMs: lockedMs,
      ownerControlsBackAfterMs: restoredMs,
      claimsTtlMs: CLAIMS_TTL_MS,
      refusedActions: statuses,
      finding: sharedFinding(lockedView[0]),
    };
  });

  it("takes DestinationRules only from the VirtualService's namespace: planted subsets are neither shown nor usable", async () => {
    const registered = await backend.registerEntities(
      `tb-planter-${Date.now()}`,
      [
        component('tb-dr-planter', 'group:default/team-web', {
          'backstage.io/kubernetes-id': 'tb-dr-planter',
        }),
      ],
      sam,
    );
    const statuses: number[] = [];
    await watchingWrites('planted DestinationRules', [], async () => {
      const reviews = await readAs('reviews', guest, r =>
        r.id.endsWith('/bookinfo/reviews'),
      );
      const east0 = reviews.body.rollouts.find(
        (r: any) => r.id === 'demo-east/bookinfo/reviews',
      );
      for (const subset of east0.subsets) {
        if (
          !['v1', 'v2', 'v3'].includes(subset.name) ||
          subset.destinationRule !== 'reviews'
        ) {
          foreignReads.push(
            `reviews: subset ${subset.name} of DestinationRule ${subset.destinationRule}`,
          );
        }
      }
      expect(east0.subsets.map((s: any) => s.name).sort()).toEqual([
        'v1',
        'v2',
        'v3',
      ]);
      expect(east0.subsets.find((s: any) => s.name === 'v1').labels).toEqual({
        version: 'v1',
      });
      // The owner cannot be tricked into routing to a planted subset.
      for (const subset of ['evil', 'evil-fqdn']) {
        const reply = await act(
          backend,
          'reviews',
          {
            rolloutId: east0.id,
            route: { kind: 'http', index: 0 },
            action: 'startCanary',
            subset,
            resourceVersion: east0.resourceVersion,
          },
          guest,
        );
        statuses.push(reply.status);
        expect(reply.status).toBe(400);
      }
      // The planter sees its own objects only, and reaches nothing else.
      const own = await readAs(
        'tb-dr-planter',
        sam,
        r => r.id === 'demo-east/tb-attacker/tb-dr-planter',
      );
      expect(own.body.rollouts.map((r: any) => r.id)).toEqual([
        'demo-east/tb-attacker/tb-dr-planter',
      ]);
      expect(
        own.body.rollouts[0].subsets.map((s: any) => s.name).sort(),
      ).toEqual(['live', 'spare']);
      const reply = await act(
        backend,
        'tb-dr-planter',
        {
          rolloutId: 'demo-east/bookinfo/reviews',
          route: { kind: 'http', index: 0 },
          action: 'startCanary',
          subset: 'evil',
          resourceVersion: resourceVersionOf('demo-east/bookinfo/reviews'),
        },
        sam,
      );
      statuses.push(reply.status);
      expect(reply.status).toBe(404);
    });
    // What is its own, it may change, and nothing else is written.
    const own = await loadRollout(
      backend,
      'tb-dr-planter',
      'demo-east/tb-attacker/tb-dr-planter',
      sam,
    );
    await watchingWrites(
      "the planter's own change",
      ['demo-east/tb-attacker/tb-dr-planter'],
      async () => {
        const reply = await act(
          backend,
          'tb-dr-planter',
          {
            rolloutId: own.id,
            route: { kind: 'http', index: 0 },
            action: 'setWeights',
            weights: { live: 90, spare: 10 },
            resourceVersion: own.resourceVersion,
            reason: 'trust boundary: its own object',
          },
          sam,
        );
        expect(reply.status).toBe(200);
      },
    );
    await backend.unregisterEntities(registered, sam);
    figures.plantedDestinationRules = {
      planted: [
        'tb-attacker/reviews-planted (host reviews: subsets evil, v1)',
        'tb-attacker/reviews-planted-fqdn (host reviews.bookinfo.svc.cluster.local: subset evil-fqdn)',
      ],
      actions: countBy(statuses, s => s),
    };
  });

  it('sends writes as the acting user where the cluster asks for it, and the cluster refuses what that user may not do there', async () => {
    const reviews = await loadRollout(
      backend,
      'reviews',
      'demo-imp/bookinfo/reviews',
      guest,
    );
    imp.sim.requests.clear();
    const allowed = await act(
      backend,
      'reviews',
      {
        rolloutId: reviews.id,
        route: { kind: 'http', index: 0 },
        action: 'setWeights',
        weights: { v1: 60, v2: 40 },
        resourceVersion: reviews.resourceVersion,
        reason: 'trust boundary: impersonated',
      },
      guest,
    );
    expect(allowed.status).toBe(200);
    const patches = imp.writes();
    expect(patches.length).toBeGreaterThan(0);
    for (const p of patches) {
      expect(p).toMatchObject({
        method: 'PATCH',
        user: 'backstage-istio-rollouts',
        impersonatedUser: GUEST,
        status: 200,
      });
      expect(p.impersonatedGroups).toContain('group:default/team-bookinfo');
    }

    // gorilla-sfx-demo is team-bookinfo's too (the policy lets the guest act),
    // but in namespace default, where the cluster gives the team nothing.
    const gorilla = await loadRollout(
      backend,
      'gorilla-sfx-demo',
      'demo-imp/default/gorilla-sfx-demo',
      guest,
    );
    const before = JSON.stringify(
      imp.object('VirtualService', 'default', 'gorilla-sfx-demo'),
    );
    const changesBefore = imp.changes.length;
    imp.sim.requests.clear();
    const refused = await act(
      backend,
      'gorilla-sfx-demo',
      {
        rolloutId: gorilla.id,
        action: 'switch',
        resourceVersion: gorilla.resourceVersion,
      },
      guest,
    );
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toContain('demo-imp');
    expect(refused.body.error.message).toContain(GUEST);
    expect(refused.text).not.toContain(imp.url);
    expect(
      JSON.stringify(
        imp.object('VirtualService', 'default', 'gorilla-sfx-demo'),
      ),
    ).toBe(before);
    expect(imp.changes.length).toBe(changesBefore);
    const tried = imp.writes();
    expect(tried.map(w => [w.impersonatedUser, w.status])).toEqual(
      tried.map(() => [GUEST, 403]),
    );
    figures.impersonation = {
      allowed: {
        status: allowed.status,
        writes: patches.length,
        impersonatedUser: patches[0]?.impersonatedUser,
        impersonatedGroups: patches[0]?.impersonatedGroups,
      },
      refused: {
        status: refused.status,
        message: refused.body.error.message,
        writesRefusedByTheCluster: tried.length,
        changed: imp.changes.length - changesBefore,
      },
    };
  });

  it('treats a change that sends a whole route to a new subset as a promotion, and asks for read on every action', async () => {
    const rolloutId = 'demo-east/bookinfo/reviews';
    const setWeights = (weights: Record<string, number>, token: string) =>
      act(
        backend,
        'reviews',
        {
          rolloutId,
          route: { kind: 'http', index: 0 },
          action: 'setWeights',
          weights,
          resourceVersion: resourceVersionOf(rolloutId),
          reason: 'trust boundary: policy',
        },
        token,
      );
    const outcome: Record<string, unknown> = {};
    await backend.setPolicy('update-only');
    // The reads offer what the policy grants (once the offered actions' ttl is past).
    const offered = await poll(
      'reviews still offered promote under the update-only policy',
      async () => {
        const r = await loadRollout(backend, 'reviews', rolloutId, guest);
        return r.allowedActions.includes('promote')
          ? undefined
          : r.allowedActions;
      },
      CATALOG_TIMEOUT_MS,
      250,
    );
    expect(offered).toContain('setWeights');
    expect(offered).not.toContain('switch');
    await watchingWrites('update-only', [rolloutId], async () => {
      // reviews is v1 50 / v2 50, stable subset v1: all to v2 is a promotion.
      const promotion = await setWeights({ v1: 0, v2: 100 }, guest);
      expect(promotion.status).toBe(403);
      const promote = await act(
        backend,
        'reviews',
        {
          rolloutId,
          route: { kind: 'http', index: 0 },
          action: 'promote',
          subset: 'v2',
          resourceVersion: resourceVersionOf(rolloutId),
        },
        guest,
      );
      expect(promote.status).toBe(403);
      const changes = east.changes.length;
      const update = await setWeights({ v1: 90, v2: 10 }, guest);
      expect(update.status).toBe(200);
      expect(east.changes.length).toBe(changes + 1);
      outcome.updateOnly = {
        offered,
        'setWeights v1 0 / v2 100': promotion.status,
        'setWeights v1 0 / v2 100 message': promotion.body?.error?.message,
        promote: promote.status,
        'setWeights v1 90 / v2 10': update.status,
      };
    });

    await backend.setPolicy('no-read');
    await watchingWrites('no-read', [], async () => {
      const read = await poll(
        'reviews could still be read under the no-read policy',
        async () => {
          const r = await rolloutsOf(backend, 'reviews', guest);
          return r.status === 403 ? r : undefined;
        },
        CATALOG_TIMEOUT_MS,
        250,
      );
      const update = await setWeights({ v1: 80, v2: 20 }, guest);
      expect(update.status).toBe(403);
      expect(update.body.error.message).toContain(
        'istio-rollouts.traffic.read',
      );
      const rollback = await act(
        backend,
        'reviews',
        {
          rolloutId,
          route: { kind: 'http', index: 0 },
          action: 'rollback',
          resourceVersion: resourceVersionOf(rolloutId),
        },
        guest,
      );
      expect(rollback.status).toBe(403);
      expect(rollback.body.error.message).toContain(
        'istio-rollouts.traffic.read',
      );
      outcome.noRead = {
        read: read.status,
        setWeights: update.status,
        rollback: rollback.status,
        message: update.body.error.message,
      };
    });
    await backend.setPolicy('owner');
    figures.policies = outcome;
  });

  it('loses no change when the backend dies between its PATCH and the answer: the history has it, applied after the next read', async () => {
    const rolloutId = 'demo-east/bookinfo/reviews';
    const reason = `trust boundary: crash (${mode})`;
    const rollout = await loadRollout(backend, 'reviews', rolloutId, guest);
    // The patch is made, its answer held back for a minute; the backend is
    // killed the moment the cluster stores the change.
    east.sim.faults.add({
      verb: 'patch',
      resource: 'virtualservices',
      after: true,
      latencyMs: 60_000,
      times: 1,
    });
    let killedAt: number | undefined;
    east.onChange = change => {
      if (change.resource === 'virtualservices' && !killedAt) {
        killedAt = change.time;
        backend.kill();
      }
    };
    const answer = act(
      backend,
      'reviews',
      {
        rolloutId,
        route: { kind: 'http', index: 0 },
        action: 'setWeights',
        weights: { v1: 30, v2: 70 },
        resourceVersion: rollout.resourceVersion,
        reason,
      },
      guest,
    ).then(
      r => `answered ${r.status}`,
      (e: Error) => `no answer (${e.message})`,
    );
    const weights = () =>
      (
        east.object('VirtualService', 'bookinfo', 'reviews')!.spec as any
      ).http[0].route.map((d: any) => [d.destination.subset, d.weight]);
    await poll(
      'The cluster never stored the change',
      async () =>
        JSON.stringify(weights()) ===
        JSON.stringify([
          ['v1', 30],
          ['v2', 70],
        ])
          ? true
          : undefined,
      30_000,
      20,
    );
    const got = await answer;
    east.onChange = undefined;
    east.sim.faults.clear();
    expect(got).toMatch(/^no answer/);

    await backend.restart('SIGKILL');
    guest = await backend.signIn(GUEST);
    sam = await backend.signIn(SAM);
    const find = (events: any[]) => events.find(e => e.reason === reason);
    const beforeRead = find(await historyOf(backend, 'reviews', guest));
    expect(beforeRead).toBeDefined();
    expect(beforeRead.rolloutId).toBe(rolloutId);
    const read = await rolloutsOf(backend, 'reviews', guest);
    expect(read.status).toBe(200);
    // The read resolves it; the record may be written just after the answer.
    const afterRead = await poll(
      'The change was not recorded as applied after the read',
      async () => {
        const event = find(await historyOf(backend, 'reviews', guest));
        return event?.status === 'applied' ? event : undefined;
      },
      5_000,
      100,
    );
    expect(afterRead.after).toMatchObject({
      route: [
        { destination: { subset: 'v1' }, weight: 30 },
        { destination: { subset: 'v2' }, weight: 70 },
      ],
    });
    figures.crash = {
      fault:
        'patch of the VirtualService made, its answer held back 60 s; backend SIGKILLed when the cluster stored it',
      actionAnswer: got.replace(/\(.*\)/, '').trim(),
      statusBeforeRead: beforeRead.status,
      statusAfterRead: afterRead.status,
    };
  });

  it('names its field manager on every PATCH', () => {
    const patches = [...east.allWrites, ...imp.allWrites].filter(
      w => w.method === 'PATCH',
    );
    const without = patches.filter(w => w.query.fieldManager !== FIELD_MANAGER);
    figures.fieldManager = {
      patches: patches.length,
      withoutFieldManager: without.length,
    };
    expect(patches.length).toBeGreaterThan(3);
    expect(without.map(w => `${w.path}?${JSON.stringify(w.query)}`)).toEqual(
      [],
    );
  });

  it('has no foreign object in any read and no foreign write', () => {
    expect(foreignReads).toEqual([]);
    expect(foreignWrites).toEqual([]);
  });

  it('left no change in the clusters without its history record, and named its field manager on every patch', async () => {
    const check: HistoryCheck = await unrecordedChanges(backend, [east, imp]);
    figures.historyCheck = check;
    expect(check.unrecorded).toEqual([]);
    expect(check.withoutFieldManager).toEqual([]);
    expect(check.virtualServiceWrites).toBeGreaterThan(0);
  });
});
