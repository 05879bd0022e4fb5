/**
 * What each action would do on each route, for the read model: the planners' own rules, asked without a request.
 * An action is offered only when its planner accepts it and it would change something, so the tab offers exactly
 * what the backend would do.
 */
import {
  ROLLOUT_ACTIONS,
  RolloutAction,
  RouteKind,
  RouteOffers,
  StartCanaryOffer,
  SwitchOffer,
} from '../api';
import { planFinish, retiredDestinations } from './finish';
import { planContext } from './planning';
import { planPromote, planRollback } from './promote';
import { readRoute, requireDestinations, requireDistinctKeys } from './routes';
import {
  canaryCandidateNames,
  planStartCanary,
  requireCanaryRoute,
} from './startCanary';
import { findHeaderRoutePairs, headerConditions, planSwitch } from './switch';
import { promoteTarget, RollbackTarget, rollbackTarget } from './targets';
import type { LocatedRoute, PlanContext, Planned, PlanInput } from './types';

/** What the read model knows about a route that its offers need: its state's stable and candidate. */
export interface OfferOptions {
  /** The route's candidate: what `promote` offers. */
  candidateSubset?: string;
  /** The route's stable subset: where `rollback` returns when the history does not say. */
  stableSubset?: string;
}

type RouteAddress = { kind: RouteKind; index: number };

/** A route to make offers for, with what its state says. @public */
export type RouteOfferInput = RouteAddress & OfferOptions;

/**
 * Whether a check passes, or a planner plans a change. Any error counts as a refusal: the read model never fails
 * on an object it cannot plan for, and the action, if asked, says why.
 */
function accepts(check: () => void): boolean {
  try {
    check();
    return true;
  } catch {
    return false;
  }
}

function changes(plan: () => Planned): boolean {
  try {
    return plan().patches.length > 0;
  } catch {
    return false;
  }
}

function weighted(route: LocatedRoute) {
  return {
    destinations: route.destinations.map(d => ({
      host: d.host,
      subset: d.subset,
      weight: d.effectiveWeight,
    })),
  };
}

function rollbackOn(
  ctx: PlanContext,
  route: LocatedRoute,
  target: RollbackTarget | undefined,
): RouteOffers['rollback'] {
  if (!target || !changes(() => planRollback(ctx, route, target.subset))) {
    return undefined;
  }
  return { subset: target.subset, source: target.source };
}

function startCanaryOn(
  ctx: PlanContext,
  route: LocatedRoute,
  paired: boolean,
): StartCanaryOffer | undefined {
  // Either route of a blue/green pair is one side of the pair, not a place for a canary; a header route
  // is never the place either.
  if (paired || headerConditions(route).length > 0) return undefined;
  if (!route.destinations.some(d => d.subset !== undefined)) return undefined;
  if (!accepts(() => requireCanaryRoute(ctx, route))) return undefined;
  return {
    subsets: canaryCandidateNames(ctx, route).filter(subset =>
      changes(() => planStartCanary(ctx, route, subset)),
    ),
  };
}

/** The switch offers of the VirtualService, by the http route a request should name. */
function switchOffers(ctx: PlanContext): Map<number, SwitchOffer> {
  const offers = new Map<number, SwitchOffer>();
  const pairs = findHeaderRoutePairs(ctx);
  for (const { header, fallback } of pairs) {
    // Naming the default route is ambiguous when several header routes fall back to it.
    const at = pairs.length > 1 ? header : fallback;
    if (!changes(() => planSwitch(ctx, { kind: 'http', index: at.index }))) {
      continue;
    }
    offers.set(at.index, {
      headerRoute: header.index,
      defaultRoute: fallback.index,
      live: fallback.destinations[0].subset!,
      idle: header.destinations[0].subset!,
    });
  }
  return offers;
}

function finishOn(
  ctx: PlanContext,
  route: LocatedRoute,
): RouteOffers['finish'] {
  let planned: Planned;
  try {
    planned = planFinish(ctx, route);
  } catch {
    return undefined;
  }
  return planned.patches.length > 0
    ? { remove: retiredDestinations(route).map(d => d.key) }
    : undefined;
}

