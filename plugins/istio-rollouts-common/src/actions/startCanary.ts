import type { Operation } from 'fast-json-patch';
import { ActionValidationError } from './ActionValidationError';
import { clusterLocalParts } from '../routing/hosts';
import { asRecord, asString, copy, jsonEqual, quoteList, show } from './json';
import {
  destinationGuard,
  resourceVersionGuard,
  weightOperations,
} from './operations';
import {
  hostOf,
  PlanContext,
  Planned,
  routeTitle,
  virtualServicePatch,
} from './planning';
import { LocatedRoute, requireDestinations } from './routes';
import {
  definesSubset,
  destinationRulesForHost,
  subsetNotDefined,
  subsetsOf,
} from './subsets';
import type { ActionKubeObject, ObjectPatch } from './types';
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

function versionOf(deployment: ActionKubeObject): string | undefined {
  const template = asRecord(asRecord(deployment.spec)?.template);
  return asString(
    asRecord(asRecord(template?.metadata)?.labels)?.[VERSION_LABEL],
  );
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
): { patch: ObjectPatch; version: string; rule: string } {
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
      return version ? [{ name: d.metadata?.name ?? '', version }] : [];
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
  const { version } = candidates[0];
  const taken = subsetsOf(rule).find(s => s.labels[VERSION_LABEL] === version);
  if (taken) {
    throw new ActionValidationError(
      'subset',
      `pods with ${VERSION_LABEL}=${version} are already subset "${taken.name}" of DestinationRule "${ruleName}"; ` +
        `start the canary with subset "${taken.name}"`,
    );
  }
  const value = { name: subset, labels: { [VERSION_LABEL]: version } };
  const hasSubsets = Array.isArray(asRecord(rule.spec)?.subsets);
  const operations: Operation[] = [
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
 * `startCanary`: adds `{ destination: { host, subset, port }, weight: 0 }` to the route (host and port copied from
 * its destinations). A lone destination without weight gets an explicit `weight: 100` in the same patch, since
 * Istio would read the pair as 0/0. When no DestinationRule for the host defines the subset, it is added to the
 * DestinationRule first (see {@link subsetAddition}), as a separate patch ordered before the VirtualService's.
 */
export function planStartCanary(
  ctx: PlanContext,
  route: LocatedRoute,
  subset: unknown,
): Planned {
  if (typeof subset !== 'string' || !SUBSET_NAME.test(subset)) {
    throw new ActionValidationError(
      'subset',
      `must be a subset name (lower-case letters, digits and "-", at most 63 characters), got ${show(
        subset,
      )}`,
    );
  }
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
  if (route.destinations.some(d => d.subset === subset)) {
    throw new ActionValidationError(
      'subset',
      `"${subset}" is already a destination of route ${route.label}`,
    );
  }
  if (route.destinations.some(d => !jsonEqual(d.port, first.port))) {
    throw new ActionValidationError(
      'route',
      `the destinations of ${route.label} use different ports, so the canary's port cannot be copied from them`,
    );
  }

  const patches: ObjectPatch[] = [];
  const notes: string[] = [];
  const rules = destinationRulesForHost(ctx, first.host);
  if (!definesSubset(rules, subset)) {
    const addition = subsetAddition(ctx, subset, first.host, rules);
    patches.push(addition.patch);
    notes.push(
      `added subset ${subset} (${VERSION_LABEL}=${addition.version}) to DestinationRule "${addition.rule}"`,
    );
  }

  const operations: Operation[] = [];
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
      `${routeTitle(
        route,
      )}: start canary ${subset} at 0 % beside ${describeSplit(route)}`,
      ...notes,
    ].join('; '),
  };
}
