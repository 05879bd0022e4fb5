import type {
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import type { PlanRunner } from './PlanRunner';

/** The scheduler task that moves the plans. */
export const PLAN_RUNNER_TASK_ID = 'istio-rollouts-plan-runner';

/**
 * Runs the plans every `tickSeconds` with Backstage's scheduler, `scope: 'global'`: on replicas sharing a
 * database, one at a time holds the task, so exactly one moves a plan's step. The task's timeout is short, so a
 * replica that dies holding it is replaced within a few ticks. Answers a nudge that asks for a tick now (after a
 * start or a command), which the scheduler ignores while the task runs.
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
