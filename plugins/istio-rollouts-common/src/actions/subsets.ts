import { canonicalHost, hostMatchesPattern } from '../routing/hosts';
import { ActionValidationError } from './ActionValidationError';
import { asArray, asRecord, asString, quoteList } from './json';
import { hostOf } from './planning';
import type { ActionKubeObject, PlanContext } from './types';

type SubsetContext = Pick<
  PlanContext,
  'namespace' | 'hostOptions' | 'destinationRules'
>;

/**
 * The DestinationRules that define subsets for a host written in the VirtualService: those whose `spec.host` is
 * the same host (a short DestinationRule host resolves against the rule's own namespace); when there is none, the
 * ones with the most specific wildcard host covering it (`*.bookinfo.svc.cluster.local`).
 */
export function destinationRulesForHost(
  ctx: SubsetContext,
  host: string,
): ActionKubeObject[] {
  const target = hostOf(ctx, host);
  const withHost = ctx.destinationRules.flatMap(dr => {
    const drHost = asString(asRecord(dr.spec)?.host);
    if (!drHost) return [];
    const namespace = dr.metadata?.namespace ?? ctx.namespace;
    return [{ dr, host: canonicalHost(drHost, namespace, ctx.hostOptions) }];
  });
  const exact = withHost.filter(c => c.host === target);
  if (exact.length > 0) return exact.map(c => c.dr);
  const wildcards = withHost.filter(
    c => c.host.startsWith('*') && hostMatchesPattern(c.host, target),
  );
  const longest = Math.max(0, ...wildcards.map(c => c.host.length));
  return wildcards.filter(c => c.host.length === longest).map(c => c.dr);
}

/** The subsets of a DestinationRule, as written. */
export function subsetsOf(
  dr: ActionKubeObject,
): Array<{ name?: string; labels: Record<string, unknown> }> {
  return (asArray(asRecord(dr.spec)?.subsets) ?? []).map(s => {
    const subset = asRecord(s) ?? {};
    return {
      name: asString(subset.name),
      labels: asRecord(subset.labels) ?? {},
    };
  });
}

/** Whether one of the DestinationRules defines the subset. */
export function definesSubset(
  destinationRules: ActionKubeObject[],
  subset: string,
): boolean {
  return destinationRules.some(dr =>
    subsetsOf(dr).some(s => s.name === subset),
  );
}

/**
 * Why a subset is not available, naming the DestinationRules checked:
 * `subset "v4" is not defined in DestinationRule "reviews"`.
 */
export function subsetNotDefined(
  ctx: SubsetContext,
  subset: string,
  host: string,
  checked: ActionKubeObject[],
): string {
  if (checked.length === 0) {
    return `subset "${subset}" is not defined: no DestinationRule for host "${hostOf(
      ctx,
      host,
    )}"`;
  }
  const names = checked.map(dr => dr.metadata?.name ?? '');
  return `subset "${subset}" is not defined in DestinationRule${
    names.length > 1 ? 's' : ''
  } ${quoteList(names)}`;
}

/**
 * Refuses a subset that no DestinationRule for the host defines (traffic sent there fails with 503): throws an
 * {@link ActionValidationError} on `field`.
 */
export function requireSubsetDefined(
  field: string,
  subset: string,
  host: string,
  ctx: SubsetContext,
): void {
  const rules = destinationRulesForHost(ctx, host);
  if (!definesSubset(rules, subset)) {
    throw new ActionValidationError(
      field,
      subsetNotDefined(ctx, subset, host, rules),
    );
  }
}
