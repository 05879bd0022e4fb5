/*
 * The plans' storage on SQLite and, where a server is configured, PostgreSQL: one active plan per route, updates
 * only at the version read (a command and a tick never overwrite each other), the actor's token dropped at the end;
 * and the leases that tell which replica moves a plan now.
 */
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { TestDatabaseId, mockServices } from '@backstage/backend-test-utils';
import { storeTestDatabases } from '../__testUtils__/testDatabases';
import {
  StepPlan,
  startStepPlanState,
} from '@internal/plugin-istio-rollouts-common';
import { HistoryStore } from '../history/HistoryStore';
import { PlanStore } from './PlanStore';
import { PlanLeases } from './PlanLeases';

const databases = storeTestDatabases();

const PLAN: StepPlan = {
  rolloutId: 'demo-east/bookinfo/reviews',
  route: { kind: 'http', index: 0, name: 'reviews-route' },
  stableSubset: 'v1',
  canarySubset: 'v2',
  steps: [{ setWeight: 10 }, { pause: {} }, { setWeight: 100 }],
  onFailure: 'rollback',
};

const START = '2026-12-07T10:00:00.000Z';
const state = () =>
  startStepPlanState(
    PLAN,
    { resourceVersion: '7', weights: { v1: 100, v2: 0 } },
    START,
  );

function entry(overrides: Partial<Parameters<PlanStore['insert']>[0]> = {}) {
  return {
    entityRef: 'component:default/reviews',
    plan: PLAN,
    state: state(),
    startedBy: 'user:default/guest',
    actor: 'user:default/guest',
    actorToken: 'secret-token',
    ...overrides,
  };
}

describe.each(databases.eachSupportedId())(
  'PlanStore on %p',
  (databaseId: TestDatabaseId) => {
    async function stores() {
      const knex = await databases.init(databaseId);
      const database = mockServices.database({ knex });
      // The history's migrations make the plans' tables.
      await HistoryStore.create(database);
      return { knex, store: await PlanStore.create(database) };
    }

    it('stores a plan with its first event, and refuses a second on the same route while it is active', async () => {
      const { store } = await stores();
      const first = await store.insert(entry(), {
        kind: 'started',
        message: 'started',
        actor: 'user:default/guest',
      });
      expect(first).toMatchObject({
        id: '1',
        plan: PLAN,
        state: state(),
        actorToken: 'secret-token',
        version: 0,
      });
      await expect(
        store.insert(entry(), { kind: 'started', message: 'again' }),
      ).rejects.toThrow(/Plan #1 \(running\) already runs on this route/);
      // Another route of the same VirtualService is free.
      await store.insert(
        entry({ plan: { ...PLAN, route: { kind: 'http', index: 1 } } }),
        { kind: 'started', message: 'other route' },
      );
      expect((await store.events(first.id)).map(e => e.message)).toEqual([
        'started',
      ]);
    });

    it('updates only at the version read, and frees the route and forgets the token when the plan ends', async () => {
      const { store } = await stores();
      const stored = await store.insert(entry(), {
        kind: 'started',
        message: 'started',
      });
      const paused = {
        ...stored.state,
        status: 'paused' as const,
        pause: { kind: 'manual' as const, message: 'paused', since: START },
      };
      const updated = await store.update(stored, { state: paused }, [
        { kind: 'paused', message: 'paused by a person' },
      ]);
      expect(updated?.version).toBe(1);
      expect(updated?.state.status).toBe('paused');
      // A second writer that read version 0 changes nothing.
      expect(
        await store.update(stored, { state: { ...stored.state } }),
      ).toBeUndefined();
      expect((await store.get(stored.id))?.state.status).toBe('paused');
      expect(await store.activeForRollouts([PLAN.rolloutId])).toHaveLength(1);
      expect(await store.listMoving()).toEqual([]);

      const ended = await store.update(updated!, {
        state: {
          ...updated!.state,
          status: 'aborted',
          end: { at: START, reason: 'aborted' },
        },
        actor: { ref: 'user:default/sam', token: 'sams-token' },
      });
      expect(ended).toMatchObject({ actor: 'user:default/sam', version: 2 });
      expect(ended?.actorToken).toBeUndefined();
      expect(await store.activeForRollouts([PLAN.rolloutId])).toEqual([]);
      // The route is free again.
      await store.insert(entry(), { kind: 'started', message: 'new plan' });
      expect(
        (await store.listForEntity('component:default/reviews')).map(p => [
          p.id,
          p.state.status,
        ]),
      ).toEqual([
        ['2', 'running'],
        ['1', 'aborted'],
      ]);
      expect((await store.events(stored.id)).map(e => e.kind)).toEqual([
        'started',
        'paused',
      ]);
    });

    it('leases a moving plan to one replica at a time, until it is released or its lease lapses', async () => {
      const { knex, store } = await stores();
      let now = Date.parse(START);
      const leases = new PlanLeases(knex, () => now);
      const { id } = await store.insert(entry(), {
        kind: 'started',
        message: 'started',
      });
      expect(await leases.claim(id, 'replica-a', 5000)).toBe(true);
      // Held: another replica's tick leaves it alone; its holder may claim again.
      expect(await leases.claim(id, 'replica-b', 5000)).toBe(false);
      expect(await leases.claim(id, 'replica-a', 5000)).toBe(true);
      now += 4000;
      expect(await leases.renew(id, 'replica-a', 5000)).toBe(true);
      now += 4000;
      expect(await leases.claim(id, 'replica-b', 5000)).toBe(false);
      // Not renewed for longer than the lease (replica-a died): the next tick takes it.
      now += 1001;
      expect(await leases.claim(id, 'replica-b', 5000)).toBe(true);
      expect(await leases.holder(id)).toEqual({
        owner: 'replica-b',
        expiresAt: now + 5000,
      });
      // The one that lost it can neither renew nor free it.
      expect(await leases.renew(id, 'replica-a', 5000)).toBe(false);
      await leases.release(id, 'replica-a');
      expect((await leases.holder(id))?.owner).toBe('replica-b');
      await leases.release(id, 'replica-b');
      expect(await leases.holder(id)).toBeUndefined();
      expect(await leases.claim(id, 'replica-a', 5000)).toBe(true);
      await leases.release(id, 'replica-a');
      // A paused plan waits for a person: no replica leases it.
      const stored = (await store.get(id))!;
      await store.update(stored, {
        state: {
          ...stored.state,
          status: 'paused',
          pause: { kind: 'manual', message: 'paused', since: START },
        },
      });
      expect(await leases.claim(id, 'replica-a', 5000)).toBe(false);
      // A lease never counts as a change of the plan: versions stay the runner's and people's.
      expect((await store.get(id))?.version).toBe(1);
    });

    it('migrates down to the schema before plans, and up again', async () => {
      const { knex, store } = await stores();
      await store.insert(entry(), { kind: 'started', message: 'started' });
      const directory = resolvePackagePath(
        '@internal/plugin-istio-rollouts-backend',
        'migrations',
      );
      await knex.migrate.down({
        directory,
        name: '20261208120000_plans.js',
      });
      expect(await knex.schema.hasTable('rollout_plans')).toBe(false);
      expect(await knex.schema.hasColumn('rollout_history', 'plan_id')).toBe(
        false,
      );
      await knex.migrate.latest({ directory });
      expect(await store.listMoving()).toEqual([]);
    });
  },
);
