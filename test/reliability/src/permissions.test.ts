/*
 * Suite 5, permissions: every kind of caller — an entity's owner, a member of
 * its owning group, a non-owner, a service principal, no credentials — in
 * front of every operation (read, history, the five actions) under each
 * policy decision of the demo policy (allow, deny, owner-only conditional).
 * No write happens that the policy did not allow; a refused caller causes no
 * Kubernetes request at all; a denied read reveals nothing about the
 * objects; and the actions a read offers are exactly those that succeed.
 * Besides the three modes a portal would use, two that split the
 * permissions: `update-only` (owners may read and update, never promote) and
 * `no-read` (owners may update and promote, nobody may read; every action
 * needs read too).
 *
 * The whole matrix runs twice: without the caches (every read asks the
 * cluster and the policy), and with the watch cache, the product's default.
 * There, the offered actions are reused for a while (the suite waits that
 * long after each policy switch), a change the test makes in the cluster
 * reaches the backend through its watch (the suite waits until a read shows
 * it), and a read right after a write must show the write.
 */
import {
  act,
  Backend,
  CacheConfig,
  closeConnections,
  countBy,
  demoManifests,
  entityPath,
  GUEST,
  NO_CACHE,
  poll,
  PolicyMode,
  recordResults,
  request,
  rolloutsOf,
  runDir,
  SAM,
  SimCluster,
  sleep,
  startCluster,
  unrecordedChanges,
} from './__testUtils__/harness';

jest.setTimeout(240_000);

type CallerKind =
  | 'owner'
  | 'member of the owning group'
  | 'non-owner'
  | 'service principal'
  | 'no credentials';

interface Caller {
  kind: CallerKind;
  /** Who: a user ref, or what the token is. */
  who: string;
  entity: string;
}

const CALLERS: Caller[] = [
  { kind: 'owner', who: GUEST, entity: 'rel-guest-owned' },
  { kind: 'member of the owning group', who: GUEST, entity: 'rel-team-owned' },
  { kind: 'member of the owning group', who: SAM, entity: 'rel-web-owned' },
  { kind: 'non-owner', who: SAM, entity: 'rel-team-owned' },
  { kind: 'non-owner', who: SAM, entity: 'rel-guest-owned' },
  { kind: 'non-owner', who: GUEST, entity: 'rel-web-owned' },
  { kind: 'service principal', who: 'static token', entity: 'rel-team-owned' },
  { kind: 'no credentials', who: 'nobody', entity: 'rel-team-owned' },
];

const ACTIONS = [
  'setWeights',
  'promote',
  'rollback',
  'switch',
  'startCanary',
  'finish',
] as const;
type Action = (typeof ACTIONS)[number];
type Operation = 'read' | 'history' | Action;
const OPERATIONS: Operation[] = ['read', 'history', ...ACTIONS];
const POLICIES: PolicyMode[] = [
  'allow',
  'deny',
  'owner',
  'update-only',
  'no-read',
];

/** With the watch cache: how long a read's offered actions are reused (the product's default is 10 s). */
const OFFER_TTL_MS = 1000;

const CACHE_MODES: Array<[string, CacheConfig]> = [
  ['without the watch cache', NO_CACHE],
  ['with the watch cache', { watch: true, allowedActionsTtlMs: OFFER_TTL_MS }],
];

/** Actions that need `istio-rollouts.traffic.promote`; the others need update. */
const PROMOTIONS: Operation[] = ['promote', 'switch'];

const canary = { kind: 'http', index: 1 };
const BODIES: Record<Action, Record<string, unknown>> = {
  setWeights: {
    route: canary,
    action: 'setWeights',
    weights: { sapphire: 30, emerald: 70 },
  },
  promote: { route: canary, action: 'promote', subset: 'emerald' },
  rollback: { route: canary, action: 'rollback' },
  switch: { action: 'switch' },
  startCanary: { route: canary, action: 'startCanary', subset: 'amber' },
  // The route `retiring` (emerald 0 / sapphire 100): finish removes emerald.
  finish: { route: { kind: 'http', index: 2 }, action: 'finish' },
};

/** What each caller may do under each policy, as the demo policy and Backstage decide it. */
function expected(caller: Caller, op: Operation, policy: PolicyMode): number {
  if (caller.kind === 'no credentials') return 401;
  const isRead = op === 'read' || op === 'history';
  if (caller.kind === 'service principal') {
    // Backstage decides for service principals by their access restrictions,
    // not by the policy; and only a user may act (the history names them).
    return isRead ? 200 : 403;
  }
  if (policy === 'allow') return 200;
  if (policy === 'deny' || policy === 'no-read') return 403;
  const owner = caller.kind !== 'non-owner';
  if (policy === 'update-only') {
    // Owners may read and update; nobody may promote (the bodies' setWeights
    // keeps the canary route split, and rollback goes to its stable subset).
    return owner && !PROMOTIONS.includes(op) ? 200 : 403;
  }
  if (isRead) return 200;
  return owner ? 200 : 403;
}

