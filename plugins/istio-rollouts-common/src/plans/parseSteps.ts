import type { CanaryThresholds } from '../api';
import type {
  PlanStep,
  StepPlanAnalysis,
  StepPlanOnFailure,
  StepPlanSteps,
} from '../api/plans';
import { ActionValidationError } from '../actions/ActionValidationError';
import { asArray, asRecord, JsonRecord, show } from '../actions/json';
import { requireWeight } from '../actions/parseActionRequest';
import { DEFAULT_CANARY_THRESHOLDS } from '../health/canaryVerdict';
import { DEFAULT_STEP_PLAN_ANALYSIS, STEP_PLAN_LIMITS } from './limits';

/**
 * What an analysis step takes for the fields it leaves out: the operator's canary thresholds and rate window
 * (`istioRollouts.canaryAnalysis`), so a plan judges a canary as the tab does unless it says otherwise.
 * @public
 */
export interface StepPlanDefaults {
  thresholds?: CanaryThresholds;
  windowSeconds?: number;
}

const STEP_KINDS = ['setWeight', 'pause', 'analysis'] as const;
const ON_FAILURE: StepPlanOnFailure[] = ['rollback', 'pause'];
const ANALYSIS_FIELDS = [
  'minSuccessRate',
  'maxLatencyP99Ms',
  'minRequests',
  'windowSeconds',
  'intervalSeconds',
  'count',
  'failureLimit',
] as const;

/** An integer in [min, max], or the fallback when the value is absent and one is given. */
export function requireInteger(
  field: string,
  value: unknown,
  min: number,
  max: number,
  fallback?: number,
): number {
  if (value === undefined && fallback !== undefined) return fallback;
  if (
    typeof value !== 'number' ||
    !Number.isInteger(value) ||
    value < min ||
    value > max
  ) {
    throw new ActionValidationError(
      field,
      `must be an integer from ${min} to ${max}, got ${show(value)}`,
    );
  }
  return value;
}

function requireNumber(
  field: string,
  value: unknown,
  min: number,
  max: number,
  fallback: number,
): number {
  if (value === undefined) return fallback;
  if (
    typeof value !== 'number' ||
    !Number.isFinite(value) ||
    value < min ||
    value > max
  ) {
    throw new ActionValidationError(
      field,
      `must be a number from ${min} to ${max}, got ${show(value)}`,
    );
  }
  return value;
}

/** Refuses fields the shape does not know: a misspelt threshold must not silently fall back to its default. */
function refuseUnknownFields(
  field: string,
  record: JsonRecord,
  known: readonly string[],
): void {
  const unknown = Object.keys(record).find(k => !known.includes(k));
  if (unknown !== undefined) {
    throw new ActionValidationError(
      `${field}.${unknown}`,
      `is not a field here; use ${known.join(', ')}`,
    );
  }
}

function parseAnalysis(
  field: string,
  value: unknown,
  defaults: StepPlanDefaults,
): StepPlanAnalysis {
  const a = asRecord(value);
  if (!a) {
    throw new ActionValidationError(
      field,
      `must be an object of canary checks (${ANALYSIS_FIELDS.join(
        ', ',
      )}), got ${show(value)}`,
    );
  }
  refuseUnknownFields(field, a, ANALYSIS_FIELDS);
  const L = STEP_PLAN_LIMITS;
  const thresholds = defaults.thresholds ?? DEFAULT_CANARY_THRESHOLDS;
  return {
    minSuccessRate: requireNumber(
      `${field}.minSuccessRate`,
      a.minSuccessRate,
      0,
      1,
      thresholds.minSuccessRate,
    ),
    maxLatencyP99Ms: requireNumber(
      `${field}.maxLatencyP99Ms`,
      a.maxLatencyP99Ms,
      1,
      L.maxLatencyP99Ms,
      thresholds.maxLatencyP99Ms,
    ),
    minRequests: requireInteger(
      `${field}.minRequests`,
      a.minRequests,
      0,
      L.maxMinRequests,
      thresholds.minRequests,
    ),
    windowSeconds: requireInteger(
      `${field}.windowSeconds`,
      a.windowSeconds,
      L.minWindowSeconds,
      L.maxWindowSeconds,
      defaults.windowSeconds ?? DEFAULT_STEP_PLAN_ANALYSIS.windowSeconds,
    ),
    intervalSeconds: requireInteger(
      `${field}.intervalSeconds`,
      a.intervalSeconds,
      L.minIntervalSeconds,
      L.maxIntervalSeconds,
      DEFAULT_STEP_PLAN_ANALYSIS.intervalSeconds,
    ),
    count: requireInteger(
      `${field}.count`,
      a.count,
      1,
      L.maxCount,
      DEFAULT_STEP_PLAN_ANALYSIS.count,
    ),
    failureLimit: requireInteger(
      `${field}.failureLimit`,
      a.failureLimit,
      1,
      L.maxFailureLimit,
      DEFAULT_STEP_PLAN_ANALYSIS.failureLimit,
    ),
  };
}

