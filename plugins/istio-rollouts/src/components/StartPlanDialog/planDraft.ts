import {
  ActionValidationError,
  DEFAULT_CANARY_THRESHOLDS,
  DEFAULT_STEP_PLAN_ANALYSIS,
  parseStepPlan,
  PlanStep,
  StartPlanRequest,
  StepPlanTemplate,
} from '@internal/plugin-istio-rollouts-common';

/** The kinds of step the editor offers. */
export type StepKind = 'setWeight' | 'pause' | 'analysis';

/** The fields of an analysis step, in the order the editor shows them. */
export const ANALYSIS_FIELDS = [
  'count',
  'intervalSeconds',
  'failureLimit',
  'windowSeconds',
  'minSuccessRate',
  'maxLatencyP99Ms',
  'minRequests',
] as const;

export type AnalysisField = (typeof ANALYSIS_FIELDS)[number];

/** Each analysis field's label, and the value the server takes when it is left empty (its built-in default). */
export const ANALYSIS_FIELD_INFO: Record<
  AnalysisField,
  { label: string; placeholder: number }
> = {
  count: {
    label: 'Healthy results to pass',
    placeholder: DEFAULT_STEP_PLAN_ANALYSIS.count,
  },
  intervalSeconds: {
    label: 'Every (s)',
    placeholder: DEFAULT_STEP_PLAN_ANALYSIS.intervalSeconds,
  },
  failureLimit: {
    label: 'Failures to fail',
    placeholder: DEFAULT_STEP_PLAN_ANALYSIS.failureLimit,
  },
  windowSeconds: {
    label: 'Window (s)',
    placeholder: DEFAULT_STEP_PLAN_ANALYSIS.windowSeconds,
  },
  minSuccessRate: {
    label: 'Min success rate (0–1)',
    placeholder: DEFAULT_CANARY_THRESHOLDS.minSuccessRate,
  },
  maxLatencyP99Ms: {
    label: 'Max p99 (ms)',
    placeholder: DEFAULT_CANARY_THRESHOLDS.maxLatencyP99Ms,
  },
  minRequests: {
    label: 'Min requests',
    placeholder: DEFAULT_CANARY_THRESHOLDS.minRequests,
  },
};

/** One row of the step editor, as typed: text until the plan is checked. */
export interface StepDraft {
  /** Tells rows apart across reorders. */
  key: number;
  kind: StepKind;
  /** setWeight: the canary's share. */
  weight: string;
  /** pause: seconds; empty waits for a person. */
  duration: string;
  /** analysis: each field left empty takes the server's default. */
  analysis: Partial<Record<AnalysisField, string>>;
}

let nextKey = 1;

/** A new row of the given kind. */
export function newStep(kind: StepKind, weight = ''): StepDraft {
  nextKey += 1;
  return { key: nextKey, kind, weight, duration: '', analysis: {} };
}

/** The custom plan the editor starts from: a small canary, a timed pause, then everything. */
export function initialSteps(): StepDraft[] {
  return [
    newStep('setWeight', '10'),
    { ...newStep('pause'), duration: '300' },
    newStep('setWeight', '100'),
  ];
}

/** Typed text as the request sends it: a number when it reads as one, absent when empty, else the text (refused by name). */
function value(text: string | undefined): number | string | undefined {
  const t = text?.trim() ?? '';
  if (t === '') return undefined;
  const n = Number(t);
  return Number.isFinite(n) ? n : t;
}

function draftStep(d: StepDraft): unknown {
  if (d.kind === 'setWeight') return { setWeight: value(d.weight) };
  if (d.kind === 'pause') {
    const seconds = value(d.duration);
    return { pause: seconds === undefined ? {} : { durationSeconds: seconds } };
  }
  const analysis: Record<string, unknown> = {};
  for (const field of ANALYSIS_FIELDS) {
    const v = value(d.analysis[field]);
    if (v !== undefined) analysis[field] = v;
  }
  return { analysis };
}

/** The rows as the request's `steps`: unchecked until `checkPlanRequest` (and the server) read them. */
export function draftSteps(drafts: StepDraft[]): PlanStep[] {
  return drafts.map(draftStep) as PlanStep[];
}

/** Where a field error points in the editor: a row and, when the server named one, its field. */
export interface FieldError {
  message: string;
  /** The row, from `steps[i]…`. */
  step?: number;
  /** `setWeight`, `pause`, or an analysis field. */
  field?: string;
}

/** `steps[2].analysis.count` → row 2, field `count`; `steps[0].setWeight` → row 0, `setWeight`. */
export function locateField(message: string): FieldError {
  const m = /^steps\[(\d+)\](?:\.(\w+)(?:\.(\w+))?)?:/.exec(message);
  if (!m) return { message };
  return { message, step: Number(m[1]), field: m[3] ?? m[2] };
}

/**
 * Checks a request with the server's own rules (`parseStepPlan` of common) before it is sent, so a weight of 150
 * is named under its row without a round trip. The server checks again: its 400 is shown as it is.
 */
export function checkPlanRequest(
  request: StartPlanRequest,
  templates: StepPlanTemplate[],
): FieldError | undefined {
  try {
    parseStepPlan(request, templates);
    return undefined;
  } catch (e) {
    // By shape as well: the class may come from another copy of common.
    if (
      e instanceof ActionValidationError ||
      typeof (e as { field?: unknown })?.field === 'string'
    ) {
      return locateField((e as Error).message);
    }
    throw e;
  }
}
