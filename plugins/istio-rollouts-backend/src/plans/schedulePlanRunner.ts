import type {
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import type { PlanRunner } from './PlanRunner';

/** The scheduler task that moves the plans. */
export const PLAN_RUNNER_TASK_ID = 'istio-rollouts-plan-runner';

/**
 * Runs the plans every `tickSeconds` with Backstage's scheduler, `scope: 'global'`: on replicas sharing a
 * database, one at a time holds the task, so exactly one moves a plan's step. A replica that stops between ticks
 * is replaced at the next tick; one that dies while holding the task keeps it until the task's timeout (30 s, or
 * six ticks) has passed and the scheduler's janitor, which runs every minute, frees it: plans then stand still for
 * up to about 90 s and go on where they stood. Answers a nudge that asks for a tick now (after a start or a
 * command), which the scheduler ignores while the task runs.
 */
export async function schedulePlanRunner(options: {
  scheduler: SchedulerService;
  runner: PlanRunner;
  tickSeconds: number;
  logger: LoggerService;
}): Promise<() => void> {
  const { scheduler, runner, tickSeconds, logger } = options;
  await scheduler.scheduleTask({
    id: PLAN_RUNNER_TASK_ID,
    scope: 'global',
    frequency: { seconds: tickSeconds },
    timeout: { seconds: Math.max(30, tickSeconds * 6) },
    initialDelay: { seconds: Math.min(tickSeconds, 5) },
    fn: () => runner.tick(),
  });
  logger.info(`Step plans run every ${tickSeconds} s (${PLAN_RUNNER_TASK_ID})`);
  return () => {
    scheduler.triggerTask(PLAN_RUNNER_TASK_ID).catch(() => undefined);
  };
}