interface Case {
  caller: CallerKind;
  who: string;
  entity: string;
  op: Operation;
  policy: PolicyMode;
  status: number;
  kubeRequests: number;
  writes: number;
}

/** What each cache mode measured, by mode. */
const measured: Record<string, Record<string, unknown>> = {};

function summary(cases: Case[], leaks: string[], offerMismatches: string[]) {
  return {
    callers: CALLERS.map(c => `${c.kind} (${c.who} on ${c.entity})`),
    operations: OPERATIONS,
    policies: POLICIES,
    cases: cases.length,
    byStatus: countBy(cases, c => c.status),
    allowedWrites: cases.filter(c => c.writes > 0).length,
    refusedWithoutAnyKubernetesRequest: cases.filter(
      c => c.status >= 400 && c.kubeRequests === 0,
    ).length,
    refused: cases.filter(c => c.status >= 400).length,
    writesNotAllowedByPolicy: cases.filter(
      c => c.writes > 0 && c.status !== 200,
    ).length,
    deniedReadsThatLeaked: leaks.length,
    offeredActionsThatDidNotMatch: offerMismatches.length,
    matrix: cases.map(({ policy: p, caller, who, entity, op, status }) => ({
      policy: p,
      caller,
      who,
      entity,
      op,
      status,
    })),
  };
}

afterAll(async () => {
  const [off, on] = CACHE_MODES.map(([mode]) => measured[mode]);
  if (off || on) {
    // The matrix without the caches is the suite's main figure; the run
    // with the watch cache is summed up beside it.
    const sameAnswers =
      off && on
        ? JSON.stringify(off.matrix) === JSON.stringify(on.matrix)
        : undefined;
    await recordResults('permissions', {
      ...(off ?? on),
      ...(on && {
        watchCache: {
          ...on,
          matrix: undefined,
          sameAnswersAsWithoutCache: sameAnswers,
        },
      }),
    });
  }
  closeConnections();
});

