import { applyPatch, Operation } from 'fast-json-patch';
import type {
  ActionRequest,
  RolloutObjectPatch,
  RolloutRouteChange,
} from '../api';
import { copy } from './json';
import { planContext } from './planning';
import { planFinish } from './finish';
import { planPromote, planRollback } from './promote';
import { locateRoute, routesOf } from './routes';
import { planSetWeights } from './setWeights';
import { planStartCanary } from './startCanary';
import { planSwitch } from './switch';
import type {
  ActionKubeObject,
  ActionPlan,
  PlanContext,
  Planned,
  PlanInput,
} from './types';

function plan(
  ctx: PlanContext,
  request: ActionRequest,
  stableSubset: string | undefined,
): Planned {
  const vs = ctx.virtualService;
  switch (request.action) {
    case 'setWeights':
      return planSetWeights(
        ctx,
        locateRoute(vs, request.route),
        request.weights,
      );
    case 'promote':
      return planPromote(ctx, locateRoute(vs, request.route), request.subset);
    case 'rollback':
      return planRollback(ctx, locateRoute(vs, request.route), stableSubset);
    case 'switch':
      return planSwitch(ctx, request.route);
    case 'startCanary':
      return planStartCanary(
        ctx,
        locateRoute(vs, request.route),
        request.subset,
      );
    case 'finish':
      return planFinish(ctx, locateRoute(vs, request.route));
    default:
      return request satisfies never;
  }
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
  patch: Pick<RolloutObjectPatch, 'operations'>,
): T {
  // The wire's operations are fast-json-patch's, typed apart.
  const operations = patch.operations as Operation[];
  return applyPatch(object, operations, true, false).newDocument;
}

const applied = applyObjectPatch;

/**
 * Plans an action on one route of a VirtualService: validates it against the VirtualService the user saw, its
 * DestinationRules and the entity's Deployments, and answers the minimal, guarded JSON Patches that perform it,
 * with the route before and after. Pure: reads its arguments, writes nothing. The request is typed: read a body
 * with `parseActionRequest` first.
 *
 * Throws an {@link ActionValidationError} (an `InputError`, 400) naming the field and the reason when the request
 * cannot be applied.
 *
 * @public
 */
export function planAction(
  input: PlanInput & {
    request: ActionRequest;
    /** `rollback`: the subset it returns to, decided by the caller (the backend: history, else the read model). */
    stableSubset?: string;
  },
): ActionPlan {
  const { request } = input;
  const ctx = planContext(input, request.resourceVersion);
  const planned = plan(ctx, request, input.stableSubset);
  const vs = ctx.virtualService;
  const { destinationRules, namespace } = ctx;

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
  const routes = planned.routes.map((r): RolloutRouteChange => {
    const change: RolloutRouteChange = {
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
    action: request.action,
    route,
    patches: planned.patches,
    routeBefore: primary.before,
    routeAfter: primary.after,
    routes,
    changed: planned.patches.length > 0,
    summary: planned.summary,
  };
}
