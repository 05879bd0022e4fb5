import type { LoggerService } from '@backstage/backend-plugin-api';
import { ServiceUnavailableError } from '@backstage/errors';
import type {
  ActionPlan,
  HistoryEvent,
  HistoryPlanStep,
} from '@internal/plugin-istio-rollouts-common';
import type { HistoryOutcome, HistoryStore } from '../history/HistoryStore';
import type { NewHistoryEvent } from '../history/rows';
import type { RolloutTarget } from './loadRolloutTarget';

/** Who a change is recorded as: a user, or a step plan acting as one. */
export interface ChangeActor {
  /** The user's entity ref. */
  ref: string;
  /** Set when a step plan makes the change. */
  plan?: HistoryPlanStep;
  /** The actions registry's action the change came through (an agent), if any. */
  channel?: string;
}

/** What the history records of a planned change, whatever becomes of it: who, which route, before and after, why. */
export function plannedChangeEvent(options: {
  entityRef: string;
  target: RolloutTarget;
  plan: ActionPlan;
  actor: ChangeActor;
  reason?: string;
  warning?: string;
}): NewHistoryEvent {
  const { entityRef, target, plan, actor, warning } = options;
  const reason = options.reason?.trim();
  return {
    entityRef,
    actor: actor.ref,
    ...(actor.plan && { plan: actor.plan }),
    ...(actor.channel && { channel: actor.channel }),
    rolloutId: target.rollout.id,
    cluster: target.cluster.name,
    namespace: target.rollout.namespace,
    virtualService: target.rollout.name,
    route: plan.route,
    action: plan.action,
    before: plan.routeBefore,
    after: plan.routeAfter,
    summary: plan.summary,
    ...(reason && { reason }),
    ...(warning && { warning }),
    ...(plan.routes.length > 1 && { routes: plan.routes }),
  };
}

/**
 * Records a change as `pending` before it is written; a failure refuses the
 * action (503) with nothing written: a change never reaches the cluster
 * unrecorded.
 */
export async function recordIntent(options: {
  history: HistoryStore;
  logger: LoggerService;
  entityRef: string;
  target: RolloutTarget;
  plan: ActionPlan;
  resourceVersion: string;
  actor: ChangeActor;
  reason?: string;
  warning?: string;
}): Promise<HistoryEvent> {
  const { history, target, plan } = options;
  try {
    return await history.begin({
      ...plannedChangeEvent(options),
      objects: plan.patches.map(p => ({
        kind: p.kind,
        namespace: p.namespace,
        name: p.name,
      })),
      resourceVersion: options.resourceVersion,
    });
  } catch (e) {
    options.logger.error(
      `Could not record ${plan.action} of ${target.rollout.id} in the history; not applying it`,
      e as Error,
    );
    throw new ServiceUnavailableError(
      `The change was not applied: it could not be recorded in the history first (${
        (e as Error).message
      }). Try again.`,
    );
  }
}

/** Gives a recorded change its outcome; undefined (and logged) when that fails. */
export async function recordOutcome(
  history: HistoryStore,
  logger: LoggerService,
  id: string,
  outcome: HistoryOutcome,
  warning?: string,
): Promise<HistoryEvent | undefined> {
  try {
    return await history.finish(id, outcome, { ...(warning && { warning }) });
  } catch (e) {
    logger.error(
      `Could not record the outcome (${outcome}) of history event ${id}; the next read resolves it`,
      e as Error,
    );
    return undefined;
  }
}
