/*
 * Step plans on two replicas of the real backend sharing one PostgreSQL
 * (same server, same database prefix; each replica its own folder and
 * port), one kube-sim cluster, the runner ticking every second on both
 * (Backstage's scheduler's two global task slots; a lease on each plan lets
 * one replica at a time move it). Each replica talks to the cluster with a
 * token of its own, so the cluster's request log tells which one sent a
 * request.
 *
 * Every weight step reaches the cluster exactly once, whichever replica
 * takes it. And the replica taking a step is killed (SIGKILL) the moment
 * the cluster applies that step's PATCH, before it hears the answer: it
 * dies holding a scheduler slot and the plan's lease, with the step written
 * and the plan's new state not stored. The other replica must take the plan
 * over once the lease lapses (5 s at this tick), well before the scheduler
 * would free the dead replica's slot (the task's timeout, 30 s, then its
 * janitor's next minute), and finish it without writing that step again.
 * Skipped without a PostgreSQL server, like the restart suite
 * (BACKSTAGE_TEST_DATABASE_POSTGRES<N>_CONNECTION_STRING, set by CI).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {
  Backend,
  closeConnections,
  demoManifests,
  GUEST,
  historyOf,
  loadRollout,
  poll,
  recordResults,
  runDir,
  secret,
  SimCluster,
  startCluster,
  unrecordedChanges,
} from './__testUtils__/harness';
import {
  dropDatabases,
  PlanClient,
  PlanTarget,
  planTarget,
  pluginPatches,
  Step,
  storedWeights,
  weightLines,
} from './__testUtils__/plans';
import { postgresConnection } from './__testUtils__/restarts';

jest.setTimeout(360_000);

const connection = postgresConnection();
const TICK_SECONDS = 1;
const REPLICAS = ['a', 'b'] as const;
type Replica = (typeof REPLICAS)[number];

/** Each weight, then a pause of 2 s: the steps come fast, one tick apart at best. */
function stepsOf(weights: number[]): Step[] {
  return weights.flatMap((w, i) =>
    i < weights.length - 1
      ? [{ setWeight: w }, { pause: { durationSeconds: 2 } }]
      : [{ setWeight: w }],
  );
}

/** The plan's history rows, oldest first: the canary weight each wrote, its step and status. */
async function planRows(
  client: PlanClient,
  target: PlanTarget,
  planId: string,
  canary: string,
) {
  // A read of the rollout settles rows whose answer was lost (`pending`).
  await loadRollout(
    client.backend,
    target.entity,
    target.rolloutId,
    client.token,
  );
  const rows = (await historyOf(client.backend, target.entity, client.token))
    .filter(e => e.plan?.id === planId)
    .reverse();
  return {
    weights: rows.map(row => {
      const match = new RegExp(`${canary} \\d+→(\\d+)`).exec(row.summary);
      return match ? Number(match[1]) : NaN;
    }),
    steps: rows.map(row => row.plan.step),
    statuses: rows.map(row => row.status),
  };
}