function parsePause(field: string, value: unknown): PlanStep {
  const p = asRecord(value);
  if (!p) {
    throw new ActionValidationError(
      field,
      `must be { durationSeconds } or {} (wait for a person), got ${show(
        value,
      )}`,
    );
  }
  refuseUnknownFields(field, p, ['durationSeconds']);
  if (p.durationSeconds === undefined) return { pause: {} };
  return {
    pause: {
      durationSeconds: requireInteger(
        `${field}.durationSeconds`,
        p.durationSeconds,
        1,
        STEP_PLAN_LIMITS.maxPauseSeconds,
      ),
    },
  };
}

function parseStep(
  field: string,
  value: unknown,
  defaults: StepPlanDefaults,
): PlanStep {
  const s = asRecord(value);
  const kinds = s ? Object.keys(s) : [];
  if (!s || kinds.length !== 1 || !STEP_KINDS.includes(kinds[0] as any)) {
    throw new ActionValidationError(
      field,
      `must be exactly one of { setWeight }, { pause }, { analysis }, got ${show(
        value,
      )}`,
    );
  }
  if (kinds[0] === 'setWeight') {
    return { setWeight: requireWeight(`${field}.setWeight`, s.setWeight) };
  }
  if (kinds[0] === 'pause') return parsePause(`${field}.pause`, s.pause);
  return { analysis: parseAnalysis(`${field}.analysis`, s.analysis, defaults) };
}

/**
 * Reads the steps and `onFailure` of a plan or a template from `record`, naming fields under `prefix`
 * (`steps[2].setWeight`, or `istioRollouts.plans.templates[0].steps[2].setWeight` for config). Rules: one to
 * `maxSteps` steps, at least one `setWeight`, and weights that never go down from one `setWeight` to the next.
 * @public
 */
export function parseStepPlanSteps(
  record: JsonRecord,
  defaults: StepPlanDefaults = {},
  prefix = '',
): StepPlanSteps {
  const stepsField = `${prefix}steps`;
  const raw = asArray(record.steps);
  if (!raw || raw.length === 0 || raw.length > STEP_PLAN_LIMITS.maxSteps) {
    throw new ActionValidationError(
      stepsField,
      `must be a list of 1 to ${STEP_PLAN_LIMITS.maxSteps} steps, got ${
        raw ? `${raw.length} steps` : show(record.steps)
      }`,
    );
  }
  const steps = raw.map((s, i) =>
    parseStep(`${stepsField}[${i}]`, s, defaults),
  );
  let previous: { weight: number; index: number } | undefined;
  steps.forEach((step, index) => {
    if (!('setWeight' in step)) return;
    if (previous && step.setWeight < previous.weight) {
      throw new ActionValidationError(
        `${stepsField}[${index}].setWeight`,
        `must not go down: ${stepsField}[${previous.index}] set ${previous.weight}, got ${step.setWeight}`,
      );
    }
    previous = { weight: step.setWeight, index };
  });
  if (!previous) {
    throw new ActionValidationError(
      stepsField,
      'must set a weight at least once ({ setWeight: n }); a plan without one changes nothing',
    );
  }
  const onFailure = (record.onFailure ?? 'rollback') as StepPlanOnFailure;
  if (!ON_FAILURE.includes(onFailure)) {
    throw new ActionValidationError(
      `${prefix}onFailure`,
      `must be one of ${ON_FAILURE.join(', ')}, got ${show(record.onFailure)}`,
    );
  }
  return { steps, onFailure };
}
