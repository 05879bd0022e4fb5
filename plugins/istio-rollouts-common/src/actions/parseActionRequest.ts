import {
  ActionRequest,
  ActionRequestBase,
  ROLLOUT_ACTIONS,
  RolloutAction,
  ROUTE_KINDS,
  RouteKind,
  RouteRef,
} from '../api';
import { ActionValidationError } from './ActionValidationError';
import { asRecord, JsonRecord, show } from './json';

/** Refuses anything but an integer from 0 to 100 (not 12.5, not "50", not -1, not NaN). */
export function requireWeight(field: string, value: unknown): number {
  if (
    typeof value !== 'number' ||
    !Number.isInteger(value) ||
    value < 0 ||
    value > 100
  ) {
    throw new ActionValidationError(
      field,
      `must be an integer from 0 to 100, got ${show(value)}`,
    );
  }
  return value;
}

/**
 * Reads a route reference: `{ kind, index }` or `{ kind, name }` (both may be given; whether they agree is the
 * planner's to tell, on the VirtualService). Throws an {@link ActionValidationError} on `field` (or one of its
 * parts) for anything else.
 * @public
 */
export function parseRouteRef(value: unknown, field = 'route'): RouteRef {
  const r = asRecord(value);
  if (!r) {
    throw new ActionValidationError(
      field,
      'must be { kind, index } or { kind, name }',
    );
  }
  const kind = r.kind as RouteKind;
  if (!ROUTE_KINDS.includes(kind)) {
    throw new ActionValidationError(
      `${field}.kind`,
      `must be one of ${ROUTE_KINDS.join(', ')}, got ${show(r.kind)}`,
    );
  }
  const { index, name } = r;
  if (name !== undefined && (typeof name !== 'string' || name === '')) {
    throw new ActionValidationError(
      `${field}.name`,
      `must be a route's name, got ${show(name)}`,
    );
  }
  if (index === undefined) {
    if (name === undefined) {
      throw new ActionValidationError(
        field,
        'must be { kind, index } or { kind, name }',
      );
    }
    return { kind, name: name as string };
  }
  if (typeof index !== 'number' || !Number.isInteger(index) || index < 0) {
    throw new ActionValidationError(
      `${field}.index`,
      `must be a non-negative integer, got ${show(index)}`,
    );
  }
  return name === undefined
    ? { kind, index }
    : { kind, index, name: name as string };
}

function requireString(
  body: JsonRecord,
  field: 'rolloutId' | 'resourceVersion' | 'subset',
  reason: string,
): string {
  const value = body[field];
  if (typeof value !== 'string' || value === '') {
    throw new ActionValidationError(field, reason);
  }
  return value;
}

function parseWeights(value: unknown): Record<string, number> {
  const weights = asRecord(value);
  if (!weights) {
    throw new ActionValidationError(
      'weights',
      `must map every destination of the route to a weight, got ${show(value)}`,
    );
  }
  return Object.fromEntries(
    Object.entries(weights).map(([key, weight]) => [
      key,
      requireWeight(`weights.${key}`, weight),
    ]),
  );
}

/**
 * Reads the body of an action request into an {@link ActionRequest}, the one typed request the backend, the
 * planners and the tab share: what the OpenAPI document describes, with the fields each action needs. Fields the
 * action does not use are dropped. Throws an {@link ActionValidationError} (`<field>: <reason>`, answered 400) for
 * anything else.
 * @public
 */
export function parseActionRequest(body: unknown): ActionRequest {
  const b = asRecord(body) ?? {};
  const action = b.action as RolloutAction;
  if (!ROLLOUT_ACTIONS.includes(action)) {
    throw new ActionValidationError(
      'action',
      `must be one of ${ROLLOUT_ACTIONS.join(', ')}, got ${show(b.action)}`,
    );
  }
  const base: ActionRequestBase = {
    rolloutId: requireString(
      b,
      'rolloutId',
      `must be the id of a rollout, <cluster>/<namespace>/<name>, got ${show(
        b.rolloutId,
      )}`,
    ),
    resourceVersion: requireString(
      b,
      'resourceVersion',
      'must be the resourceVersion of the VirtualService you loaded',
    ),
  };
  if (b.reason !== undefined) {
    if (typeof b.reason !== 'string') {
      throw new ActionValidationError(
        'reason',
        `must be text, got ${show(b.reason)}`,
      );
    }
    base.reason = b.reason;
  }
  if (b.dryRun !== undefined) {
    if (typeof b.dryRun !== 'boolean') {
      throw new ActionValidationError(
        'dryRun',
        `must be true or false, got ${show(b.dryRun)}`,
      );
    }
    base.dryRun = b.dryRun;
  }
  const subset = () =>
    requireString(b, 'subset', `must name a subset, got ${show(b.subset)}`);
  switch (action) {
    case 'setWeights':
      return {
        ...base,
        action,
        route: parseRouteRef(b.route),
        weights: parseWeights(b.weights),
      };
    case 'promote':
    case 'startCanary':
      return {
        ...base,
        action,
        route: parseRouteRef(b.route),
        subset: subset(),
      };
    case 'rollback':
    case 'finish':
      return { ...base, action, route: parseRouteRef(b.route) };
    case 'switch':
      return b.route === undefined || b.route === null
        ? { ...base, action }
        : { ...base, action, route: parseRouteRef(b.route) };
    default:
      return action satisfies never;
  }
}
