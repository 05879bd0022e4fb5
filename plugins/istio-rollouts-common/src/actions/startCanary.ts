import type { JsonPatchOperation, RolloutObjectPatch } from '../api';
import { ActionValidationError } from './ActionValidationError';
import { clusterLocalParts } from '../routing/hosts';
import { asRecord, asString, copy, jsonEqual, quoteList, show } from './json';
import {
  destinationGuard,
  resourceVersionGuard,
  weightOperations,
} from './operations';
import { hostOf, virtualServicePatch } from './planning';
import { requireDestinations } from './routes';
import {
  definesSubset,
  destinationRulesForHost,
  subsetNotDefined,
  subsetsOf,
} from './subsets';
import type {
  ActionKubeObject,
  LocatedDestination,
  LocatedRoute,
  PlanContext,
  Planned,
} from './types';
import { describeSplit } from './weights';

/** Istio requires subset names to be DNS-1123 labels. */
const SUBSET_NAME = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** The pod-template label a new DestinationRule subset selects on. */
export const VERSION_LABEL = 'version';

/**
 * The subset name a `version` label value stands for when it is not a valid subset name itself: lower case, every
 * run of characters other than letters, digits and `-` replaced by `-` (`2.0.0` → `2-0-0`, `V1.2_rc` → `v1-2-rc`).
 */
export function subsetNameForVersion(version: string): string {
  return version
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63)
    .replace(/-+$/, '');
}

function podLabelsOf(deployment: ActionKubeObject): Record<string, unknown> {
  const template = asRecord(asRecord(deployment.spec)?.template);
  return asRecord(asRecord(template?.metadata)?.labels) ?? {};
}

function versionOf(deployment: ActionKubeObject): string | undefined {
  return asString(podLabelsOf(deployment)[VERSION_LABEL]);
}

/**
 * The DestinationRule patch that defines a missing subset, from the one Deployment of the entity whose pod-template
 * `version` label is the subset name (or, failing that, maps to it by {@link subsetNameForVersion}).
 */
function subsetAddition(
  ctx: PlanContext,
  subset: string,
  host: string,
  rules: ActionKubeObject[],
): { patch: RolloutObjectPatch; version: string; rule: string } {
  const notDefined = subsetNotDefined(ctx, subset, host, rules);
  if (rules.length === 0) {
    throw new ActionValidationError(
      'subset',
      `${notDefined}; create a DestinationRule with the subset first`,
    );
  }
  if (rules.length > 1) {
    throw new ActionValidationError(
      'subset',
      `${notDefined}, and with several DestinationRules for the host the subset cannot be added to one of them automatically`,
    );
  }
  const [rule] = rules;
  const ruleName = rule.metadata?.name ?? '';
  const namespace =
    clusterLocalParts(hostOf(ctx, host), ctx.hostOptions)?.namespace ??
    rule.metadata?.namespace ??
    ctx.namespace;
  const versions = ctx.deployments
    .filter(d => (d.metadata?.namespace ?? namespace) === namespace)
    .flatMap(d => {
      const version = versionOf(d);
      return version
        ? [{ name: d.metadata?.name ?? '', version, labels: podLabelsOf(d) }]
        : [];
    });
  const exact = versions.filter(v => v.version === subset);
  const candidates =
    exact.length > 0
      ? exact
      : versions.filter(v => subsetNameForVersion(v.version) === subset);
  if (candidates.length === 0) {
    throw new ActionValidationError(
      'subset',
      `${notDefined}, and no Deployment of the entity in namespace ${namespace} has the pod-template label ` +
        `${VERSION_LABEL}=${subset} to add it from`,
    );
  }
  if (candidates.length > 1) {
    throw new ActionValidationError(
      'subset',
      `${notDefined}, and Deployments ${quoteList(
        candidates.map(c => c.name),
      )} all carry a matching ${VERSION_LABEL} label (${[
        ...new Set(candidates.map(c => c.version)),
      ].join(', ')}); add the subset to the DestinationRule by hand`,
    );
  }
  const { version, labels, name } = candidates[0];
  // A subset whose labels the pods carry selects them already (by version or by any other label).
  const taken = subsetsOf(rule).find(
    s =>
      Object.keys(s.labels).length > 0 &&
      Object.entries(s.labels).every(([k, v]) => labels[k] === v),
  );
  if (taken) {
    throw new ActionValidationError(
      'subset',
      `the pods of Deployment "${name}" (${VERSION_LABEL}=${version}) are already subset "${taken.name}" of ` +
        `DestinationRule "${ruleName}"; start the canary with subset "${taken.name}"`,
    );
  }
  const value = { name: subset, labels: { [VERSION_LABEL]: version } };
  const hasSubsets = Array.isArray(asRecord(rule.spec)?.subsets);
  const operations: JsonPatchOperation[] = [
    hasSubsets
      ? { op: 'add', path: '/spec/subsets/-', value }
      : { op: 'add', path: '/spec/subsets', value: [value] },
  ];
  if (rule.metadata?.resourceVersion) {
    operations.unshift(resourceVersionGuard(rule.metadata.resourceVersion));
  }
  return {
    patch: {
      kind: 'DestinationRule',
      namespace: rule.metadata?.namespace ?? ctx.namespace,
      name: ruleName,
      operations,
    },
    version,
    rule: ruleName,
  };
}

