import type { StepPlan, StepPlanTemplate } from '../api/plans';
import { ActionValidationError } from '../actions/ActionValidationError';
import { asArray, asRecord, copy, show } from '../actions/json';
import { parseRouteRef } from '../actions/parseActionRequest';
import { STEP_PLAN_LIMITS } from './limits';
import { parseStepPlanSteps, StepPlanDefaults } from './parseSteps';

/** The config key templates are read from, and the prefix of their fields in errors. */
const TEMPLATES_KEY = 'istioRollouts.plans.templates';

function requireText(field: string, value: unknown, what: string): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new ActionValidationError(field, `must ${what}, got ${show(value)}`);
  }
  return value;
}

function parseTemplate(
  value: unknown,
  field: string,
  defaults: StepPlanDefaults,
): StepPlanTemplate {
  const t = asRecord(value);
  if (!t) {
    throw new ActionValidationError(
      field,
      `must be { name, description?, steps, onFailure }, got ${show(value)}`,
    );
  }
  const name = requireText(`${field}.name`, t.name, 'name the template');
  if (name.length > STEP_PLAN_LIMITS.maxNameLength) {
    throw new ActionValidationError(
      `${field}.name`,
      `must be at most ${STEP_PLAN_LIMITS.maxNameLength} characters, got ${name.length}`,
    );
  }
  const template: StepPlanTemplate = {
    name,
    ...parseStepPlanSteps(t, defaults, `${field}.`),
  };
  if (t.description !== undefined) {
    const description = requireText(
      `${field}.description`,
      t.description,
      'be text',
    );
    if (description.length > STEP_PLAN_LIMITS.maxDescriptionLength) {
      throw new ActionValidationError(
        `${field}.description`,
        `must be at most ${STEP_PLAN_LIMITS.maxDescriptionLength} characters, got ${description.length}`,
      );
    }
    template.description = description;
  }
  return template;
}

/**
 * Reads the templates of `istioRollouts.plans.templates` (the config value as JSON; absent: none). Throws an
 * {@link ActionValidationError} naming the field in config, e.g.
 * `istioRollouts.plans.templates[1].steps[2].setWeight: must be an integer from 0 to 100, got 150`, so a backend
 * with a broken template refuses to start instead of running it.
 * @public
 */
export function parseStepPlanTemplates(
  value: unknown,
  defaults: StepPlanDefaults = {},
): StepPlanTemplate[] {
  if (value === undefined || value === null) return [];
  const list = asArray(value);
  if (!list) {
    throw new ActionValidationError(
      TEMPLATES_KEY,
      `must be a list of templates, got ${show(value)}`,
    );
  }
  const templates = list.map((t, i) =>
    parseTemplate(t, `${TEMPLATES_KEY}[${i}]`, defaults),
  );
  templates.forEach((t, i) => {
    const first = templates.findIndex(o => o.name === t.name);
    if (first !== i) {
      throw new ActionValidationError(
        `${TEMPLATES_KEY}[${i}].name`,
        `must be unique: "${t.name}" is also ${TEMPLATES_KEY}[${first}]`,
      );
    }
  });
  return templates;
}

/**
 * Reads a request to attach a plan to a route: `{ rolloutId, route, stableSubset, canarySubset }` with either
 * `template` (the name of one of `templates`) or its own `steps` and `onFailure`, never both. Analysis fields left
 * out take `defaults`. Throws an {@link ActionValidationError} (`<field>: <reason>`, answered 400) naming the
 * field, e.g. `steps[2].setWeight: must be an integer from 0 to 100, got 150`.
 * @public
 */
export function parseStepPlan(
  body: unknown,
  templates: StepPlanTemplate[] = [],
  defaults: StepPlanDefaults = {},
): StepPlan {
  const b = asRecord(body) ?? {};
  const rolloutId = requireText(
    'rolloutId',
    b.rolloutId,
    'be the id of a rollout, <cluster>/<namespace>/<name>',
  );
  const route = parseRouteRef(b.route);
  const stableSubset = requireText(
    'stableSubset',
    b.stableSubset,
    'name the subset a roll back sends the traffic to',
  );
  const canarySubset = requireText(
    'canarySubset',
    b.canarySubset,
    'name the subset the plan moves traffic to',
  );
  if (canarySubset === stableSubset) {
    throw new ActionValidationError(
      'canarySubset',
      `must differ from stableSubset, got "${canarySubset}" for both`,
    );
  }
  const target = { rolloutId, route, stableSubset, canarySubset };
  if (b.template === undefined) {
    return { ...target, ...parseStepPlanSteps(b, defaults) };
  }
  if (b.steps !== undefined || b.onFailure !== undefined) {
    throw new ActionValidationError(
      'template',
      'give either a template or steps and onFailure, not both',
    );
  }
  const template = templates.find(t => t.name === b.template);
  if (!template) {
    throw new ActionValidationError(
      'template',
      `must name a template (${
        templates.map(t => `"${t.name}"`).join(', ') || 'none configured'
      }), got ${show(b.template)}`,
    );
  }
  return {
    ...target,
    steps: copy(template.steps),
    onFailure: template.onFailure,
    template: template.name,
  };
}