function offersOn(
  ctx: PlanContext,
  route: LocatedRoute,
  options: OfferOptions,
  switches: Map<number, SwitchOffer>,
  paired: Set<number>,
): RouteOffers {
  const offers: RouteOffers = {};
  if (
    route.destinations.length >= 2 &&
    accepts(() => {
      requireDestinations(route);
      requireDistinctKeys(route, ctx);
    })
  ) {
    offers.setWeights = { keys: route.destinations.map(d => d.key) };
  }
  const promote = promoteTarget(weighted(route), options.candidateSubset);
  if (promote && changes(() => planPromote(ctx, route, promote))) {
    offers.promote = { subset: promote };
  }
  const rollback = rollbackOn(
    ctx,
    route,
    rollbackTarget(route, { stableSubset: options.stableSubset }),
  );
  if (rollback) offers.rollback = rollback;
  const pair = route.kind === 'http' ? switches.get(route.index) : undefined;
  if (pair) offers.switch = pair;
  const canary = startCanaryOn(
    ctx,
    route,
    route.kind === 'http' && paired.has(route.index),
  );
  if (canary) offers.startCanary = canary;
  const finish = finishOn(ctx, route);
  if (finish) offers.finish = finish;
  return offers;
}

/**
 * The blue/green header route pairs of a VirtualService, by http route index: the `switch` planner's rule, which
 * the read model's phases follow too. None for a VirtualService the planners cannot work on.
 * @public
 */
export function headerRoutePairs(
  input: PlanInput,
): Array<{ header: number; fallback: number }> {
  try {
    const ctx = planContext(
      input,
      input.virtualService.metadata?.resourceVersion ?? '',
    );
    return findHeaderRoutePairs(ctx).map(p => ({
      header: p.header.index,
      fallback: p.fallback.index,
    }));
  } catch {
    return [];
  }
}

/**
 * What each action would do on each of the routes: the read model's offers, with the promote and rollback targets
 * taken from each route's state (the backend replaces the rollback target where the history knows better, see
 * {@link rollbackOfferOn}). A VirtualService the planners cannot work on offers nothing.
 * @public
 */
export function routeOffers(
  input: PlanInput,
  routes: RouteOfferInput[],
): RouteOffers[] {
  let ctx: PlanContext;
  try {
    ctx = planContext(
      input,
      input.virtualService.metadata?.resourceVersion ?? '',
    );
  } catch {
    return routes.map(() => ({}));
  }
  const switches = switchOffers(ctx);
  const paired = new Set(
    findHeaderRoutePairs(ctx).flatMap(p => [p.header.index, p.fallback.index]),
  );
  return routes.map(r =>
    offersOn(
      ctx,
      readRoute(ctx.virtualService, r.kind, r.index),
      r,
      switches,
      paired,
    ),
  );
}

/**
 * The rollback offer of one route for a target the caller chose (the backend's, from the history): undefined when
 * the planner refuses it or it would change nothing.
 * @public
 */
export function rollbackOfferOn(
  input: PlanInput,
  route: RouteAddress,
  target: RollbackTarget,
): RouteOffers['rollback'] {
  try {
    const ctx = planContext(
      input,
      input.virtualService.metadata?.resourceVersion ?? '',
    );
    return rollbackOn(
      ctx,
      readRoute(ctx.virtualService, route.kind, route.index),
      target,
    );
  } catch {
    return undefined;
  }
}

/** The actions a route offers: those whose offer is there (for `startCanary`, with a subset to add). @public */
export function offeredActions(offers: RouteOffers): RolloutAction[] {
  const offered: Record<RolloutAction, boolean> = {
    setWeights: Boolean(offers.setWeights),
    promote: Boolean(offers.promote),
    rollback: Boolean(offers.rollback),
    switch: Boolean(offers.switch),
    startCanary: Boolean(offers.startCanary?.subsets.length),
    finish: Boolean(offers.finish?.remove.length),
  };
  return ROLLOUT_ACTIONS.filter(a => offered[a]);
}
