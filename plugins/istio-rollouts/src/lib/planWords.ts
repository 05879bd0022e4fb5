import type {
  PlanStep,
  StepPlanCommandName,
  StepPlanRecord,
} from '@internal/plugin-istio-rollouts-common';
import { finalCanaryWeight } from '@internal/plugin-istio-rollouts-common';
import { formatWindow } from './metrics';

/** One step in a few words, for the stepper and the start dialog: `10 %`, `pause 5 min`, `wait for a person`, `analysis ×3`. */
export function stepLabel(step: PlanStep): string {
  if ('setWeight' in step) return `${step.setWeight} %`;
  if ('pause' in step) {
    return step.pause.durationSeconds
      ? `pause ${formatWindow(step.pause.durationSeconds)}`
      : 'wait for a person';
  }
  return `analysis ×${step.analysis.count}`;
}

/** Time left as a clock: `4:12`, `1:02:03`; whole seconds rounded up, so it reads `0:00` only when due. */
export function formatCountdown(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/** What a command's button says. */
export const PLAN_COMMAND_LABELS: Record<StepPlanCommandName, string> = {
  next: 'Next step',
  skipToEnd: 'Skip to end',
  pause: 'Pause',
  resume: 'Resume',
  abort: 'Abort',
};

/** The order the buttons come in, whatever order the server lists them in. */
export const PLAN_COMMAND_ORDER: StepPlanCommandName[] = [
  'next',
  'skipToEnd',
  'pause',
  'resume',
  'abort',
];

/** Resume and abort take the route as the person sees it: they send its resourceVersion (409 when it changed). */
export function commandNeedsVersion(command: StepPlanCommandName): boolean {
  return command === 'resume' || command === 'abort';
}

/**
 * What a command will do, for its confirmation, in the plan's own terms (its steps and subsets, and where the
 * server says it stands). The server has no dry run of commands; its summary after the command is shown too.
 */
export function commandEffect(
  record: StepPlanRecord,
  command: StepPlanCommandName,
  resourceVersion: string,
): string {
  const { plan, state, progress } = record;
  const { stableSubset: stable, canarySubset: canary, steps } = plan;
  const n = steps.length;
  const i = state.stepIndex;
  const final = finalCanaryWeight(steps);
  switch (command) {
    case 'next': {
      const current = steps[i] ? ` (${stepLabel(steps[i])})` : '';
      const then =
        i + 1 < n
          ? `goes on to step ${i + 2}/${n} (${stepLabel(steps[i + 1])})`
          : `completes with ${canary} at ${final} %`;
      return `Ends step ${i + 1}/${n}${current} now and ${then}.`;
    }
    case 'skipToEnd':
      return `Sends all remaining steps at once: ${canary} gets ${final} % (${stable} ${
        100 - final
      } %), with no further pause or analysis, and the plan completes.`;
    case 'pause':
      return `Holds the plan at step ${progress.step}/${progress.steps} (${canary} at ${progress.canaryWeight} %) until someone resumes it. Time paused does not count towards the step.`;
    case 'resume':
      return `Continues the plan from step ${progress.step}/${progress.steps}, taking the route as you see it now (resourceVersion ${resourceVersion}) as its own. If the route changed since, nothing is done and the tab reloads.`;
    case 'abort':
      return `Rolls the route back to ${stable} (100 %) and ends the plan.`;
    default:
      return command satisfies never;
  }
}
