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

/** What the read model knows about the rollout that the offers need. */
export interface OfferOptions {
  /** The read model's candidate: what `promote` prefers. */
  candidateSubset?: string;
  /** The read model's stable subset: where `rollback` returns when the history does not say. */
  stableSubset?: string;
}

type RouteAddress = { kind: RouteKind; index: number };

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
): StartCanaryOffer | undefined {
  // A header route is one side of a blue/green pair, not a place for a canary.
  if (headerConditions(route).length > 0) return undefined;
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

function offersOn(
  ctx: PlanContext,
  route: LocatedRoute,
  options: OfferOptions,
  switches: Map<number, SwitchOffer>,
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
  const canary = startCanaryOn(ctx, route);
  if (canary) offers.startCanary = canary;
  return offers;
}

/**
 * What each action would do on each of the routes: the read model's offers, with the rollback target taken from
 * the read model's stable subset (the backend replaces it where the history knows better, see
 * {@link rollbackOfferOn}). A VirtualService the planners cannot work on offers nothing.
 * @public
 */
export function routeOffers(
  input: PlanInput & OfferOptions,
  routes: RouteAddress[],
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
  return routes.map(r =>
    offersOn(
      ctx,
      readRoute(ctx.virtualService, r.kind, r.index),
      input,
      switches,
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
  };
  return ROLLOUT_ACTIONS.filter(a => offered[a]);
}
