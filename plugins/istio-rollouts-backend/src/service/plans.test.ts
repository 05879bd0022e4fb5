/*
 * Step plans through the plugin's HTTP API and its scheduler, in process: the demo clusters served by kube-sim over
 * real HTTP, the demo catalog and owner-only permissions, a SQLite database, and the scheduler's test double, whose
 * task runs when triggered (a start or a command triggers it, as the real one does; `tick()` is one interval).
 * What is asserted is where it lands: the simulator's store and request log, the history and the plan's record.
 * (The real backend with Prometheus, two replicas on PostgreSQL and restarts: test/reliability.)
 */
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import type {
  SchedulerService,
  ServiceFactory,
} from '@backstage/backend-plugin-api';
import { KubeSim } from '@internal/kube-sim';
import type { StepPlanRecord } from '@internal/plugin-istio-rollouts-common';
import request from 'supertest';
import {
  DemoBackend,
  demoClustersConfig,
  getHistory,
  getRollouts,
  GUEST,
  resetDemoCluster,
  SAM,
  startDemoBackend,
  startDemoCluster,
  storedObject,
  sqliteKnex,
  TOKEN,
  writesTo,
} from '../__testUtils__/demoBackend';
import { PLAN_RUNNER_TASK_ID } from '../plans';

jest.setTimeout(60_000);

const PLANS =
  '/api/istio-rollouts/v1/entities/component/default/reviews/rollouts/plans';
const EAST = 'demo-east/bookinfo/reviews';
const ROUTE = { kind: 'http', index: 0 };

function as(user: string) {
  return mockCredentials.user.header(user);
}

function start(backend: DemoBackend, body: object, user = GUEST) {
  return request(backend.server)
    .post(PLANS)
    .set('authorization', as(user))
    .send(body);
}

function command(backend: DemoBackend, id: string, body: object, user = GUEST) {
  return request(backend.server)
    .post(`${PLANS}/${id}/commands`)
    .set('authorization', as(user))
    .send(body);
}

async function planOf(
  backend: DemoBackend,
  id: string,
): Promise<StepPlanRecord> {
  const res = await request(backend.server)
    .get(PLANS)
    .set('authorization', as(GUEST));
  expect(res.status).toBe(200);
  return res.body.plans.find((p: StepPlanRecord) => p.id === id);
}

async function until<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise(r => setTimeout(r, 200));
  }
}

function weightsIn(sim: KubeSim): Record<string, number> {
  const vs = storedObject(sim, 'VirtualService', 'bookinfo', 'reviews') as any;
  return Object.fromEntries(
    vs.spec.http[0].route.map((d: any) => [d.destination.subset, d.weight]),
  );
}

async function resourceVersion(backend: DemoBackend): Promise<string> {
  const res = await getRollouts(backend, 'reviews');
  return res.body.rollouts.find((r: any) => r.id === EAST).resourceVersion;
}

