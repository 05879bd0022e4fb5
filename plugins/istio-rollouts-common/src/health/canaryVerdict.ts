/**
 * The canary verdict: which subsets of a route are the canary and the stable one, how the canary fares against
 * the operator's thresholds, and the findings that follow. Pure, so the backend decides and the tab only shows.
 *
 * Rules:
 * - **Which subsets.** A route that carries a blue/green `switch` offer compares the header route's idle subset
 *   (canary) with the live one (stable). Otherwise, among the route's destinations with a subset and a weight
 *   above 0, the stable subset is the route's roll back target (`offers.rollback`, from the history where it has
 *   one), else the route state's `stableSubset`, else the rollout's, else the destination with the largest weight;
 *   the canary is the route state's candidate, else the heaviest other one. A route with fewer than two such destinations has no verdict.
 * - **Verdict.** `insufficientTraffic` when the canary received fewer than `minRequests` requests in the window;
 *   else `failing` when its success rate is below `minSuccessRate` or its p99 above `maxLatencyP99Ms`; else
 *   `healthy`. Only the canary is held to the thresholds; the stable subset's figures are there to compare.
 * - **Findings.** `CANARY_ERROR_RATE` and `CANARY_LATENCY` (errors) for a failing check, once per canary subset;
 *   `NO_CANARY_TRAFFIC` (warning) for a subset a route gives weight that received no request while another subset
 *   of the route did.
 */
import type {
  CanaryCheck,
  CanaryThresholds,
  CanaryVerdict,
  Finding,
  Rollout,
  Route,
  RouteHealth,
  SubsetMetrics,
} from '../api';
import { describeRoute, FindingCodes } from '../routing/findings';
import { canonicalHost, HostOptions } from '../routing/hosts';

/** The thresholds a canary is judged by when the operator sets none. @public */
export const DEFAULT_CANARY_THRESHOLDS: CanaryThresholds = {
  minSuccessRate: 0.99,
  maxLatencyP99Ms: 500,
  minRequests: 50,
};

/** What the verdict needs of a rollout of the read model. @public */
export type CanaryRollout = Pick<
  Rollout,
  'namespace' | 'routes' | 'subsets' | 'stableSubset'
>;

/** A subset of a host, as a route's destination names it. @public */
export interface RouteSubset {
  host: string;
  subset: string;
}

/** The two subsets a route's verdict compares. @public */
export interface CanaryPair {
  canary: RouteSubset;
  stable: RouteSubset;
}

interface LiveDestination extends RouteSubset {
  weight: number;
  first: number;
}

/** The route's destinations with a subset, merged per host and subset, heaviest first (ties: listed first). */
function subsetDestinations(
  route: Route,
  hostKey: (host: string) => string,
): LiveDestination[] {
  const merged = new Map<string, LiveDestination>();
  route.destinations.forEach((d, i) => {
    if (!d.subset) return;
    const key = `${hostKey(d.host)}\u0000${d.subset}`;
    const existing = merged.get(key);
    if (existing) existing.weight += d.weight;
    else
      merged.set(key, {
        host: d.host,
        subset: d.subset,
        weight: d.weight,
        first: i,
      });
  });
  return [...merged.values()].sort(
    (a, b) => b.weight - a.weight || a.first - b.first,
  );
}

function hostKeyOf(rollout: CanaryRollout): (host: string) => string {
  const options: HostOptions = {
    namespaces: rollout.subsets.flatMap(s => s.workloads.map(w => w.namespace)),
  };
  // Route and DestinationRule hosts are both resolved from the VirtualService's namespace: the read model
  // takes a route's subsets from DestinationRules of that namespace.
  return host => canonicalHost(host, rollout.namespace, options);
}

/**
 * The canary and stable subsets of one route (see the rules at the top of this file), or undefined when the
 * route has nothing to compare.
 * @public
 */