describe.each(CACHE_MODES)('permissions (%s)', (mode, cache) => {
  const run = runDir('permissions');
  let east: SimCluster;
  let backend: Backend;
  const tokens: Record<string, string | undefined> = {};
  const cases: Case[] = [];
  const leaks: string[] = [];
  const offerMismatches: string[] = [];
  /** With the watch cache: reads right after a write that did not show it. */
  const staleReadsAfterWrite: string[] = [];
  /** When a user last read rollouts: the offered actions it cached expire OFFER_TTL_MS later. */
  let lastUserRead = 0;
  const results: Record<string, unknown> = {};

  beforeAll(async () => {
    east = await startCluster({
      name: 'demo-east',
      manifestPaths: demoManifests('demo-east', 'permissions'),
    });
    backend = await Backend.start({ dir: run.dir, clusters: [east], cache });
    tokens[GUEST] = await backend.signIn(GUEST);
    tokens[SAM] = await backend.signIn(SAM);
    tokens['static token'] = backend.serviceToken;
    tokens.nobody = undefined;
  });

  afterAll(async () => {
    if (cases.length) {
      measured[mode] = {
        cache,
        ...summary(cases, leaks, offerMismatches),
        ...(cache.watch && {
          offeredActionsTtlMs: OFFER_TTL_MS,
          readsAfterWriteThatMissedIt: staleReadsAfterWrite.length,
        }),
        ...results,
      };
    }
    await backend?.stop();
    await east?.sim.close();
    run.cleanup();
  });

  /** What a denied answer must not contain: anything about the objects or the cluster. */
  function secrets(entity: string, rv: string): string[] {
    return [
      `${entity}-vs`,
      'rel-perms',
      'sapphire',
      'emerald',
      'amber',
      'demo-east',
      east.url,
      `"${rv}"`,
      'x-deploy',
    ];
  }

  /** With the watch cache: waits until the backend's reads show the object at `rv`. */
  async function caughtUp(entity: string, rv: string, what: string) {
    await poll(
      `${what}: the backend's reads did not show resourceVersion ${rv}`,
      async () => {
        const res = await rolloutsOf(backend, entity, backend.serviceToken);
        return res.status === 200 &&
          res.body.rollouts[0]?.resourceVersion === rv
          ? true
          : undefined;
      },
      15_000,
      50,
    );
  }

  describe.each(POLICIES)('policy %s', policy => {
    beforeAll(async () => {
      await backend.setPolicy(policy);
      if (cache.watch) {
        // The actions offered to each user before the switch are reused
        // for OFFER_TTL_MS after the read that computed them.
        await sleep(
          Math.max(0, lastUserRead + OFFER_TTL_MS + 100 - Date.now()),
        );
      }
    });

    it.each(CALLERS)(
      '$kind ($who on $entity): every operation',
      async caller => {
        const token = tokens[caller.who];
        const succeeded: Action[] = [];
        const problems: string[] = [];
        let offered: string[] | undefined;
        for (const op of OPERATIONS) {
          const what = `${policy} / ${caller.kind} (${caller.who} on ${caller.entity}) / ${op}`;
          east.reset();
          const vs = east.object(
            'VirtualService',
            'rel-perms',
            `${caller.entity}-vs`,
          )!;
          const rv = vs.metadata.resourceVersion!;
          if (cache.watch) await caughtUp(caller.entity, rv, what);
          east.sim.requests.clear();
          let res;
          if (op === 'read') {
            res = await request(
              backend.baseUrl,
              'GET',
              `${entityPath(caller.entity)}/rollouts`,
              { token },
            );
            lastUserRead = Date.now();
          } else if (op === 'history') {
            res = await request(
              backend.baseUrl,
              'GET',
              `${entityPath(caller.entity)}/rollouts/history`,
              { token },
            );
          } else {
            res = await act(
              backend,
              caller.entity,
              {
                rolloutId: `demo-east/rel-perms/${caller.entity}-vs`,
                ...BODIES[op],
                resourceVersion: rv,
              },
              token,
            );
          }
          // The watch cache's own long-lived watches are not this request's.
          const kube = east.sim.requests.list().filter(r => r.verb !== 'watch');
          const writes = east.writes();
          cases.push({
            caller: caller.kind,
            who: caller.who,
            entity: caller.entity,
            op,
            policy,
            status: res.status,
            kubeRequests: kube.length,
            writes: writes.length,
          });
          const want = expected(caller, op, policy);
          if (res.status !== want)
            problems.push(`${what}: ${res.status}, expected ${want}`);
          if (res.status === 200 && op === 'read') {
            offered = res.body.rollouts[0].allowedActions;
          }
          if (res.status === 200 && op !== 'read' && op !== 'history') {
            succeeded.push(op);
            if (
              !res.body.changed ||
              writes.length === 0 ||
              writes.some(w => w.status !== 200)
            ) {
              problems.push(
                `${what}: allowed, but nothing (or not all) written`,
              );
            }
            if (cache.watch) {
              // Read-your-writes: the next read shows the write at once.
              const now = east.object(
                'VirtualService',
                'rel-perms',
                `${caller.entity}-vs`,
              )!.metadata.resourceVersion;
              const after = await rolloutsOf(
                backend,
                caller.entity,
                backend.serviceToken,
              );
              if (after.body?.rollouts?.[0]?.resourceVersion !== now) {
                staleReadsAfterWrite.push(
                  `${what}: read ${after.body?.rollouts?.[0]?.resourceVersion}, cluster at ${now}`,
                );
              }
            }
          }
          if (res.status !== 200) {
            // Refused before any Kubernetes request: nothing read, nothing written.
            if (kube.length > 0)
              problems.push(
                `${what}: refused after ${kube.length} Kubernetes requests`,
              );
            if (typeof res.body?.error?.message !== 'string')
              problems.push(`${what}: refused without a message`);
            const leaked = secrets(caller.entity, rv).filter(x =>
              res.text.includes(x),
            );
            if (leaked.length) leaks.push(`${what}: ${leaked.join(', ')}`);
          }
        }
        // The actions a read offers are exactly the ones the caller could take.
        if (
          [...(offered ?? [])].sort().join() !== [...succeeded].sort().join()
        ) {
          offerMismatches.push(
            `${policy} / ${caller.kind} (${caller.who} on ${
              caller.entity
            }): offered ${offered?.join(', ') || 'none'}, could take ${
              succeeded.join(', ') || 'none'
            }`,
          );
        }
        expect(problems).toEqual([]);
        expect(leaks).toEqual([]);
        expect(offerMismatches).toEqual([]);
        expect(staleReadsAfterWrite).toEqual([]);
      },
    );
  });

  it('has had every write allowed by the policy, and nothing else written', () => {
    const unexpected = cases.filter(
      c =>
        c.writes > 0 &&
        expected(CALLERS.find(k => k.kind === c.caller)!, c.op, c.policy) !==
          200,
    );
    expect(unexpected).toEqual([]);
    expect(cases.length).toBe(
      CALLERS.length * OPERATIONS.length * POLICIES.length,
    );
  });

  it('left no change in the cluster without its history record, and named its field manager on every patch', async () => {
    const check = await unrecordedChanges(backend, [east]);
    results.historyCheck = check;
    expect(check.unrecorded).toEqual([]);
    expect(check.withoutFieldManager).toEqual([]);
    expect(check.virtualServiceWrites).toBeGreaterThan(0);
  });
});
