import type { DatabaseService } from '@backstage/backend-plugin-api';
import { ConflictError } from '@backstage/errors';
import {
  isStepPlanEnded,
  StepPlan,
  StepPlanEvent,
  StepPlanEventKind,
  StepPlanState,
} from '@internal/plugin-istio-rollouts-common';
import { Knex } from 'knex';
import { PlanLeases } from './PlanLeases';

const PLANS = 'rollout_plans';
const EVENTS = 'rollout_plan_events';
/** Plans a person or the runner still acts on. */
const ACTIVE = ['running', 'paused', 'aborting'];
const MAX_LISTED = 50;

interface PlanRow {
  id: number | string;
  entity_ref: string;
  rollout_id: string;
  route_kind: string;
  route_index: number;
  route_name: string | null;
  active_key: string | null;
  status: string;
  plan: string;
  state: string;
  started_by: string;
  actor: string;
  actor_token: string | null;
  reason: string | null;
  version: number;
  created_at: string | Date;
  updated_at: string | Date;
}

interface EventRow {
  id: number | string;
  plan_id: number | string;
  at: string | Date;
  kind: string;
  message: string;
  actor: string | null;
  step: number | null;
  history_id: string | null;
}

/** A plan as stored, with what only the backend sees (the actor's token, the row's version). */
export interface StoredPlan {
  id: string;
  entityRef: string;
  plan: StepPlan;
  state: StepPlanState;
  startedBy: string;
  /** The user the plan acts as. */
  actor: string;
  /** A token of `actor`, to ask the permission policy as them; never served. */
  actorToken?: string;
  reason?: string;
  /** Bumped on every update; an update names the version it read. */
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** An entry for a plan's own history. */
export type NewPlanEvent = Omit<StepPlanEvent, 'at'> & { at?: string };

/** A change of a stored plan: its new state, and a new actor when a person took it over. */
export interface PlanUpdate {
  state: StepPlanState;
  actor?: { ref: string; token?: string };
}

const time = (value: string | Date) => new Date(value).toISOString();

function activeKey(plan: StepPlan): string {
  return `${plan.rolloutId}#${plan.route.kind}#${plan.route.index}`;
}

function toPlan(row: PlanRow): StoredPlan {
  return {
    id: String(row.id),
    entityRef: row.entity_ref,
    plan: JSON.parse(row.plan),
    state: JSON.parse(row.state),
    startedBy: row.started_by,
    actor: row.actor,
    ...(row.actor_token && { actorToken: row.actor_token }),
    ...(row.reason && { reason: row.reason }),
    version: Number(row.version),
    createdAt: time(row.created_at),
    updatedAt: time(row.updated_at),
  };
}

function toEvent(row: EventRow): StepPlanEvent {
  return {
    at: time(row.at),
    kind: row.kind as StepPlanEventKind,
    message: row.message,
    ...(row.actor && { actor: row.actor }),
    ...(row.step !== null && row.step !== undefined && { step: row.step }),
    ...(row.history_id && { historyId: row.history_id }),
  };
}

/**
 * Step plans and their own history, in the plugin's database (SQLite or PostgreSQL through Backstage's database
 * service; the tables come with the history's migrations). Every replica reads and writes the same rows; an update
 * is made only at the version it read (optimistic locking), so a person's command and the runner's tick never
 * overwrite each other, and at most one plan runs per route (a unique key while it is active).
 */
export class PlanStore {
  /** The plugin's database, migrated by the history store first. */
  static async create(database: DatabaseService): Promise<PlanStore> {
    return new PlanStore(await database.getClient());
  }

  /** Which replica moves which plan now, in the same table. */
  readonly leases: PlanLeases;

  constructor(private readonly db: Knex) {
    this.leases = new PlanLeases(db);
  }

