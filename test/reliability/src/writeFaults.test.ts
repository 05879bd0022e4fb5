/*
 * Suite 2, faults during writes: every action, with each of its writes hit
 * in turn by a 500, a timeout (an answer later than the cluster budget), a
 * dropped connection and a 409 — before the API server makes the write — and
 * by a 500, a late answer and a lost answer after it made it. The caller
 * gets a clear answer (a 5xx names the cluster, a 409 says reload); the
 * cluster ends exactly as before the action or exactly as the action's dry
 * run said it would be, never in between; and a 200 means "after", an error
 * means "before", with history and audit saying the same: the history
 * records the intent before the first PATCH, and then `applied`, `refused`
 * (a 409) or `failed` (the cluster read back unchanged).
 */
import type { FaultSpec } from '@internal/kube-sim';
import { applyPatch, Operation } from 'fast-json-patch';
import {
  act,
  Backend,
  closeConnections,
  CLUSTER_TIMEOUT_MS,
  countBy,
  HistoryCheck,
  demoManifests,
  GUEST,
  historyOf,
  loadRollout,
  poll,
  recordResults,
  runDir,
  SimCluster,
  sleep,
  startCluster,
  unrecordedChanges,
} from './__testUtils__/harness';

jest.setTimeout(240_000);

type Resource = 'destinationrules' | 'virtualservices';

interface ActionCase {
  action: string;
  entity: string;
  rolloutId: string;
  body: Record<string, unknown>;
  /** The writes the action makes, in order. */
  writes: Resource[];
}

const REVIEWS = 'demo-east/bookinfo/reviews';
const route = { kind: 'http', index: 0 };

const ACTIONS: ActionCase[] = [
  {
    action: 'setWeights',
    entity: 'reviews',
    rolloutId: REVIEWS,
    body: { route, action: 'setWeights', weights: { v1: 80, v2: 20 } },
    writes: ['virtualservices'],
  },
  {
    action: 'promote',
    entity: 'reviews',
    rolloutId: REVIEWS,
    body: { route, action: 'promote', subset: 'v2' },
    writes: ['virtualservices'],
  },
  {
    action: 'rollback',
    entity: 'reviews',
    rolloutId: REVIEWS,
    body: { route, action: 'rollback' },
    writes: ['virtualservices'],
  },
  {
    action: 'switch',
    entity: 'gorilla-sfx-demo',
    rolloutId: 'demo-east/default/gorilla-sfx-demo',
    body: { action: 'switch' },
    writes: ['virtualservices'],
  },
  {
    // v4 runs but has no subset yet: the DestinationRule first, then the VirtualService.
    action: 'startCanary',
    entity: 'reviews',
    rolloutId: REVIEWS,
    body: { route, action: 'startCanary', subset: 'v4' },
    writes: ['destinationrules', 'virtualservices'],
  },
];

interface FaultCase {
  fault: string;
  spec: Omit<FaultSpec, 'verb' | 'resource' | 'times'>;
  /** Whether the API server makes the write before the fault strikes. */
  writeMade: boolean;
}

// Past the budget, but not by much: every timeout case waits for it to pass.
const LATE = CLUSTER_TIMEOUT_MS + 500;

const FAULTS: FaultCase[] = [
  { fault: '500', spec: { status: 500 }, writeMade: false },
  { fault: 'timeout', spec: { latencyMs: LATE }, writeMade: false },
  { fault: 'dropped connection', spec: { drop: true }, writeMade: false },
  { fault: '409', spec: { status: 409 }, writeMade: false },
  {
    fault: '500 after the write',
    spec: { status: 500, after: true },
    writeMade: true,
  },
  {
    fault: 'timeout after the write',
    spec: { latencyMs: LATE, after: true },
    writeMade: true,
  },
  {
    fault: 'answer lost after the write',
    spec: { drop: true, after: true },
    writeMade: true,
  },
];

/** What the cluster holds, every object's labels, annotations and spec, by kind/namespace/name. */
function contents(cluster: SimCluster): Record<string, unknown> {
  return Object.fromEntries(
    cluster.sim.store
      .all()
      .map(e => e.object)
      .map(o => [
        `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`,
        {
          labels: o.metadata.labels,
          annotations: o.metadata.annotations,
          spec: o.spec,
        },
      ]),
  );
}

/** The cluster as it will be once `patches` are applied, computed here from the dry run's patches. */
function expectedAfter(
  cluster: SimCluster,
  patches: Array<{
    kind: string;
    namespace: string;
    name: string;
    operations: Operation[];
  }>,
): Record<string, unknown> {
  const expected = contents(cluster);
  for (const p of patches) {
    const object = JSON.parse(
      JSON.stringify(cluster.object(p.kind, p.namespace, p.name)),
    );
    const patched = applyPatch(object, p.operations, true, false).newDocument;
    const key = `${p.kind}/${p.namespace}/${p.name}`;
    expected[key] = { ...(expected[key] as object), spec: patched.spec };
  }
  return expected;
}

