import { personName } from '../personName';
import { ConflictError } from '@backstage/errors';
import type {
  StepPlan,
  StepPlanRouteVersion,
  StepPlanState,
} from '../api/plans';
import type { StepPlanCommand } from './types';
import { nextStep, restartStep, unpause } from './transitions';

const ENDED = ['completed', 'rolledBack', 'aborted'];

/** Pauses a person may step past with Next step or Skip to end; the others need Resume, which takes the route as it is. */
const STEPPABLE_PAUSES = ['step', 'manual'];

function refuse(message: string): never {
  throw new ConflictError(message);
}

function requireActive(state: StepPlanState, command: string): void {
  if (ENDED.includes(state.status)) {
    refuse(`Cannot ${command}: the plan has ended (${state.status}).`);
  }
  if (state.status === 'aborting') {
    refuse(`Cannot ${command}: the plan is being aborted.`);
  }
}

function requireSteppable(state: StepPlanState, command: string): void {
  requireActive(state, command);
  if (state.pause && !STEPPABLE_PAUSES.includes(state.pause.kind)) {
    refuse(`Cannot ${command}: resume first. ${state.pause.message}`);
  }
}

function adopt(
  state: StepPlanState,
  route: StepPlanRouteVersion,
  now: string,
): StepPlanState {
  return {
    ...state,
    lastWrite: { ...route, weights: { ...route.weights }, at: now },
  };
}

/**
 * A person's command as a pure transition of the plan's state (the runner carries out what follows at its next
 * tick). Refuses, with a `ConflictError` (409) that says why, a command that makes no sense now: anything on an
 * ended plan, Pause on a paused one, Resume on a running one, Next step or Skip to end while a change or an
 * analysis paused the plan (Resume first: it takes the route as the person saw it).
 * - `next` (promote): the current pause or analysis step is done; a `setWeight` step about to be written is not
 *   skipped (that would skip a weight).
 * - `skipToEnd` (promote --full): every remaining step is done; the runner writes the final weight, then ends.
 * - `pause` / `resume`: time paused never counts toward a step. Resuming a `pause: {}` step ends it; resuming an
 *   analysis that paused the plan measures afresh; any other step continues where it stood.
 * - `abort`: roll back to the stable subset and end (at once, when the route is gone).
 * @public
 */
export function applyStepPlanCommand(
  plan: StepPlan,
  state: StepPlanState,
  command: StepPlanCommand,
  now: string,
): StepPlanState {
  switch (command.type) {
    case 'next': {
      requireSteppable(state, 'go to the next step');
      const step = plan.steps[state.stepIndex];
      if (!step) refuse('Cannot go to the next step: no step is left.');
      if ('setWeight' in step) {
        refuse(
          `Cannot go to the next step: step ${state.stepIndex + 1} (weight ${
            step.setWeight
          }) is being written; Next step ends a pause or an analysis.`,
        );
      }
      return nextStep(unpause(state, now), now);
    }
    case 'skipToEnd': {
      requireSteppable(state, 'skip to the end');
      if (state.stepIndex >= plan.steps.length) {
        refuse('Cannot skip to the end: no step is left.');
      }
      return {
        ...unpause(state, now),
        stepIndex: plan.steps.length,
        stepStartedAt: now,
        stepPausedMs: 0,
      };
    }
    case 'pause':
      requireActive(state, 'pause');
      if (state.pause) refuse(`Already paused: ${state.pause.message}`);
      return {
        ...state,
        status: 'paused',
        pause: {
          kind: 'manual',
          message: `paused by ${
            command.by ? personName(command.by) : 'a person'
          }`,
          ...(command.by !== undefined && { by: command.by }),
          since: now,
        },
      };
    case 'resume': {
      requireActive(state, 'resume');
      if (!state.pause) refuse('Cannot resume: the plan is not paused.');
      const kind = state.pause.kind;
      const running = adopt(unpause(state, now), command.route, now);
      if (kind === 'step') return nextStep(running, now);
      if (kind === 'analysisFailed' || kind === 'analysisInconclusive') {
        return restartStep(running, now);
      }
      return running;
    }
    case 'abort': {
      requireActive(state, 'abort');
      const abort = {
        at: now,
        ...(command.by !== undefined && { by: command.by }),
      };
      const running = unpause(state, now);
      if (!command.route) {
        return {
          ...running,
          status: 'aborted',
          abort,
          end: {
            at: now,
            reason: `aborted${
              command.by ? ` by ${personName(command.by)}` : ''
            }; the route is gone, nothing to roll back`,
          },
        };
      }
      return {
        ...adopt(running, command.route, now),
        status: 'aborting',
        abort,
      };
    }
    default:
      return command satisfies never;
  }
}
