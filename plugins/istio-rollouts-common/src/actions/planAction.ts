import { applyPatch } from 'fast-json-patch';
import { destinationRulesInScope } from '../routing/destinationRuleScope';
import type { KubeObject } from '../routing/kube';
import type { RolloutAction } from '../api';
import { ActionValidationError } from './ActionValidationError';
import { asRecord, copy, show } from './json';
import { PlanContext, Planned } from './planning';
import { planPromote, planRollback } from './promote';
import { locateRoute, routesOf } from './routes';
import { planSetWeights } from './setWeights';
import { planStartCanary } from './startCanary';
import { planSwitch } from './switch';
import type {
  ActionKubeObject,
  ActionPlan,
  ActionRequest,
  ObjectPatch,
  PlannedRouteChange,
} from './types';

const ACTIONS: readonly RolloutAction[] = [
  'setWeights',
  'promote',
  'rollback',
  'switch',
  'startCanary',
];

function plan(ctx: PlanContext, request: Record<string, unknown>): Planned {
  const vs = ctx.virtualService;
  switch (request.action as RolloutAction) {
    case 'setWeights':
      return planSetWeights(
        ctx,
        locateRoute(vs, request.route),
        request.weights,
      );
    case 'promote':
      return planPromote(ctx, locateRoute(vs, request.route), request.subset);
    case 'rollback':
      return planRollback(
        ctx,
        locateRoute(vs, request.route),
        request.stableSubset,
      );
    case 'switch':
      return planSwitch(ctx, request.route);
    case 'startCanary':
      return planStartCanary(
        ctx,
        locateRoute(vs, request.route),
        request.subset,
      );
    default:
      throw new ActionValidationError(
        'action',
        `must be one of ${ACTIONS.join(', ')}, got ${show(request.action)}`,
      );
  }
}

/** The namespaces of the objects at hand: a host `name.<one of these>` is read as a service. */
function knownNamespaces(input: {
  virtualService: ActionKubeObject;
  destinationRules: ActionKubeObject[];
  deployments: ActionKubeObject[];
}): string[] {
  return [
    input.virtualService,
    ...input.destinationRules,
    ...input.deployments,
  ].flatMap(o => (o.metadata?.namespace ? [o.metadata.namespace] : []));
}

/**
 * Applies a patch to a copy of its object: the object as the patch leaves it.
 * Throws when the patch does not apply (a failed `test`); for a patch planned
 * on that very object, that is a bug.
 *
 * @public
 */
export function applyObjectPatch<T extends ActionKubeObject>(
  object: T,
  patch: Pick<ObjectPatch, 'operations'>,
): T {
  return applyPatch(object, patch.operations, true, false).newDocument;
}

const applied = applyObjectPatch;

/**
 * Plans an action on one route of a VirtualService: validates it against the VirtualService the user saw, its
 * DestinationRules and the entity's Deployments, and answers the minimal, guarded JSON Patches that perform it,
 * with the route before and after. Pure: reads its arguments, writes nothing.
 *
 * Throws an {@link ActionValidationError} (an `InputError`, 400) naming the field and the reason when the request
 * cannot be applied.
 *
 * @public
 */
export function planAction(input: {
  virtualService: ActionKubeObject;
  destinationRules: ActionKubeObject[];
  deployments: ActionKubeObject[];
  request: ActionRequest;
}): ActionPlan {
  const request = asRecord(input.request);
  if (!request || !ACTIONS.includes(request.action as RolloutAction)) {
    throw new ActionValidationError(
      'action',
      `must be one of ${ACTIONS.join(', ')}, got ${show(request?.action)}`,
    );
  }
  if (
    typeof request.resourceVersion !== 'string' ||
    request.resourceVersion === ''
  ) {
    throw new ActionValidationError(
      'resourceVersion',
      'must be the resourceVersion of the VirtualService you loaded',
    );
  }
  const vs = input.virtualService;
  const name = vs.metadata?.name;
  const namespace = vs.metadata?.namespace;
  if (!name || !namespace) {
    throw new Error(
      'planAction needs a VirtualService with metadata.name and metadata.namespace',
    );
  }

  // Subsets count only from DestinationRules the VirtualService may use.
  const hostOptions = { namespaces: knownNamespaces(input) };
  const destinationRules = destinationRulesInScope(
    vs as KubeObject,
    input.destinationRules as KubeObject[],
    hostOptions,
  ) as ActionKubeObject[];
  const planned = plan(
    {
      virtualService: vs,
      namespace,
      hostOptions,
      name,
      resourceVersion: request.resourceVersion,
      destinationRules,
      deployments: input.deployments,
    },
    request,
  );

  let vsAfter = vs;
  for (const patch of planned.patches) {
    if (patch.kind === 'VirtualService') {
      vsAfter = applied(vsAfter, patch);
    } else {
      const rule = destinationRules.find(
        dr =>
          dr.metadata?.name === patch.name &&
          (dr.metadata?.namespace ?? namespace) === patch.namespace,
      );
      if (rule) applied(rule, patch);
    }
  }
  const routes = planned.routes.map((r): PlannedRouteChange => {
    const change: PlannedRouteChange = {
      kind: r.kind,
      index: r.index,
      before: copy(r.stanza),
      after: copy(routesOf(vsAfter, r.kind)[r.index]),
    };
    if (r.name !== undefined) change.name = r.name;
    return change;
  });
  const primary = routes.find(
    r => r.kind === planned.primary.kind && r.index === planned.primary.index,
  )!;
  const route: ActionPlan['route'] = {
    kind: planned.primary.kind,
    index: planned.primary.index,
  };
  if (planned.primary.name !== undefined) route.name = planned.primary.name;

  return {
    action: request.action as RolloutAction,
    route,
    patches: planned.patches,
    routeBefore: primary.before,
    routeAfter: primary.after,
    routes,
    changed: planned.patches.length > 0,
    summary: planned.summary,
  };
}
