import {
  StepPlanCommandName,
  stepPlanCommandsAllowed,
  StepPlanEvent,
  stepPlanProgress,
  StepPlanRecord,
} from '@internal/plugin-istio-rollouts-common';
import type { StoredPlan } from './PlanStore';

/**
 * A stored plan as the API serves it: its progress and the commands its state allows, of those the caller's
 * permissions grant (none to a reader who may not move the entity's traffic). The actor's token stays behind.
 */
export function planRecord(
  stored: StoredPlan,
  events: StepPlanEvent[],
  options: { now: string; mayCommand: boolean },
): StepPlanRecord {
  const { plan, state } = stored;
  const commands: StepPlanCommandName[] = options.mayCommand
    ? stepPlanCommandsAllowed(plan, state, options.now)
    : [];
  return {
    id: stored.id,
    entityRef: stored.entityRef,
    plan,
    state,
    startedBy: stored.startedBy,
    actor: stored.actor,
    createdAt: stored.createdAt,
    updatedAt: stored.updatedAt,
    progress: stepPlanProgress(plan, state, options.now),
    events,
    commands,
  };
}