describe('step plans', () => {
  let east: KubeSim;
  let west: KubeSim;
  let backend: DemoBackend;
  const knex = sqliteKnex();
  // The test double's instance is also its factory, though typed as the service alone.
  const scheduler = mockServices.scheduler() as SchedulerService & {
    factory(options: {
      skipTaskRunOnStartup?: boolean;
    }): ServiceFactory<SchedulerService>;
  };
  /** One interval of the runner. */
  const tick = () => scheduler.triggerTask(PLAN_RUNNER_TASK_ID);

  beforeAll(async () => {
    [east, west] = await Promise.all([
      startDemoCluster('demo-east'),
      startDemoCluster('demo-west'),
    ]);
    const config = demoClustersConfig({ 'demo-east': east, 'demo-west': west });
    backend = await startDemoBackend(
      {
        ...config,
        istioRollouts: {
          ...config.istioRollouts,
          plans: {
            tickSeconds: 1,
            templates: [
              {
                name: 'two steps',
                onFailure: 'rollback',
                steps: [{ setWeight: 60 }, { pause: {} }, { setWeight: 100 }],
              },
            ],
          },
        },
      },
      [scheduler.factory({ skipTaskRunOnStartup: true })],
      { knex },
    );
  });

  afterAll(async () => {
    await backend?.stop();
    await Promise.all([east?.close(), west?.close()]);
    await knex.destroy();
  });

  beforeEach(async () => {
    await Promise.all([
      resetDemoCluster(east, 'demo-east'),
      resetDemoCluster(west, 'demo-west'),
      knex('rollout_plans').delete(),
      knex('rollout_plan_events').delete(),
      knex('rollout_history').delete(),
    ]);
  });

  it('serves the templates, whether the caller may start one, and offers a plan on the canary route', async () => {
    const mine = await request(backend.server)
      .get(PLANS)
      .set('authorization', as(GUEST));
    expect(mine.status).toBe(200);
    expect(mine.body).toMatchObject({
      templates: [{ name: 'two steps', onFailure: 'rollback' }],
      canStart: true,
      canPromote: true,
    });
    const theirs = await request(backend.server)
      .get(PLANS)
      .set('authorization', as(SAM));
    expect(theirs.body).toMatchObject({ canStart: false, canPromote: false });
    const rollouts = await getRollouts(backend, 'reviews');
    const route = rollouts.body.rollouts.find((r: any) => r.id === EAST)
      .routes[0];
    expect(route.planOffer).toEqual({ stableSubset: 'v1', canarySubset: 'v2' });
  });

  it('refuses a bad plan with the field named, another team, and a stale version, writing nothing', async () => {
    const rv = await resourceVersion(backend);
    const base = {
      rolloutId: EAST,
      resourceVersion: rv,
      route: ROUTE,
      stableSubset: 'v1',
      canarySubset: 'v2',
      onFailure: 'rollback',
    };
    const bad = await start(backend, { ...base, steps: [{ setWeight: 150 }] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/steps\[0\]\.setWeight/);
    const unknown = await start(backend, {
      ...base,
      onFailure: undefined,
      template: 'nope',
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toMatch(
      /^template: must name a template \("two steps"\)/,
    );
    const sam = await start(
      backend,
      { ...base, steps: [{ setWeight: 20 }] },
      SAM,
    );
    expect(sam.status).toBe(403);
    const stale = await start(backend, {
      ...base,
      resourceVersion: '1',
      steps: [{ setWeight: 20 }],
    });
    expect(stale.status).toBe(409);
    expect(writesTo(east)).toEqual([]);
    expect(await planOf(backend, '1')).toBeUndefined();
  });

  it('runs a template plan through the actions service, waits for a person, and rolls back on Abort', async () => {
    const rv = await resourceVersion(backend);
    const body = {
      rolloutId: EAST,
      resourceVersion: rv,
      route: ROUTE,
      stableSubset: 'v1',
      canarySubset: 'v2',
      template: 'two steps',
    };
    const dry = await start(backend, { ...body, dryRun: true });
    expect(dry.status).toBe(200);
    expect(dry.body.summary).toBe(
      'Plan "two steps" on reviews-route: v1 → v2 in 3 steps (weights 60 → 100, 1 wait for a person); ends with v2 at 100 % (a promotion); on a failed analysis: roll back to v1.',
    );
    expect(dry.body.record).toBeUndefined();

    const started = await start(backend, body);
    expect(started.status).toBe(200);
    const id = started.body.record.id;
    expect((await start(backend, body)).status).toBe(409);

    // Step 1 writes 60 %, then the plan waits for a person at step 2.
    const paused = await until('the pause step', async () => {
      const p = await planOf(backend, id);
      return p.state.status === 'paused' ? p : undefined;
    });
    expect(weightsIn(east)).toEqual({ v1: 40, v2: 60 });
    expect(paused.progress.label).toBe('paused · step 2/3 · 60 %');
    expect(paused.commands).toEqual(['next', 'skipToEnd', 'resume', 'abort']);
    const patches = writesTo(east).filter(w => w.method === 'PATCH');
    expect(patches).toHaveLength(1);
    expect(patches[0].query).toMatchObject({
      fieldManager: 'backstage-istio-rollouts',
    });
    expect(JSON.stringify(patches[0].body)).toContain('"op":"test"');
    const history = await getHistory(backend, 'reviews');
    expect(history.body.events[0]).toMatchObject({
      actor: GUEST,
      plan: { id, step: 0 },
      status: 'applied',
      reason: `plan #${id} (started by ${GUEST}), step 1/3`,
    });
    const rollouts = await getRollouts(backend, 'reviews');
    const route = rollouts.body.rollouts.find((r: any) => r.id === EAST)
      .routes[0];
    expect(route.plan).toEqual({
      id,
      status: 'paused',
      label: `plan #${id} · paused · step 2/3 · 60 %`,
    });
    expect(route.planOffer).toBeUndefined();

    // Another team may not steer it; Resume needs the version the person saw.
    expect((await command(backend, id, { command: 'pause' }, SAM)).status).toBe(
      403,
    );
    const noVersion = await command(backend, id, { command: 'resume' });
    expect(noVersion.status).toBe(400);
    expect(noVersion.body.error.message).toMatch(
      /^resourceVersion: is required for resume/,
    );

    const aborted = await command(backend, id, {
      command: 'abort',
      resourceVersion: await resourceVersion(backend),
    });
    expect(aborted.status).toBe(200);
    expect(aborted.body.record.state.status).toBe('aborting');
    const ended = await until('the roll back', async () => {
      const p = await planOf(backend, id);
      return p.state.status === 'aborted' ? p : undefined;
    });
    expect(weightsIn(east)).toEqual({ v1: 100, v2: 0 });
    expect(ended.commands).toEqual([]);
    expect(ended.events.map(e => e.kind)).toEqual([
      'started',
      'weightsWritten',
      'paused',
      'command',
      'aborted',
    ]);
    expect(
      (await command(backend, id, { command: 'resume', resourceVersion: '1' }))
        .status,
    ).toBe(409);
  });

  it('pauses on an outside change of the route and never overwrites it', async () => {
    const rv = await resourceVersion(backend);
    const started = await start(backend, {
      rolloutId: EAST,
      resourceVersion: rv,
      route: ROUTE,
      stableSubset: 'v1',
      canarySubset: 'v2',
      onFailure: 'rollback',
      steps: [{ pause: { durationSeconds: 30 } }, { setWeight: 80 }],
    });
    expect(started.status).toBe(200);
    const id = started.body.record.id;
    // kubectl patch, straight to the cluster.
    const edit = await request(east.url)
      .patch(
        '/apis/networking.istio.io/v1/namespaces/bookinfo/virtualservices/reviews?fieldManager=kubectl-patch',
      )
      .set('authorization', `Bearer ${TOKEN}`)
      .set('content-type', 'application/json-patch+json')
      .send(
        JSON.stringify([
          { op: 'replace', path: '/spec/http/0/route/0/weight', value: 70 },
          { op: 'replace', path: '/spec/http/0/route/1/weight', value: 30 },
        ]),
      );
    expect(edit.status).toBe(200);
    east.requests.clear();
    await tick();
    const paused = await planOf(backend, id);
    expect(paused.state.pause).toMatchObject({ kind: 'changedOutside' });
    expect(paused.state.pause?.message).toMatch(
      /^Changed outside the plan by kubectl-patch: resourceVersion \d+ → \d+; weights v1 50→70, v2 50→30/,
    );
    expect(writesTo(east)).toEqual([]);
    expect(weightsIn(east)).toMatchObject({ v1: 70, v2: 30 });
  });

  it('leaves a plan to the replica holding its lease, then takes the write that replica made before dying (recorded, never answered) as its own step, and settles its history row', async () => {
    // A plan whose first tick stops before step 2: a pause of a second.
    const started = await start(backend, {
      rolloutId: EAST,
      resourceVersion: await resourceVersion(backend),
      route: ROUTE,
      stableSubset: 'v1',
      canarySubset: 'v2',
      onFailure: 'rollback',
      steps: [
        { pause: { durationSeconds: 1 } },
        { setWeight: 60 },
        { pause: {} },
      ],
    });
    const id = started.body.record.id;
    // What a replica killed in the middle of step 2 leaves: the plan stored at step 2 and leased to that replica,
    // the step's intent recorded as pending, its PATCH applied, and no plan state after it.
    const plan = await knex('rollout_plans').where('id', Number(id)).first();
    const state = JSON.parse(plan.state);
    await knex('rollout_plans')
      .where('id', Number(id))
      .update({
        state: JSON.stringify({ ...state, stepIndex: 1 }),
        version: plan.version + 1,
        lease_owner: 'a-replica-that-died',
        lease_expires_at: Date.now() + 60_000,
      });
    const [row] = await knex('rollout_history')
      .insert({
        entity_ref: 'component:default/reviews',
        actor: GUEST,
        created_at: new Date().toISOString(),
        rollout_id: EAST,
        cluster: 'demo-east',
        namespace: 'bookinfo',
        virtual_service: 'reviews',
        route_kind: 'http',
        route_index: 0,
        route_name: 'reviews-route',
        action: 'setWeights',
        before: '{}',
        after: '{}',
        summary: 'http[0] reviews-route: v1 50→40, v2 50→60',
        status: 'pending',
        plan_id: id,
        plan_step: 1,
      })
      .returning('id');
    const edit = await request(east.url)
      .patch(
        '/apis/networking.istio.io/v1/namespaces/bookinfo/virtualservices/reviews?fieldManager=backstage-istio-rollouts',
      )
      .set('authorization', `Bearer ${TOKEN}`)
      .set('content-type', 'application/json-patch+json')
      .send(
        JSON.stringify([
          { op: 'replace', path: '/spec/http/0/route/0/weight', value: 40 },
          { op: 'replace', path: '/spec/http/0/route/1/weight', value: 60 },
        ]),
      );
    expect(edit.status).toBe(200);
    east.requests.clear();

    // While its lease runs, the plan is the dead replica's: a tick leaves it alone, not even reading its route.
    await tick();
    expect((await planOf(backend, id)).state.stepIndex).toBe(1);
    expect(east.requests.list()).toEqual([]);
    // Once the lease has lapsed unrenewed, the next tick takes the plan over.
    await knex('rollout_plans')
      .where('id', Number(id))
      .update({ lease_expires_at: Date.now() - 1 });
    await tick();
    const record = await planOf(backend, id);
    // Step 2 counted as done, never written again: the plan went on to wait at step 3.
    expect(record.state.status).toBe('paused');
    expect(record.state.pause?.kind).toBe('step');
    expect(record.events.map(e => e.message)).toContainEqual(
      'step 2/3: http[0] reviews-route: v1 50→40, v2 50→60 (found applied after a restart)',
    );
    expect(writesTo(east)).toEqual([]);
    const rowId = Number(typeof row === 'object' ? row.id : row);
    expect(
      (await knex('rollout_history').where('id', rowId).first()).status,
    ).toBe('applied');
    // Paused for a person: no replica holds it any longer.
    expect(
      await knex('rollout_plans').where('id', Number(id)).first(),
    ).toMatchObject({ lease_owner: null, lease_expires_at: null });
  });

  it('writes no weight once the user it acts as can no longer be asked, and pauses for a person', async () => {
    const started = await start(backend, {
      rolloutId: EAST,
      resourceVersion: await resourceVersion(backend),
      route: ROUTE,
      stableSubset: 'v1',
      canarySubset: 'v2',
      onFailure: 'rollback',
      steps: [{ pause: { durationSeconds: 1 } }, { setWeight: 60 }],
    });
    const id = started.body.record.id;
    // The user's sign-in expired: the kept token no longer stands for them.
    await knex('rollout_plans')
      .where('id', Number(id))
      .update({ actor_token: null });
    await new Promise(r => setTimeout(r, 1100));
    east.requests.clear();
    await tick();
    const record = await planOf(backend, id);
    expect(record.state.pause).toMatchObject({ kind: 'permission' });
    expect(record.state.pause?.message).toMatch(
      /^step 2\/2: user:default\/guest's sign-in has expired/,
    );
    expect(writesTo(east)).toEqual([]);
    expect(weightsIn(east)).toEqual({ v1: 50, v2: 50 });
  });
});