describe('faults during writes', () => {
  const run = runDir('write-faults');
  let east: SimCluster;
  let backend: Backend;
  let token: string;
  const cases: Array<Record<string, unknown>> = [];
  let historyCheck: HistoryCheck | undefined;

  beforeAll(async () => {
    east = await startCluster({
      name: 'demo-east',
      manifestPaths: demoManifests('demo-east', 'reviews-v4'),
    });
    backend = await Backend.start({ dir: run.dir, clusters: [east] });
    token = await backend.signIn(GUEST);
  });

  afterAll(async () => {
    if (cases.length) {
      await recordResults('writeFaults', {
        actions: ACTIONS.map(a => ({ action: a.action, writes: a.writes })),
        faults: FAULTS.map(f => f.fault),
        injected: cases.length,
        outcomes: countBy(cases, c => `${c.fault}: ${c.status} ${c.cluster}`),
        endedBefore: cases.filter(c => c.cluster === 'before').length,
        endedAfter: cases.filter(c => c.cluster === 'after').length,
        endedBetween: cases.filter(c => c.cluster === 'between').length,
        cases,
        historyCheck,
      });
    }
    await backend?.stop();
    await east?.sim.close();
    closeConnections();
    run.cleanup();
  });

  const table = ACTIONS.flatMap(a =>
    a.writes.flatMap((resource, w) =>
      FAULTS.map(f => ({ ...a, resource, write: w + 1, ...f })),
    ),
  );

  it.each(table)(
    '$action, write $write of $writes.length ($resource): $fault',
    async ({
      action,
      entity,
      rolloutId,
      body,
      resource,
      write,
      writes,
      fault,
      spec,
      writeMade,
    }) => {
      east.reset();
      east.sim.faults.clear();
      const rollout = await loadRollout(backend, entity, rolloutId, token);
      const request = {
        rolloutId,
        ...body,
        resourceVersion: rollout.resourceVersion,
        reason: `fault ${fault} on write ${write}`,
      };

      // The dry run says exactly what the action will write.
      const dry = await act(
        backend,
        entity,
        { ...request, dryRun: true },
        token,
      );
      expect(dry.status).toBe(200);
      expect(dry.body.patches.map((p: { kind: string }) => p.kind)).toEqual(
        writes.map(r =>
          r === 'virtualservices' ? 'VirtualService' : 'DestinationRule',
        ),
      );
      const before = contents(east);
      const after = expectedAfter(east, dry.body.patches);
      const historyBefore = (await historyOf(backend, entity, token)).length;
      const auditBefore = backend.auditEvents().length;

      east.sim.faults.add({ verb: 'patch', resource, times: 1, ...spec });
      const res = await act(backend, entity, request, token);
      // Let a late answer's time pass, so nothing lands unseen after we look.
      if (spec.latencyMs) await sleep(Math.max(0, LATE - res.ms) + 200);
      expect(east.sim.faults.list()).toEqual([]);

      const now = contents(east);
      let cluster = 'between';
      if (JSON.stringify(now) === JSON.stringify(before)) cluster = 'before';
      else if (JSON.stringify(now) === JSON.stringify(after)) cluster = 'after';

      const history = await historyOf(backend, entity, token);
      const audit = await poll(
        'The attempt was not audited',
        async () =>
          backend
            .auditEvents()
            .slice(auditBefore)
            .find(e => !e.meta.dryRun && e.meta.action === action),
        5000,
        50,
      );
      cases.push({
        action,
        write,
        writes: writes.length,
        object:
          resource === 'virtualservices' ? 'VirtualService' : 'DestinationRule',
        fault,
        status: res.status,
        cluster,
        message: res.body?.error?.message ?? res.body?.warning,
        historyRowsAdded: history.length - historyBefore,
        historyStatus: history[0]?.status,
        audit: audit.meta.outcome,
        ms: Math.round(res.ms),
      });

      // Never between; a 200 means the change is in, an error that it is not.
      const ok = res.status === 200;
      expect(cluster).toBe(ok ? 'after' : 'before');
      // One history row either way: the change, or the attempt and why it
      // changed nothing.
      expect(history.length - historyBefore).toBe(1);
      let recorded = 'failed';
      if (ok) recorded = 'applied';
      else if (spec.status === 409) recorded = 'refused';
      expect({
        action: history[0].action,
        reason: history[0].reason,
        status: history[0].status,
      }).toEqual({ action, reason: request.reason, status: recorded });
      // A 200 answers with the event it recorded.
      expect(ok && { id: history[0].id, warning: history[0].warning }).toEqual(
        ok && { id: res.body.event.id, warning: res.body.warning },
      );
      // The audit says the same, with the error when there was one.
      expect(audit.status).toBe(ok ? 'succeeded' : 'failed');
      expect(ok && audit.meta.historyEventId).toBe(ok && res.body.event.id);
      expect(audit.message).toContain(res.body.error?.message ?? '');

      // What the caller is told, fault by fault.
      let status = 503;
      let outcome = 'failed';
      // A 5xx names the cluster, and (the cluster answered the read-back) says for sure.
      let told =
        /^(?!.*may or may not)(?=.*[Cc]luster "demo-east").*nothing was changed/s;
      if (writeMade) {
        // The write was made and its answer lost: the backend asks the
        // cluster, finds the change in, and says so.
        status = 200;
        outcome = 'applied';
        told =
          /cluster's answer did not arrive .*reading it back showed the change in place\.$/s;
      } else if (spec.status === 409) {
        status = 409;
        outcome = 'conflict';
        told = /reload and try again/;
      }
      expect(res.status).toBe(status);
      expect(audit.meta.outcome).toBe(outcome);
      expect(ok ? res.body.warning : res.body.error.message).toMatch(told);
    },
  );

  it('left no change in the cluster without its history record, and named its field manager on every patch', async () => {
    historyCheck = await unrecordedChanges(backend, [east]);
    expect(historyCheck.unrecorded).toEqual([]);
    expect(historyCheck.withoutFieldManager).toEqual([]);
    // The faults after the write, and startCanary's compensations, are in it.
    expect(historyCheck.destinationRuleWrites).toBeGreaterThan(0);
  });
});