/**
 * Refuses a route a canary cannot join: one without destinations, to several hosts, or whose destinations use
 * different ports (the canary copies host and port from them). Answers the route's first destination.
 */
export function requireCanaryRoute(
  ctx: PlanContext,
  route: LocatedRoute,
): LocatedDestination {
  requireDestinations(route);
  const [first] = route.destinations;
  const otherHost = route.destinations.find(
    d => hostOf(ctx, d.host) !== hostOf(ctx, first.host),
  );
  if (otherHost) {
    throw new ActionValidationError(
      'route',
      `${route.label} sends to several hosts ("${first.host}", "${otherHost.host}"); a canary needs a route to one host`,
    );
  }
  if (route.destinations.some(d => !jsonEqual(d.port, first.port))) {
    throw new ActionValidationError(
      'route',
      `the destinations of ${route.label} use different ports, so the canary's port cannot be copied from them`,
    );
  }
  return first;
}

/**
 * The subset names a canary of the route could use, for the read model to try: the subsets of the host's
 * DestinationRules, then the names the entity's Deployments' `version` labels stand for. The planner decides
 * which of them it accepts.
 */
export function canaryCandidateNames(
  ctx: PlanContext,
  route: LocatedRoute,
): string[] {
  const [first] = route.destinations;
  if (!first) return [];
  const defined = destinationRulesForHost(ctx, first.host).flatMap(dr =>
    subsetsOf(dr).flatMap(s => (s.name ? [s.name] : [])),
  );
  const versions = ctx.deployments.flatMap(d => {
    const version = versionOf(d);
    return version ? [version, subsetNameForVersion(version)] : [];
  });
  return [...new Set([...defined, ...versions])];
}

/**
 * `startCanary`: adds `{ destination: { host, subset, port }, weight: 0 }` to the route (host and port copied from
 * its destinations). A lone destination without weight gets an explicit `weight: 100` in the same patch, since
 * Istio would read the pair as 0/0. When no DestinationRule for the host defines the subset, it is added to the
 * DestinationRule first (see {@link subsetAddition}), as a separate patch ordered before the VirtualService's.
 */
export function planStartCanary(
  ctx: PlanContext,
  route: LocatedRoute,
  subset: string,
): Planned {
  if (!SUBSET_NAME.test(subset)) {
    throw new ActionValidationError(
      'subset',
      `must be a subset name (lower-case letters, digits and "-", at most 63 characters), got ${show(
        subset,
      )}`,
    );
  }
  const first = requireCanaryRoute(ctx, route);
  if (route.destinations.some(d => d.subset === subset)) {
    throw new ActionValidationError(
      'subset',
      `"${subset}" is already a destination of route ${route.label}`,
    );
  }

  const patches: RolloutObjectPatch[] = [];
  const notes: string[] = [];
  const rules = destinationRulesForHost(ctx, first.host);
  if (!definesSubset(rules, subset)) {
    const addition = subsetAddition(ctx, subset, first.host, rules);
    patches.push(addition.patch);
    notes.push(
      `added subset ${subset} (${VERSION_LABEL}=${addition.version}) to DestinationRule "${addition.rule}"`,
    );
  }

  const operations: JsonPatchOperation[] = [];
  for (const d of route.destinations) {
    operations.push(destinationGuard(d));
  }
  const [lone, ...others] = route.destinations;
  if (others.length === 0 && lone.weight === undefined) {
    operations.push(...weightOperations(lone, 100));
    notes.push(`${lone.key} gets an explicit weight 100`);
  }
  const destination: Record<string, unknown> = { host: first.host, subset };
  if (first.port !== undefined) destination.port = copy(first.port);
  operations.push({
    op: 'add',
    path: `${route.path}/route/-`,
    value: { destination, weight: 0 },
  });
  patches.push(...virtualServicePatch(ctx, operations));

  return {
    patches,
    primary: route,
    routes: [route],
    summary: [
      `${route.label}: start canary ${subset} at 0 % beside ${describeSplit(
        route,
      )}`,
      ...notes,
    ].join('; '),
  };
}
