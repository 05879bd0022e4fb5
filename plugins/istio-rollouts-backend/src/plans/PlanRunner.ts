import type {
  AuditorService,
  AuthService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import {
  applyStepPlanMove,
  decideStepPlanMove,
  KubeObject,
  RolloutReadModel,
  StepPlanMove,
  StepPlanObservation,
  StepPlanPauseReason,
  StepPlanState,
} from '@internal/plugin-istio-rollouts-common';
import type { RolloutActionsService } from '../actions';
import { loadRolloutTarget } from '../actions/loadRolloutTarget';
import { routeChangedBy } from '../history/changedBy';
import type { HistoryStore } from '../history/HistoryStore';
import { FIELD_MANAGER } from '../kubernetes/KubeClusterClient';
import type { RolloutMetricsReader } from '../metrics';
import type { RolloutsReader } from '../rollouts';
import type { PlanActors } from './planActor';
import { eventsOfMove, stepWords, writeWords } from './planEvents';
import type { PlanStore, StoredPlan } from './PlanStore';
import { findPlanRoute, routeVersionOf } from './routeVersion';

/** The audit event id of every route change a plan makes. */
export const PLAN_STEP_EVENT_ID = 'rollout-plan-step';
/** Moves of one plan in one tick, at most: a tick ends where the plan has to wait. */
const MAX_MOVES_PER_TICK = 20;

type Written = { resourceVersion: string; summary: string; historyId?: string };

/**
 * Moves every running plan as far as it can go now: reads its route from the cluster (never the cache), and the
 * canary's figures for an analysis step, asks the step machine for the next move, carries it out (a route change
 * through the actions service, as the user the plan acts as, with its permission checks, guards, history and
 * audit) and stores the new state at the version it read. Run by Backstage's scheduler with `scope: 'global'`; a
 * lease per plan makes one replica at a time move it, and the state is in the database, so any replica (or a
 * restarted one) goes on where the last stopped. A change the cluster refused, or any change made by someone else, pauses the plan: it never fights.
 */
export class PlanRunner {
  constructor(
    private readonly deps: {
      store: PlanStore;
      actions: RolloutActionsService;
      reader: RolloutsReader;
      catalog: import('@backstage/plugin-catalog-node').CatalogService;
      auth: AuthService;
      actors: PlanActors;
      history: HistoryStore;
      metrics?: RolloutMetricsReader;
      auditor?: AuditorService;
      logger: LoggerService;
      now?: () => Date;
    },
  ) {}

  /** This replica, as the owner of the plans' leases. */
  private readonly replica = `${hostname()}:${process.pid}:${randomUUID().slice(
    0,
    8,
  )}`;
  /** Plans this replica moves now: its two scheduler slots may tick at once. */
  private readonly moving = new Set<string>();

  private now(): string {
    return (this.deps.now?.() ?? new Date()).toISOString();
  }

  /**
   * One tick: every running or aborting plan no other replica holds, one after the other, each under a lease of
   * `leaseMs` renewed while it moves; one plan's failure never stops the others.
   */
  async tick(options: { leaseMs: number }): Promise<void> {
    for (const listed of await this.deps.store.listMoving()) {
      if (this.moving.has(listed.id)) continue;
      this.moving.add(listed.id);
      try {
        await this.deps.store.leases.hold(
          listed.id,
          this.replica,
          options.leaseMs,
          async stillHeld => {
            // Read again under the lease: another replica may have moved it since the list.
            const stored = await this.deps.store.get(listed.id);
            if (stored) await this.advance(stored, stillHeld);
          },
        );
      } catch (e) {
        this.deps.logger.warn(
          `Plan #${
            listed.id
          } could not move this tick; it tries again at the next: ${
            (e as Error).message
          }`,
        );
      } finally {
        this.moving.delete(listed.id);
      }
    }
  }

  private async advance(
    first: StoredPlan,
    stillHeld: () => Promise<boolean>,
  ): Promise<void> {
    let stored: StoredPlan | undefined = first;
    for (let i = 0; i < MAX_MOVES_PER_TICK && stored; i++) {
      const { plan, state } = stored;
      const seen = await this.observe(stored);
      let move = decideStepPlanMove(plan, state, seen.observation);
      if (move.type === 'wait') return;
      if (move.type === 'done' && state.end) return;
      let written: Written | undefined;
      if (move.type === 'pause' && move.reason.kind === 'changedOutside') {
        // A write of ours whose new state was lost (a replica stopped between the two) is ours, not outside.
        const own = await this.ownLostWrite(stored, seen.observation);
        if (own) ({ move, written } = own);
      } else if (move.type === 'setWeights' || move.type === 'rollback') {
        // Stalled past the lease: another replica has the plan now, and the write is its to make.
        if (!(await stillHeld())) return;
        const result = await this.write(stored, move, seen);
        if ('pause' in result) {
          move = { type: 'pause', reason: result.pause };
        } else {
          written = result;
        }
      }
      const now = this.now();
      const next: StepPlanState = applyStepPlanMove(plan, state, move, {
        now,
        ...(written && { resourceVersion: written.resourceVersion }),
      });
      stored = await this.deps.store.update(
        stored,
        { state: next },
        eventsOfMove(plan, state, move, written),
      );
      if (!stored) return; // A person's command came first: the next tick starts from it.
      if (move.type !== 'wait' && move.type !== 'analyze') {
        this.deps.logger.info(
          `Plan #${stored.id} ${stepWords(plan, state.stepIndex)}: ${
            move.type
          }${written ? ` (${written.summary})` : ''} → ${next.status}`,
        );
      }
      if (move.type === 'pause' || move.type === 'done') return;
      if (move.type === 'rollback') return;
    }
  }

  /** The route as the cluster has it now, and the canary's figures when the current step is an analysis. */
  private async observe(stored: StoredPlan): Promise<{
    observation: StepPlanObservation;
    rollout?: RolloutReadModel;
  }> {
    const { plan, state } = stored;
    const now = this.now();
    const entity = await this.deps.catalog.getEntityByRef(stored.entityRef, {
      credentials: await this.deps.auth.getOwnServiceCredentials(),
    });
    if (!entity) return { observation: { now } };
    let rollout: RolloutReadModel;
    let virtualService: KubeObject;
    try {
      ({ rollout, virtualService } = await loadRolloutTarget({
        reader: this.deps.reader,
        entity,
        rolloutId: plan.rolloutId,
        resourceVersion: state.lastWrite.resourceVersion,
        fresh: true,
      }));
    } catch (e) {
      if (e instanceof NotFoundError) return { observation: { now } };
      throw e;
    }
    const route = findPlanRoute(rollout, plan.route);
    const by = routeChangedBy(virtualService, plan.route.kind).by;
    const observation: StepPlanObservation = {
      now,
      ...(route && { route: routeVersionOf(rollout, route) }),
      // The plugin's own field manager: a person's action through Backstage, not the plan's.
      ...(by && {
        changedBy: by === FIELD_MANAGER ? 'an action in Backstage' : by,
      }),
    };
    const step = plan.steps[state.stepIndex];
    if (route && step && 'analysis' in step && this.deps.metrics) {
      const read = await this.deps.metrics.readSubsets(
        stored.entityRef,
        rollout,
        [plan.canarySubset, plan.stableSubset],
        step.analysis.windowSeconds,
      );
      const canary = read?.subsets.find(s => s.subset === plan.canarySubset);
      const stable = read?.subsets.find(s => s.subset === plan.stableSubset);
      if (read && canary && stable) {
        observation.metrics = { observedAt: read.observedAt, canary, stable };
      }
    }
    return { observation, rollout };
  }

  /** Writes a move's weights through the actions service; a refusal becomes the pause it calls for. */
  private async write(
    stored: StoredPlan,
    move: Extract<StepPlanMove, { type: 'setWeights' | 'rollback' }>,
    seen: { observation: StepPlanObservation },
  ): Promise<Written | { pause: StepPlanPauseReason }> {
    const { plan, state } = stored;
    const route = seen.observation.route!;
    // After Skip to end, the final weight is the last step's.
    const step = Math.min(state.stepIndex, plan.steps.length - 1);
    const where =
      move.type === 'rollback' ? 'roll back' : writeWords(plan, state);
    const credentials = await this.deps.actors.credentialsOf(
      stored.actorToken,
      stored.actor,
    );
    // Every weight is written only once the user's permission has been asked again, as the policy stands now:
    // someone who has left the team stops moving its traffic. Only a roll back to the stable subset (abort, a
    // failed analysis) goes on under the grant the plan started with: it takes traffic off the canary.
    if (move.type === 'setWeights' && !credentials) {
      return {
        pause: {
          kind: 'permission',
          message: `${where}: ${stored.actor}'s sign-in has expired since they last started or resumed the plan, so their permission cannot be asked again before it changes traffic. Someone allowed to change it resumes the plan.`,
        },
      };
    }
    const audit = await this.deps.auditor?.createEvent({
      eventId: PLAN_STEP_EVENT_ID,
      severityLevel: 'medium',
      meta: {
        plan: stored.id,
        entityRef: stored.entityRef,
        rolloutId: plan.rolloutId,
        actor: stored.actor,
        step: where,
        weights: move.weights,
      },
    });
    try {
      const answer = await this.deps.actions.actAsPlan(
        stored.entityRef,
        {
          action: 'setWeights',
          rolloutId: plan.rolloutId,
          resourceVersion: route.resourceVersion,
          route: plan.route,
          weights: { ...route.weights, ...move.weights },
          reason: `plan #${stored.id} (started by ${
            stored.startedBy
          }), ${where}${move.type === 'rollback' ? `: ${move.reason}` : ''}`,
        },
        {
          actor: stored.actor,
          plan: { id: stored.id, step },
          ...(credentials && { credentials }),
        },
      );
      await audit?.success({ meta: { summary: answer.summary } });
      const resourceVersion =
        answer.rollout?.resourceVersion ??
        (await this.observe(stored)).observation.route?.resourceVersion;
      if (!answer.changed || !resourceVersion) {
        return {
          resourceVersion: route.resourceVersion,
          summary: answer.summary,
        };
      }
      return {
        resourceVersion,
        summary: answer.summary,
        ...(answer.event && { historyId: answer.event.id }),
      };
    } catch (e) {
      await audit?.fail({ error: e as Error });
      const error = e as Error & { response?: unknown };
      switch (error.name) {
        case 'ConflictError':
        case 'InputError':
          return {
            pause: {
              kind: 'changedOutside',
              message: `Changed outside the plan: the cluster refused ${where} (${error.message}). The plan is paused and wrote nothing; resume to continue from the route as it is now.`,
            },
          };
        case 'NotAllowedError':
          return {
            pause: {
              kind: 'permission',
              message: `${where}: ${stored.actor} may no longer make this change (${error.message}). Someone allowed resumes the plan.`,
            },
          };
        default:
          throw e;
      }
    }
  }

  /**
   * When the route differs from the plan's last write only by the very change the plan recorded as its next (in
   * the history, before writing it) and nobody else's: the write landed and its new state was never stored.
   */
  private async ownLostWrite(
    stored: StoredPlan,
    observation: StepPlanObservation,
  ): Promise<{ move: StepPlanMove; written: Written } | undefined> {
    const route = observation.route;
    if (!route) return undefined;
    const { plan, state } = stored;
    const intended = decideStepPlanMove(plan, state, {
      ...observation,
      route: {
        resourceVersion: state.lastWrite.resourceVersion,
        weights: state.lastWrite.weights,
      },
    });
    if (intended.type !== 'setWeights' && intended.type !== 'rollback') {
      return undefined;
    }
    const lands = Object.entries(intended.weights).every(
      ([subset, weight]) => route.weights[subset] === weight,
    );
    if (!lands) return undefined;
    const last = await this.deps.history.lastPlanChange(stored.id);
    const recordedAfter =
      last && Date.parse(last.createdAt) >= Date.parse(state.lastWrite.at);
    if (
      !last ||
      !recordedAfter ||
      last.status === 'refused' ||
      last.status === 'failed'
    ) {
      return undefined;
    }
    // The replica that wrote it never gave its history row an outcome: the cluster shows it applied.
    await this.deps.history.finish(last.id, 'applied');
    return {
      move: intended,
      written: {
        resourceVersion: route.resourceVersion,
        summary: `${last.summary} (found applied after a restart)`,
        historyId: last.id,
      },
    };
  }
}