export function canaryPair(
  route: Route,
  rollout: CanaryRollout,
): CanaryPair | undefined {
  const hostKey = hostKeyOf(rollout);
  const switchOffer = route.offers.switch;
  if (switchOffer) {
    const httpRoute = (index: number) =>
      rollout.routes.find(r => r.kind === 'http' && r.index === index);
    const header = httpRoute(switchOffer.headerRoute)?.destinations.find(
      d => d.subset === switchOffer.idle,
    );
    const live = httpRoute(switchOffer.defaultRoute)?.destinations.find(
      d => d.subset === switchOffer.live,
    );
    if (header && live) {
      return {
        canary: { host: header.host, subset: switchOffer.idle },
        stable: { host: live.host, subset: switchOffer.live },
      };
    }
  }
  const live = subsetDestinations(route, hostKey).filter(d => d.weight > 0);
  if (live.length < 2) return undefined;
  // The route's own state first: in a VirtualService of several routes the rollout's stable subset is another's.
  const preferred = [
    route.offers.rollback?.subset,
    route.state?.stableSubset,
    rollout.stableSubset,
  ];
  const stable =
    preferred
      .map(subset => live.find(d => subset && d.subset === subset))
      .find(Boolean) ?? live[0];
  const canary =
    live.find(d => d !== stable && d.subset === route.state?.candidateSubset) ??
    live.find(d => d !== stable)!;
  return {
    canary: { host: canary.host, subset: canary.subset },
    stable: { host: stable.host, subset: stable.subset },
  };
}

/** `4.2 %` */
function percent(share: number): string {
  return `${Math.round(share * 1000) / 10} %`;
}

/** `900 ms`, `2.5 ms` */
function millis(ms: number): string {
  return `${ms >= 10 ? Math.round(ms) : Math.round(ms * 10) / 10} ms`;
}

const errorsOf = (successRate: number | null) =>
  successRate === null ? 'n/a' : percent(1 - successRate);
const latencyOf = (ms: number | null) => (ms === null ? 'n/a' : millis(ms));

/**
 * How a canary fares against the thresholds, compared with the stable subset: the verdict's status, its
 * summary in words (`failing: 4.2 % errors vs 0.3 %`, `failing: p99 900 ms vs 40 ms (limit 500 ms)`, `healthy`,
 * `not enough traffic: 12 of 50 requests`) and its checks (none while the traffic is insufficient; the latency
 * check only when the canary's latency is known).
 * @public
 */
export function canaryVerdict(
  canary: SubsetMetrics,
  stable: SubsetMetrics,
  thresholds: CanaryThresholds,
): CanaryVerdict {
  const base = { canary: canary.subset, stable: stable.subset };
  const comparison = {
    ...(canary.successRate !== null &&
      stable.successRate !== null && {
        successRateDelta: canary.successRate - stable.successRate,
      }),
    ...(canary.latencyP99Ms !== null &&
      stable.latencyP99Ms !== null &&
      stable.latencyP99Ms > 0 && {
        latencyP99Ratio: canary.latencyP99Ms / stable.latencyP99Ms,
      }),
  };
  if (canary.requests < thresholds.minRequests || canary.successRate === null) {
    return {
      ...base,
      status: 'insufficientTraffic',
      summary: `not enough traffic: ${Math.round(canary.requests)} of ${
        thresholds.minRequests
      } requests`,
      checks: [],
      ...comparison,
    };
  }
  const checks: CanaryCheck[] = [
    {
      metric: 'successRate',
      value: canary.successRate,
      stableValue: stable.successRate,
      threshold: thresholds.minSuccessRate,
      passed: canary.successRate >= thresholds.minSuccessRate,
    },
  ];
  if (canary.latencyP99Ms !== null) {
    checks.push({
      metric: 'latencyP99',
      value: canary.latencyP99Ms,
      stableValue: stable.latencyP99Ms,
      threshold: thresholds.maxLatencyP99Ms,
      passed: canary.latencyP99Ms <= thresholds.maxLatencyP99Ms,
    });
  }
  const failed = checks.filter(c => !c.passed);
  if (failed.length === 0) {
    return {
      ...base,
      status: 'healthy',
      summary: 'healthy',
      checks,
      ...comparison,
    };
  }
  const reasons = failed.map(check =>
    check.metric === 'successRate'
      ? `${errorsOf(check.value)} errors vs ${errorsOf(check.stableValue)}`
      : `p99 ${latencyOf(check.value)} vs ${latencyOf(
          check.stableValue,
        )} (limit ${millis(check.threshold)})`,
  );
  return {
    ...base,
    status: 'failing',
    summary: `failing: ${reasons.join('; ')}`,
    checks,
    ...comparison,
  };
}

