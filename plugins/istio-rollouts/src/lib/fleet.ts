import {
  ActionRequest,
  Rollout,
  Route,
  RouteRef,
  listWords,
  routeLabel,
} from '@internal/plugin-istio-rollouts-common';
import { messageOf } from './errors';

/*
 * A fleet change: one action, asked for on one route in one cluster, made on
 * the same route in every cluster that has it — one request per cluster, each
 * with that cluster's own rollout id and resourceVersion, applied one after
 * the other through the same actions API as any other change.
 */

/** The route a request names in a rollout: by index (and name, if given), or by name. */
export function findRoute(rollout: Rollout, ref: RouteRef): Route | undefined {
  return rollout.routes.find(
    r =>
      r.kind === ref.kind &&
      (ref.index !== undefined
        ? r.index === ref.index &&
          (ref.name === undefined || r.name === ref.name)
        : r.name === ref.name),
  );
}

/**
 * The same route in another cluster's rollout: the same namespace and
 * VirtualService name, then the same route name; an unnamed route is matched
 * by kind and index, and only by a route that is unnamed too (a named route at
 * that index is another route).
 */
export function sameRoute(
  source: Rollout,
  sourceRoute: Route,
  target: Rollout,
): Route | undefined {
  if (target.namespace !== source.namespace || target.name !== source.name) {
    return undefined;
  }
  return target.routes.find(r =>
    sourceRoute.name !== undefined
      ? r.kind === sourceRoute.kind && r.name === sourceRoute.name
      : r.kind === sourceRoute.kind &&
        r.index === sourceRoute.index &&
        r.name === undefined,
  );
}

/** A request's route reference for a route: its index, and its name so the backend checks they still agree. */
export function routeRefOf(route: Route): RouteRef {
  return route.name === undefined
    ? { kind: route.kind, index: route.index }
    : { kind: route.kind, index: route.index, name: route.name };
}

/**
 * The same request for another cluster's rollout and route: every field of
 * the action (weights, subset, …) as asked, with that rollout's id and
 * resourceVersion and that route's reference. The reason and dryRun are set
 * when it is sent.
 */
export function requestFor(
  intent: ActionRequest,
  rollout: Rollout,
  route: Route,
): ActionRequest {
  const { reason: _reason, dryRun: _dryRun, ...action } = intent;
  return {
    ...action,
    rolloutId: rollout.id,
    resourceVersion: rollout.resourceVersion,
    route: routeRefOf(route),
  } as ActionRequest;
}

function sameKeys(a: string[], b: string[]): boolean {
  return (
    a.length === b.length &&
    [...a].sort().join('\n') === [...b].sort().join('\n')
  );
}

/**
 * Why a route cannot take the request as asked, going by what the read model
 * offers on it; undefined when it can. Read generically from the offer of the
 * request's action, so an action added later works too: an offer must be
 * there; a request naming a subset needs the offer to name that subset; a
 * request with weights needs the route's destinations to be the ones the
 * weights name.
 */
export function offerMismatch(
  intent: ActionRequest,
  route: Route,
  actionLabel: string,
): string | undefined {
  const offer = (route.offers as Record<string, unknown>)[intent.action] as
    | { subset?: string; subsets?: string[]; keys?: string[] }
    | undefined;
  const where = routeLabel(route);
  if (!offer) return `${where} offers no ${actionLabel} there`;
  if ('subset' in intent && typeof intent.subset === 'string') {
    const subsets = offer.subsets ?? (offer.subset ? [offer.subset] : []);
    if (subsets.length > 0 && !subsets.includes(intent.subset)) {
      return `${where} offers ${actionLabel} of ${subsets.join(
        ', ',
      )} there, not ${intent.subset}`;
    }
  }
  if ('weights' in intent && intent.weights && offer.keys) {
    const named = Object.keys(intent.weights);
    if (!sameKeys(named, offer.keys)) {
      return `${where} has the destinations ${offer.keys.join(
        ', ',
      )} there; the weights name ${named.join(', ')}`;
    }
  }
  return undefined;
}

/**
 * Why the server says the caller cannot change a rollout at all — read-only
 * (a controller, a shared claim, a cluster not answering: its message) or the
 * action not allowed — or undefined. The dry run would say the same, later.
 */
function unchangeable(
  rollout: Rollout,
  intent: ActionRequest,
  actionLabel: string,
): string | undefined {
  if (rollout.readOnly) return rollout.readOnly.message;
  if (!rollout.allowedActions.includes(intent.action)) {
    return `your permissions do not allow ${actionLabel} there`;
  }
  return undefined;
}

/** A cluster the change can be made in: its rollout, its route and the request for it. */
export interface FleetTarget {
  cluster: string;
  rollout: Rollout;
  route: Route;
  request: ActionRequest;
  /** The cluster the user asked for the change in. */
  origin: boolean;
}

/** A cluster whose rollout has the route but cannot take the change, and why. */
export interface FleetSkip {
  cluster: string;
  rollout: Rollout;
  reason: string;
}

export interface FleetPlan {
  /** In the order of `clusterOrder`; the origin among them. */
  targets: FleetTarget[];
  skipped: FleetSkip[];
}

/**
 * Every cluster whose rollout has the route the request names, in the order
 * of `clusterOrder` (clusters it lacks after it, by name): the cluster the
 * request is for (its request as the user made it, with the resourceVersion
 * they saw), and each other one whose route offers the action, with a request
 * of its own. Undefined when the request names no route this page shows.
 */
