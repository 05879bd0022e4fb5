import {
  RolloutReadModel,
  stepPlanOffer,
} from '@internal/plugin-istio-rollouts-common';
import { planRecord } from './planRecord';
import type { PlanStore } from './PlanStore';

/**
 * The read model with its plans: the plan running (or paused) on each route, labelled as the overview card shows it
 * (`plan #12 · step 3/6 · 25 %`), and, on routes without one, the offer to start one.
 */
export async function withRoutePlans<T extends RolloutReadModel>(
  store: Pick<PlanStore, 'activeForRollouts'>,
  rollouts: T[],
  now: string,
): Promise<T[]> {
  const active = await store.activeForRollouts(rollouts.map(r => r.id));
  return rollouts.map(rollout => ({
    ...rollout,
    routes: rollout.routes.map(route => {
      const running = active.find(
        p =>
          p.plan.rolloutId === rollout.id &&
          p.plan.route.kind === route.kind &&
          p.plan.route.index === route.index,
      );
      if (running) {
        const { progress } = planRecord(running, [], {
          now,
          mayCommand: false,
        });
        return {
          ...route,
          plan: {
            id: running.id,
            status: running.state.status,
            label: `plan #${running.id} · ${progress.label}`,
          },
        };
      }
      // A stale cluster's rollouts are read-only: nothing to start there.
      const offer = rollout.stale ? undefined : stepPlanOffer(route);
      return offer ? { ...route, planOffer: offer } : route;
    }),
  }));
}