function failingFinding(
  route: Route,
  pair: CanaryPair,
  check: CanaryCheck,
  requests: number,
): Finding {
  const where = describeRoute(route);
  const canary = `Canary subset "${pair.canary.subset}" of ${where}`;
  const stable = `stable subset "${pair.stable.subset}"`;
  const common = {
    severity: 'error' as const,
    route: { kind: route.kind, index: route.index },
    subset: pair.canary.subset,
    host: pair.canary.host,
  };
  if (check.metric === 'successRate') {
    return {
      ...common,
      code: FindingCodes.CANARY_ERROR_RATE,
      message: `${canary} answered ${errorsOf(check.value)} of its ${Math.round(
        requests,
      )} requests with a 5xx (success ${percent(
        check.value ?? 0,
      )}, below the minimum of ${percent(
        check.threshold,
      )}); ${stable}: ${errorsOf(
        check.stableValue,
      )} errors. Roll back, or find the cause before it gets more traffic.`,
    };
  }
  return {
    ...common,
    code: FindingCodes.CANARY_LATENCY,
    message: `${canary} has a p99 latency of ${latencyOf(
      check.value,
    )}, above the limit of ${millis(check.threshold)}; ${stable}: ${latencyOf(
      check.stableValue,
    )}. Roll back, or find the cause before it gets more traffic.`,
  };
}

function rps(value: number): string {
  return `${Math.round(value * 100) / 100} requests per second`;
}

/** NO_CANARY_TRAFFIC on one route. */
function noTrafficFindings(
  route: Route,
  hostKey: (host: string) => string,
  metricsOf: (d: RouteSubset) => SubsetMetrics | undefined,
): Finding[] {
  const live = subsetDestinations(route, hostKey)
    .filter(d => d.weight > 0)
    .flatMap(d => {
      const metrics = metricsOf(d);
      return metrics ? [{ ...d, rps: metrics.requestsPerSecond ?? 0 }] : [];
    });
  const served = live.filter(d => d.rps > 0);
  if (served.length === 0) return [];
  return live
    .filter(d => d.rps === 0)
    .map(d => ({
      code: FindingCodes.NO_CANARY_TRAFFIC,
      severity: 'warning' as const,
      message: `Subset "${d.subset}" has weight ${d.weight} on ${describeRoute(
        route,
      )} but received no request in the analysis window, while ${served
        .map(s => `"${s.subset}" received ${rps(s.rps)}`)
        .join(
          ', ',
        )}. Check that its pods run an Istio sidecar and that the route's traffic reaches it (its requests may fail before they arrive).`,
      route: { kind: route.kind, index: route.index },
      subset: d.subset,
      host: d.host,
    }));
}

/**
 * The verdict on every route of a rollout that has a canary to judge, and the findings of the canary analysis
 * (see the rules at the top of this file). `metrics` holds the figures of the rollout's subsets; a route whose
 * subsets have none is skipped.
 * @public
 */
export function rolloutCanaryHealth(
  rollout: CanaryRollout,
  metrics: SubsetMetrics[],
  thresholds: CanaryThresholds = DEFAULT_CANARY_THRESHOLDS,
): { routes: RouteHealth[]; findings: Finding[] } {
  const hostKey = hostKeyOf(rollout);
  const metricsOf = (d: RouteSubset) =>
    metrics.find(
      m => m.subset === d.subset && hostKey(m.host) === hostKey(d.host),
    );
  const routes: RouteHealth[] = [];
  const failing: Finding[] = [];
  const noTraffic: Finding[] = [];
  const reported = new Set<string>();
  for (const route of rollout.routes) {
    noTraffic.push(...noTrafficFindings(route, hostKey, metricsOf));
    const pair = canaryPair(route, rollout);
    const canary = pair && metricsOf(pair.canary);
    const stable = pair && metricsOf(pair.stable);
    if (!pair || !canary || !stable) continue;
    const verdict = canaryVerdict(canary, stable, thresholds);
    routes.push({ route: { kind: route.kind, index: route.index }, verdict });
    for (const check of verdict.checks.filter(c => !c.passed)) {
      // Figures are per subset: a canary failing on several routes is told once, on the first.
      const key = `${check.metric}\u0000${hostKey(pair.canary.host)}\u0000${
        pair.canary.subset
      }`;
      if (reported.has(key)) continue;
      reported.add(key);
      failing.push(failingFinding(route, pair, check, canary.requests));
    }
  }
  return { routes, findings: [...failing, ...noTraffic] };
}
