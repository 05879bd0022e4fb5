import type { CanaryVerdict } from '../api';
import type {
  StepPlan,
  StepPlanAnalysis,
  StepPlanAnalysisResult,
  StepPlanState,
} from '../api/plans';
import type { StepPlanObservation } from './types';
import { canaryVerdict } from '../health/canaryVerdict';
import { millisOf } from './clock';

/** The measurements of the current analysis step: those taken since it (re)started. */
export function currentMeasurements(
  state: StepPlanState,
): StepPlanAnalysisResult[] {
  const since = millisOf(state.stepStartedAt);
  return state.analyses.filter(
    a => a.step === state.stepIndex && millisOf(a.at) >= since,
  );
}

/** How the current analysis step's measurements add up. */
export function tally(state: StepPlanState): {
  healthy: number;
  failing: number;
  inconclusive: number;
  last?: StepPlanAnalysisResult;
} {
  const results = currentMeasurements(state);
  const count = (status: StepPlanAnalysisResult['status']) =>
    results.filter(r => r.status === status).length;
  return {
    healthy: count('healthy'),
    failing: count('failing'),
    inconclusive: count('inconclusive'),
    last: results[results.length - 1],
  };
}

/**
 * One measurement of an analysis step from what the runner observed: the canary verdict against the step's own
 * thresholds (the health module's rule, never a second one). Metrics of other subsets, or not newer than the last
 * measurement, are no measurement at all: `inconclusive`, so the same figures are never counted twice.
 */
export function measure(
  plan: StepPlan,
  analysis: StepPlanAnalysis,
  state: StepPlanState,
  observation: StepPlanObservation,
): { result: StepPlanAnalysisResult; verdict?: CanaryVerdict } {
  const base = { step: state.stepIndex, at: observation.now };
  const inconclusive = (summary: string) => ({
    result: { ...base, status: 'inconclusive' as const, summary },
  });
  const { metrics } = observation;
  if (!metrics) return inconclusive('no metrics for the route');
  if (
    metrics.canary.subset !== plan.canarySubset ||
    metrics.stable.subset !== plan.stableSubset
  ) {
    return inconclusive(
      `metrics of "${metrics.canary.subset}" and "${metrics.stable.subset}", not of the plan's subsets`,
    );
  }
  const previous = tally(state).last;
  const observedAt = millisOf(metrics.observedAt);
  if (
    observedAt < millisOf(state.stepStartedAt) ||
    (previous && observedAt <= millisOf(previous.at))
  ) {
    return inconclusive(`no metrics newer than ${metrics.observedAt}`);
  }
  const verdict = canaryVerdict(metrics.canary, metrics.stable, analysis);
  const status =
    verdict.status === 'insufficientTraffic' ? 'inconclusive' : verdict.status;
  return { result: { ...base, status, summary: verdict.summary }, verdict };
}
