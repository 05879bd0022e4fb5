import type { PlanStep, StepPlan } from '../api/plans';

/** The weights a plan writes for a canary share: the canary takes `canary`, the stable subset the rest. */
export function planWeights(
  plan: Pick<StepPlan, 'stableSubset' | 'canarySubset'>,
  canary: number,
): Record<string, number> {
  return { [plan.stableSubset]: 100 - canary, [plan.canarySubset]: canary };
}

/** The canary's share after the plan's last `setWeight` step: where the route ends when the plan completes. @public */
export function finalCanaryWeight(steps: PlanStep[]): number {
  const weights = steps.flatMap(s => ('setWeight' in s ? [s.setWeight] : []));
  return weights[weights.length - 1] ?? 0;
}

/**
 * Whether the plan is a promotion: its last `setWeight` is 100, all of the route's traffic on the canary. Starting
 * it needs `istio-rollouts.traffic.promote` as well as `.traffic.update`, and the runner asks again before the
 * step that writes it (see the `promotion` flag of a `setWeights` move).
 * @public
 */
export function isPromotionPlan(plan: Pick<StepPlan, 'steps'>): boolean {
  return finalCanaryWeight(plan.steps) === 100;
}

/** The same weights for every destination named in either map (a destination absent from one differs). */
export function sameWeights(
  a: Record<string, number>,
  b: Record<string, number>,
): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].every(k => a[k] === b[k]);
}

/** `v1 90→50, v2 10→50`: the destinations whose weights differ. */
export function describeWeightChange(
  from: Record<string, number>,
  to: Record<string, number>,
): string {
  const keys = [...new Set([...Object.keys(from), ...Object.keys(to)])];
  return keys
    .filter(k => from[k] !== to[k])
    .map(k => `${k} ${from[k] ?? 'none'}→${to[k] ?? 'none'}`)
    .join(', ');
}