(connection ? describe : describe.skip)(
  'step plans on two replicas (PostgreSQL)',
  () => {
    const prefix = `reliability_plans_${crypto
      .randomBytes(4)
      .toString('hex')}_`;
    let runs: Array<ReturnType<typeof runDir>> = [];
    const tokens = { a: secret('replica-a'), b: secret('replica-b') };
    const results: Record<string, unknown> = {
      database: `PostgreSQL (fresh databases ${prefix}*), two replicas`,
      tickSeconds: TICK_SECONDS,
    };
    let east: SimCluster;
    const replicas = {} as Record<Replica, Backend>;
    const clients = {} as Record<Replica, PlanClient>;
    /** The replica still running once one was killed. */
    let alive: Replica = 'a';

    /** Which replica sent a request to the cluster, by the token it used. */
    const sender = (entry: { user?: string }) =>
      entry.user?.replace(/^replica-/, '') as Replica;

    beforeAll(async () => {
      // Made here, not when the suite is collected: a skipped suite leaves nothing behind.
      runs = REPLICAS.map(r => runDir(`plans-replica-${r}`));
      const usersFile = path.join(runs[0].dir, 'kube-sim-users.json');
      fs.writeFileSync(
        usersFile,
        JSON.stringify({
          users: REPLICAS.map(r => ({
            name: `replica-${r}`,
            token: tokens[r],
            rules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }],
          })),
        }),
      );
      east = await startCluster({
        name: 'east',
        manifestPaths: demoManifests('demo-east', 'permissions'),
        token: tokens.a,
        usersFile,
      });
      // One after the other: the first makes the databases and migrates them.
      for (const [i, r] of REPLICAS.entries()) {
        replicas[r] = await Backend.start({
          dir: runs[i].dir,
          clusters: [{ ...east, token: tokens[r] }],
          postgres: { connection: connection!, prefix },
          istioRollouts: { plans: { tickSeconds: TICK_SECONDS } },
        });
        clients[r] = new PlanClient(
          replicas[r],
          await replicas[r].signIn(GUEST),
        );
      }
    });

    afterAll(async () => {
      await Promise.all(Object.values(replicas).map(r => r.stop()));
      await east?.sim.close();
      closeConnections();
      runs.forEach(r => r.cleanup());
      if (connection) await dropDatabases(connection, prefix);
    });

    it('applies every weight step exactly once, whichever replica takes it', async () => {
      const target = planTarget('reviews', 'east/bookinfo/reviews', 0);
      const weights = [10, 20, 30, 40, 50, 100];
      const from = east.allWrites.length;
      const started = Date.now();
      const plan = await clients.a.start(
        target,
        { steps: stepsOf(weights), onFailure: 'pause' },
        { stable: 'v1', canary: 'v2' },
      );
      const done = await clients.b.wait(
        target.entity,
        plan.id,
        'done',
        120_000,
      );
      expect(done.state.status).toBe('completed');
      expect(storedWeights(east, target)).toEqual({ v1: 0, v2: 100 });
      const patches = pluginPatches(east, target, from);
      expect(patches.map(p => p.status)).toEqual(weights.map(() => 200));
      expect(east.allWrites.slice(from)).toHaveLength(weights.length);
      const rows = await planRows(clients.b, target, plan.id, 'v2');
      expect(rows.weights).toEqual(weights);
      expect(rows.steps).toEqual(weights.map((_, i) => 2 * i));
      expect(rows.statuses).toEqual(weights.map(() => 'applied'));
      // Each step logged once, by the replica whose PATCH the cluster got.
      const logged = REPLICAS.flatMap(r =>
        weightLines(replicas[r], plan.id).map(l => ({ ...l, replica: r })),
      ).sort((x, y) => x.step - y.step);
      expect(logged.map(l => l.step)).toEqual(weights.map((_, i) => 2 * i + 1));
      expect(logged.map(l => l.replica)).toEqual(patches.map(sender));
      results.twoReplicas = {
        rollout: `${target.rolloutId} http[0], v1 → v2`,
        weights,
        steps: plan.plan.steps.length,
        patches: patches.length,
        patchesPerWeightStep: patches.length / weights.length,
        stepsByReplica: patches.map(sender).join(''),
        seconds: Math.round((Date.now() - started) / 100) / 10,
      };
    });

    it('finishes the plan on the other replica, without writing a step twice, when the one writing it is killed', async () => {
      const target = planTarget(
        'rel-guest-owned',
        'east/rel-perms/rel-guest-owned-vs',
        1,
      );
      const weights = [10, 20, 30, 40, 50, 60, 100];
      const from = east.allWrites.length;
      // The third weight's PATCH: its sender dies before the cluster answers.
      let victim: Replica | undefined;
      let killedAt = 0;
      east.onChange = change => {
        if (
          victim ||
          change.name !== target.name ||
          pluginPatches(east, target, from).length < 3
        ) {
          return;
        }
        victim = sender(pluginPatches(east, target, from)[2]);
        replicas[victim].kill();
        killedAt = Date.now();
      };
      const plan = await clients.a.start(
        target,
        { steps: stepsOf(weights), onFailure: 'pause' },
        { stable: 'sapphire', canary: 'emerald' },
      );
      let survivor: Replica = 'a';
      try {
        await poll(
          'The third weight was not written',
          async () => victim,
          90_000,
          50,
        );
        survivor = victim === 'a' ? 'b' : 'a';
        alive = survivor;
      } finally {
        east.onChange = undefined;
      }
      const done = await clients[survivor].wait(
        target.entity,
        plan.id,
        'completed by the surviving replica',
        240_000,
        undefined,
        500,
      );
      expect(done.state.status).toBe('completed');
      expect(storedWeights(east, target)).toEqual({
        sapphire: 0,
        emerald: 100,
      });
      // Each weight once: none lost, none written twice across the kill.
      const patches = pluginPatches(east, target, from);
      expect(patches.map(p => p.status)).toEqual(weights.map(() => 200));
      expect(east.allWrites.slice(from)).toHaveLength(weights.length);
      const rows = await planRows(
        clients[survivor],
        target,
        plan.id,
        'emerald',
      );
      expect(rows.weights).toEqual(weights);
      expect(rows.steps).toEqual(weights.map((_, i) => 2 * i));
      // Every step from the killed one on was taken by the survivor; the
      // killed step it found written (its history row) and did not repeat.
      const afterKill = patches.slice(3).map(sender);
      expect(afterKill).toEqual(afterKill.map(() => survivor));
      const found = weightLines(replicas[survivor], plan.id).find(
        l => l.step === 5,
      );
      expect(found?.message).toContain('(found applied after a restart)');
      // The survivor's first tick after the kill: the runner reads the route
      // from the cluster at every tick (the suite reads none meanwhile).
      const firstRead = east.sim.requests
        .list()
        .find(
          r =>
            r.resource === 'virtualservices' &&
            r.method === 'GET' &&
            sender(r) === survivor &&
            Date.parse(r.time) > killedAt,
        );
      const takeoverMs = Date.parse(firstRead!.time) - killedAt;
      // Through the lease, not the scheduler: the dead replica's slot stays held for at least the task's timeout.
      expect(takeoverMs).toBeLessThan(30_000);
      results.kill = {
        rollout: `${target.rolloutId} http[1], sapphire → emerald`,
        weights,
        killed: `replica ${victim}, SIGKILL when the cluster applied its PATCH of step 5/13 (weight 30), before answering`,
        stepsByReplica: patches.map(sender).join(''),
        patches: patches.length,
        patchesPerWeightStep: patches.length / weights.length,
        killedStep: found?.message,
        historyStatuses: rows.statuses,
        takeoverSeconds: Math.round(takeoverMs / 100) / 10,
        secondsFromKillToCompleted:
          Math.round((Date.parse(done.state.end.at) - killedAt) / 100) / 10,
      };
      // Last, once the figures are kept: the killed step's row too, since the
      // plan found that write applied (left `pending`, a read cannot settle it
      // once the route has moved on, and it turns `unknown` after 2 min).
      expect(rows.statuses).toEqual(weights.map(() => 'applied'));
    });

    it('left no change in the cluster without its history record', async () => {
      const check = await unrecordedChanges(replicas[alive], [east]);
      expect(check.unrecorded).toEqual([]);
      expect(check.withoutFieldManager).toEqual([]);
      results.historyCheck = check;
      await recordResults('plans-replicas-postgres', results);
    });
  },
);
