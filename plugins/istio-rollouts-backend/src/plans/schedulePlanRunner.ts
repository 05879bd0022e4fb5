import type {
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import type { PlanRunner } from './PlanRunner';

/** The scheduler task that moves the plans (its first slot). */
export const PLAN_RUNNER_TASK_ID = 'istio-rollouts-plan-runner';
/** Every slot: two, so that a replica that dies while holding one leaves the other to the live replicas. */
export const PLAN_RUNNER_TASK_IDS: readonly [string, string] = [
  PLAN_RUNNER_TASK_ID,
  `${PLAN_RUNNER_TASK_ID}-2`,
];

/** How long a replica holds a plan without renewing it: one tick, and never under 5 s (a busy event loop). */
export function planLeaseMs(tickSeconds: number): number {
  return Math.max(tickSeconds, 5) * 1000;
}

/**
 * Runs the plans every `tickSeconds` with Backstage's scheduler, `scope: 'global'`, in two task slots: on replicas
 * sharing a database at most two tick at a time, and a lease on each plan makes exactly one replica move it. A
 * replica that dies while holding a slot keeps that slot until the task's timeout and the scheduler's janitor
 * (every minute) free it, but not its plans: their leases lapse after one tick (at least 5 s), and the other slot's
 * next tick takes them where they stood. Answers a nudge that asks for a tick now (after a start or a command),
 * which the scheduler ignores while a slot runs.
 */
export async function schedulePlanRunner(options: {
  scheduler: SchedulerService;
  runner: PlanRunner;
  tickSeconds: number;
  logger: LoggerService;
}): Promise<() => void> {
  const { scheduler, runner, tickSeconds, logger } = options;
  const leaseMs = planLeaseMs(tickSeconds);
  for (const id of PLAN_RUNNER_TASK_IDS) {
    await scheduler.scheduleTask({
      id,
      scope: 'global',
      frequency: { seconds: tickSeconds },
      timeout: { seconds: Math.max(30, tickSeconds * 6) },
      initialDelay: { seconds: Math.min(tickSeconds, 5) },
      fn: () => runner.tick({ leaseMs }),
    });
  }
  logger.info(
    `Step plans run every ${tickSeconds} s (${PLAN_RUNNER_TASK_IDS.join(
      ', ',
    )}), each plan leased to one replica for ${leaseMs / 1000} s at a time`,
  );
  // The second slot when the first is running (or held by a replica that died).
  return () => {
    scheduler
      .triggerTask(PLAN_RUNNER_TASK_IDS[0])
      .catch(() => scheduler.triggerTask(PLAN_RUNNER_TASK_IDS[1]))
      .catch(() => undefined);
  };
}