export function planFleet(
  intent: ActionRequest,
  rollouts: Rollout[],
  clusterOrder: string[],
  actionLabel: string,
): FleetPlan | undefined {
  const source = rollouts.find(r => r.id === intent.rolloutId);
  const sourceRoute =
    source && intent.route ? findRoute(source, intent.route) : undefined;
  if (!source || !sourceRoute) return undefined;

  const rank = (cluster: string) => {
    const i = clusterOrder.indexOf(cluster);
    return i === -1 ? clusterOrder.length : i;
  };
  const ordered = [...rollouts].sort(
    (a, b) =>
      rank(a.cluster) - rank(b.cluster) || a.cluster.localeCompare(b.cluster),
  );

  const plan: FleetPlan = { targets: [], skipped: [] };
  for (const rollout of ordered) {
    if (rollout.id === source.id) {
      plan.targets.push({
        cluster: rollout.cluster,
        rollout,
        route: sourceRoute,
        request: intent,
        origin: true,
      });
      continue;
    }
    const route = sameRoute(source, sourceRoute, rollout);
    if (!route) continue;
    const mismatch =
      unchangeable(rollout, intent, actionLabel) ??
      offerMismatch(intent, route, actionLabel);
    if (mismatch) {
      plan.skipped.push({
        cluster: rollout.cluster,
        rollout,
        reason: mismatch,
      });
    } else {
      plan.targets.push({
        cluster: rollout.cluster,
        rollout,
        route,
        request: requestFor(intent, rollout, route),
        origin: false,
      });
    }
  }
  return plan;
}

/** The list with the item at `index` moved one place up (-1) or down (+1); unchanged at either end. */
export function moveItem<T>(items: T[], index: number, by: -1 | 1): T[] {
  const to = index + by;
  if (index < 0 || index >= items.length || to < 0 || to >= items.length) {
    return items;
  }
  const moved = [...items];
  [moved[index], moved[to]] = [moved[to], moved[index]];
  return moved;
}

/** How a fleet change ended: which clusters changed, where it stopped, which were never tried. */
export interface FleetOutcome<S, R> {
  applied: { step: S; response: R }[];
  /** The first step that failed; nothing after it was tried. */
  failed?: { step: S; error: unknown };
  notAttempted: S[];
}

/**
 * Applies the steps one after the other, in order, and stops at the first
 * that fails: a change that goes wrong in one cluster is looked at before it
 * reaches the next. `onStep` hears of each step as it starts and ends.
 */
export async function applyInOrder<S, R>(
  steps: S[],
  apply: (step: S) => Promise<R>,
  onStep: (
    step: S,
    state:
      | { status: 'applying' }
      | { status: 'applied'; response: R }
      | {
          status: 'failed';
          error: unknown;
        },
  ) => void = () => {},
): Promise<FleetOutcome<S, R>> {
  const outcome: FleetOutcome<S, R> = { applied: [], notAttempted: [] };
  for (const [i, step] of steps.entries()) {
    onStep(step, { status: 'applying' });
    let response: R;
    try {
      response = await apply(step);
    } catch (error) {
      outcome.failed = { step, error };
      outcome.notAttempted = steps.slice(i + 1);
      onStep(step, { status: 'failed', error });
      break;
    }
    // Outside the try: what a listener does with an answer is no failure of the step.
    outcome.applied.push({ step, response });
    onStep(step, { status: 'applied', response });
  }
  return outcome;
}

/** The clusters, among those to be changed, whose canary the server judges failing. */
export function failingCanaries(
  targets: { cluster: string }[],
  verdicts: Record<string, { status: string } | undefined>,
): string[] {
  return targets
    .filter(t => verdicts[t.cluster]?.status === 'failing')
    .map(t => t.cluster);
}

/**
 * What a fleet change did, in words: where it was applied, and when it
 * stopped, where and why, which clusters it changed and which it did not
 * (the one that failed, those never tried, and those left out before it
 * started).
 */
export function describeFleetOutcome(
  outcome: FleetOutcome<{ cluster: string }, unknown>,
  leftOut: string[] = [],
): { severity: 'success' | 'error'; title: string; detail?: string } {
  const changed = outcome.applied.map(a => a.step.cluster);
  const notChanged = [
    ...(outcome.failed ? [outcome.failed.step.cluster] : []),
    ...outcome.notAttempted.map(s => s.cluster),
    ...leftOut,
  ];
  const unchangedWords = notChanged.length
    ? `Not changed: ${listWords(notChanged)}.`
    : '';
  if (!outcome.failed) {
    return {
      severity: 'success',
      title: changed.length
        ? `Applied in ${listWords(changed)}`
        : 'Nothing was applied',
      detail: unchangedWords || undefined,
    };
  }
  return {
    severity: 'error',
    title: `Stopped at ${outcome.failed.step.cluster}: ${messageOf(
      outcome.failed.error,
    )}`,
    detail: [
      `Changed: ${changed.length ? listWords(changed) : 'none'}.`,
      unchangedWords,
    ]
      .filter(Boolean)
      .join(' '),
  };
}

/** The server's summary of each change applied, with its cluster: `demo-east: http[0] reviews-route: v1 50→0, v2 50→100; demo-west: …`. */
export function appliedSummary(
  applied: { step: { cluster: string }; response: { summary: string } }[],
): string {
  return applied
    .map(a => `${a.step.cluster}: ${a.response.summary}`)
    .join('; ');
}
