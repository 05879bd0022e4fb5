import type { Config } from '@backstage/config';
import {
  ActionValidationError,
  parseStepPlanTemplates,
  StepPlanDefaults,
  StepPlanTemplate,
} from '@internal/plugin-istio-rollouts-common';
import type { CanaryAnalysis } from '../metrics/metricsConfig';

/** `istioRollouts.plans`, read and checked. */
export interface PlansConfig {
  templates: StepPlanTemplate[];
  /** How often the runner looks at the running plans. */
  tickSeconds: number;
  /** Analysis fields a plan leaves out: the operator's canary analysis. */
  defaults: StepPlanDefaults;
  /**
   * Whether plans may start on VirtualServices Argo CD or Flux track: only once their sync leaves the plugin's
   * field manager alone (see the README), or every step would be reverted under the plan.
   */
  allowGitOpsManaged: boolean;
}

const DEFAULT_TICK_SECONDS = 5;

/**
 * Reads `istioRollouts.plans`. A broken template stops the backend with the field named
 * (`istioRollouts.plans.templates[1].steps[2].setWeight: …`) rather than running a plan nobody meant.
 */
export function readPlansConfig(
  config: Config,
  analysis: CanaryAnalysis,
): PlansConfig {
  const c = config.getOptionalConfig('istioRollouts.plans');
  const defaults: StepPlanDefaults = {
    thresholds: analysis.thresholds,
    windowSeconds: Math.max(10, analysis.windowSeconds),
  };
  let templates: StepPlanTemplate[];
  try {
    templates = parseStepPlanTemplates(c?.getOptional('templates'), defaults);
  } catch (e) {
    if (e instanceof ActionValidationError) {
      throw new Error(`Invalid config: ${e.message}`);
    }
    throw e;
  }
  const tickSeconds =
    c?.getOptionalNumber('tickSeconds') ?? DEFAULT_TICK_SECONDS;
  if (!(tickSeconds >= 1 && tickSeconds <= 60)) {
    throw new Error(
      `Invalid config: istioRollouts.plans.tickSeconds must be from 1 to 60, got ${tickSeconds}`,
    );
  }
  return {
    templates,
    tickSeconds,
    defaults,
    allowGitOpsManaged: c?.getOptionalBoolean('allowGitOpsManaged') ?? false,
  };
}