  /** Stores a new plan with its first event; 409 when a plan is already active on the route. */
  async insert(
    entry: Omit<StoredPlan, 'id' | 'version' | 'createdAt' | 'updatedAt'>,
    event: NewPlanEvent,
  ): Promise<StoredPlan> {
    const key = activeKey(entry.plan);
    const now = entry.state.startedAt;
    try {
      return await this.db.transaction(async tx => {
        const [inserted] = await tx<PlanRow>(PLANS)
          .insert({
            entity_ref: entry.entityRef,
            rollout_id: entry.plan.rolloutId,
            route_kind: entry.plan.route.kind,
            route_index: entry.plan.route.index,
            route_name: entry.plan.route.name ?? null,
            active_key: key,
            status: entry.state.status,
            plan: JSON.stringify(entry.plan),
            state: JSON.stringify(entry.state),
            started_by: entry.startedBy,
            actor: entry.actor,
            actor_token: entry.actorToken ?? null,
            reason: entry.reason ?? null,
            version: 0,
            created_at: now,
            updated_at: now,
          })
          .returning('id');
        const id = String(
          typeof inserted === 'object' ? inserted.id : inserted,
        );
        await tx<EventRow>(EVENTS).insert(eventRow(id, event, now));
        return (await this.getIn(tx, id))!;
      });
    } catch (e) {
      const running = await this.db<PlanRow>(PLANS)
        .where('active_key', key)
        .first();
      if (running) {
        throw new ConflictError(
          `Plan #${running.id} (${running.status}) already runs on this route; abort it or wait until it ends.`,
        );
      }
      throw e;
    }
  }

  async get(id: string): Promise<StoredPlan | undefined> {
    return this.getIn(this.db, id);
  }

  private async getIn(db: Knex, id: string) {
    if (!/^\d{1,12}$/.test(id)) return undefined;
    const row = await db<PlanRow>(PLANS).where('id', Number(id)).first();
    return row && toPlan(row);
  }

  /** An entity's plans: the active ones, then the newest ended ones, at most 50. */
  async listForEntity(entityRef: string): Promise<StoredPlan[]> {
    const rows: PlanRow[] = await this.db<PlanRow>(PLANS)
      .where('entity_ref', entityRef)
      .orderBy('id', 'desc')
      .limit(MAX_LISTED);
    const plans = rows.map(toPlan);
    const active = (p: StoredPlan) => !isStepPlanEnded(p.state);
    return [...plans.filter(active), ...plans.filter(p => !active(p))];
  }

  /** The active plans of these rollouts (running, paused or aborting). */
  async activeForRollouts(rolloutIds: string[]): Promise<StoredPlan[]> {
    if (rolloutIds.length === 0) return [];
    const rows: PlanRow[] = await this.db<PlanRow>(PLANS)
      .whereIn('rollout_id', [...new Set(rolloutIds)])
      .whereIn('status', ACTIVE)
      .orderBy('id');
    return rows.map(toPlan);
  }

  /** Every plan the runner moves: running or aborting (a paused one waits for a person). */
  async listMoving(): Promise<StoredPlan[]> {
    const rows: PlanRow[] = await this.db<PlanRow>(PLANS)
      .whereIn('status', ['running', 'aborting'])
      .orderBy('id');
    return rows.map(toPlan);
  }

  /**
   * Writes a plan's new state (and actor), with its events, only if the plan is still at the version read; returns
   * the plan as stored now, or undefined when someone else updated it first (nothing written). An ended plan
   * leaves its route free and forgets its actor's token.
   */
  async update(
    stored: StoredPlan,
    update: PlanUpdate,
    events: NewPlanEvent[] = [],
  ): Promise<StoredPlan | undefined> {
    const now = new Date().toISOString();
    const ended = isStepPlanEnded(update.state);
    return this.db.transaction(async tx => {
      const changed = await tx<PlanRow>(PLANS)
        .where('id', Number(stored.id))
        .where('version', stored.version)
        .update({
          status: update.state.status,
          state: JSON.stringify(update.state),
          version: stored.version + 1,
          updated_at: now,
          ...(ended && { active_key: null, actor_token: null }),
          ...(update.actor && {
            actor: update.actor.ref,
            ...(!ended && { actor_token: update.actor.token ?? null }),
          }),
        });
      if (changed !== 1) return undefined;
      if (events.length) {
        await tx<EventRow>(EVENTS).insert(
          events.map(e => eventRow(stored.id, e, now)),
        );
      }
      return this.getIn(tx, stored.id);
    });
  }

  /** A plan's own history, oldest first. */
  async events(planId: string): Promise<StepPlanEvent[]> {
    const rows: EventRow[] = await this.db<EventRow>(EVENTS)
      .where('plan_id', Number(planId))
      .orderBy('id');
    return rows.map(toEvent);
  }
}

function eventRow(planId: string, event: NewPlanEvent, now: string) {
  return {
    plan_id: Number(planId),
    at: event.at ?? now,
    kind: event.kind,
    message: event.message,
    actor: event.actor ?? null,
    step: event.step ?? null,
    history_id: event.historyId ?? null,
  };
}
