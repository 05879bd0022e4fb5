/**
 * Findings: what a developer should know about a rollout, each with a stable code (documented in the README's
 * "Findings" table, which the UI and the docs link to).
 */
import { Finding, RolloutOwner } from '../api';
import type { ParsedRoute } from './parseVirtualService';
import { canonicalHost, clusterLocalParts, HostOptions } from './hosts';
import { asString, KubeObject, nameOf, namespaceOf, specOf } from './kube';
import { parseVirtualService } from './parseVirtualService';
import { destinationRuleHost, HostSubsets, readyPods } from './subsets';

/** The stable codes of every finding. @public */
export const FindingCodes = {
  WEIGHTS_DO_NOT_SUM_TO_100: 'WEIGHTS_DO_NOT_SUM_TO_100',
  SUBSET_NOT_DEFINED: 'SUBSET_NOT_DEFINED',
  SUBSET_HAS_NO_READY_PODS: 'SUBSET_HAS_NO_READY_PODS',
  HOST_IN_SEVERAL_VIRTUAL_SERVICES: 'HOST_IN_SEVERAL_VIRTUAL_SERVICES',
  OWNED_BY_CONTROLLER: 'OWNED_BY_CONTROLLER',
  TRACKED_BY_GITOPS: 'TRACKED_BY_GITOPS',
  DESTINATION_RULE_HOST_HAS_NO_SERVICE: 'DESTINATION_RULE_HOST_HAS_NO_SERVICE',
  // The backend adds these, from the catalog and the cluster (the trust boundary).
  SHARED_CLAIM: 'SHARED_CLAIM',
  NO_NAMESPACE_CONSENT: 'NO_NAMESPACE_CONSENT',
  CLAIMS_UNAVAILABLE: 'CLAIMS_UNAVAILABLE',
  // Canary health, from Prometheus (the metrics endpoint, not the read model).
  CANARY_ERROR_RATE: 'CANARY_ERROR_RATE',
  CANARY_LATENCY: 'CANARY_LATENCY',
  NO_CANARY_TRAFFIC: 'NO_CANARY_TRAFFIC',
} as const;

/** One of the stable finding codes. @public */
export type FindingCode = (typeof FindingCodes)[keyof typeof FindingCodes];

const OWNER_TITLES: Record<RolloutOwner['kind'], string> = {
  ArgoRollouts: 'Argo Rollouts',
  Flagger: 'Flagger',
  ArgoCD: 'Argo CD',
  Flux: 'Flux',
};

function ownerObject(owner: RolloutOwner): string {
  switch (owner.kind) {
    case 'ArgoRollouts':
      return 'Rollout';
    case 'Flagger':
      return 'Canary';
    case 'ArgoCD':
      return 'Application';
    default:
      return owner.via?.includes('helm.toolkit.fluxcd.io')
        ? 'HelmRelease'
        : 'Kustomization';
  }
}

/** `route "reviews-route" (http #0)`, or `http route #0` when the route has no name. */
export function describeRoute(route: ParsedRoute): string {
  return route.name
    ? `route "${route.name}" (${route.kind} #${route.index})`
    : `${route.kind} route #${route.index}`;
}

function routeRef(route: ParsedRoute): Finding['route'] {
  return { kind: route.kind, index: route.index };
}

function formatPercent(n: number): string {
  return `${Math.round(n * 10) / 10} %`;
}

/** WEIGHTS_DO_NOT_SUM_TO_100: a route whose weights add up to anything but 100. @public */
export function weightFindings(routes: ParsedRoute[]): Finding[] {
  return routes.flatMap((route): Finding[] => {
    if (route.destinations.length === 0) return [];
    const total = route.destinations.reduce((sum, d) => sum + d.weight, 0);
    if (total === 100) return [];
    const label = (d: ParsedRoute['destinations'][number]) =>
      d.subset ?? d.host;
    const listed = route.destinations
      .map(d => `${label(d)} ${d.weight}`)
      .join(', ');
    const where = describeRoute(route);
    if (total <= 0) {
      return [
        {
          code: FindingCodes.WEIGHTS_DO_NOT_SUM_TO_100,
          severity: 'error',
          message: `The weights of ${where} add up to ${total} (${listed}). Istio rejects a route whose weights total 0; give the destination that should serve traffic a weight, e.g. 100.`,
          route: routeRef(route),
        },
      ];
    }
    const shares = route.destinations
      .map(d => `${label(d)} ${formatPercent((d.weight / total) * 100)}`)
      .join(', ');
    return [
      {
        code: FindingCodes.WEIGHTS_DO_NOT_SUM_TO_100,
        severity: 'warning',
        message: `The weights of ${where} add up to ${total} (${listed}), not 100. Istio reads them as relative shares (${shares}); set weights that add up to 100 so the split is what it says.`,
        route: routeRef(route),
      },
    ];
  });
}

/**
 * SUBSET_NOT_DEFINED: a route sends (or mirrors) to a subset no DestinationRule for that host defines.
 * SUBSET_HAS_NO_READY_PODS: a subset behind the routes selects no ready pod — a warning when a route sends it
 * traffic, information when it is staged at no traffic.
 * @public
 */
export function subsetFindings(
  routes: ParsedRoute[],
  hosts: HostSubsets[],
  virtualServiceNamespace: string,
  hostOptions: HostOptions = {},
): Finding[] {
  const findings: Finding[] = [];
  const groupOf = (host: string) =>
    hosts.find(
      g => g.host === canonicalHost(host, virtualServiceNamespace, hostOptions),
    );

  for (const route of routes) {
    const seen = new Set<string>();
    const refs = [
      ...route.destinations.map(d => ({ ...d, verb: 'sends traffic to' })),
      ...(route.mirrors ?? []).map(m => ({ ...m, verb: 'mirrors to' })),
    ];
    for (const ref of refs) {
      if (!ref.subset) continue;
      const group = groupOf(ref.host);
      const key = `${group?.host ?? ref.host}\u0000${ref.subset}`;
      if (seen.has(key)) continue;
      seen.add(key);
      if (group?.subsets.some(s => s.name === ref.subset)) continue;
      const why =
        group && group.destinationRules.length > 0
          ? `no DestinationRule for that host (${group.destinationRules
              .map(nameOf)
              .join(', ')}) defines it`
          : 'no DestinationRule for that host is among the objects selected for this entity';
      findings.push({
        code: FindingCodes.SUBSET_NOT_DEFINED,
        severity: 'error',
        message: `${capitalise(describeRoute(route))} ${ref.verb} subset "${
          ref.subset
        }" of host "${
          ref.host
        }", but ${why}. Istio fails those requests (503); add the subset to the DestinationRule or fix the subset name.`,
        route: routeRef(route),
        subset: ref.subset,
        host: ref.host,
      });
    }
  }

  for (const group of hosts) {
    for (const subset of group.subsets) {
      if (readyPods(subset) > 0) continue;
      const selected =
        subset.workloads.length === 0
          ? `no Deployment matches its labels ${formatLabels(subset.labels)}`
          : `its Deployments (${subset.workloads
              .map(w => w.name)
              .join(', ')}) have no ready replica`;
      const liveRoute = routes.find(r =>
        r.destinations.some(
          d =>
            d.subset === subset.name &&
            d.weight > 0 &&
            canonicalHost(d.host, virtualServiceNamespace, hostOptions) ===
              group.host,
        ),
      );
      findings.push(
        liveRoute
          ? {
              code: FindingCodes.SUBSET_HAS_NO_READY_PODS,
              severity: 'warning',
              message: `Subset "${subset.name}" of host "${
                subset.host
              }" gets traffic from ${describeRoute(
                liveRoute,
              )} but selects no ready pod: ${selected}. Its share of requests fails until pods are ready; move its weight to a ready subset or fix the Deployment.`,
              route: routeRef(liveRoute),
              subset: subset.name,
              host: subset.host,
            }
          : {
              code: FindingCodes.SUBSET_HAS_NO_READY_PODS,
              severity: 'info',
              message: `Subset "${subset.name}" of host "${subset.host}" gets no traffic and selects no ready pod: ${selected}. Start its pods before sending it traffic.`,
              subset: subset.name,
              host: subset.host,
            },
      );
    }
  }
  return findings;
}

function formatLabels(labels: Record<string, string>): string {
  const pairs = Object.entries(labels).map(([k, v]) => `${k}=${v}`);
  return pairs.length > 0 ? pairs.join(',') : '(none)';
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** A VirtualService's gateways, qualified by namespace; none written means `mesh`. */
function gatewaySet(vs: KubeObject, gateways: string[]): Set<string> {
  const ns = namespaceOf(vs);
  const list = gateways.length > 0 ? gateways : ['mesh'];
  return new Set(
    list.map(g => (g === 'mesh' || g.includes('/') ? g : `${ns}/${g}`)),
  );
}

/**
 * HOST_IN_SEVERAL_VIRTUAL_SERVICES: another VirtualService of the cluster routes one of the same hosts for one
 * of the same gateways (`mesh` included), so which routes apply is not decided by this object alone.
 * @public
 */
export function duplicateHostFindings(
  vs: KubeObject,
  /** The cluster's VirtualServices, or their {@link indexVirtualServiceHosts} (once per cluster, not per object). */
  virtualServices: KubeObject[] | VirtualServiceHostIndex,
  hostOptions: HostOptions = {},
): Finding[] {
  const index = Array.isArray(virtualServices)
    ? indexVirtualServiceHosts(virtualServices, hostOptions)
    : virtualServices;
  const own = index.entries.get(vs) ?? hostEntry(vs, hostOptions);
  const isOwn = (o: KubeObject) =>
    nameOf(o) === nameOf(vs) && namespaceOf(o) === namespaceOf(vs);
  return own.hosts.flatMap((host): Finding[] => {
    const clashing = (index.byHost.get(host.canonical) ?? []).filter(
      o => !isOwn(o.obj) && [...o.gateways].some(g => own.gateways.has(g)),
    );
    if (clashing.length === 0) return [];
    const names = clashing
      .map(o => `${namespaceOf(o.obj)}/${nameOf(o.obj)}`)
      .join(', ');
    return [
      {
        code: FindingCodes.HOST_IN_SEVERAL_VIRTUAL_SERVICES,
        severity: 'warning',
        message: `Host "${host.raw}" is also routed by VirtualService ${names} on the same gateway. Istio then merges the VirtualServices in no guaranteed order or applies only one of them, so the weights shown here may not be the ones in effect; keep one VirtualService per host.`,
        host: host.raw,
      },
    ];
  });
}

/** A VirtualService's hosts (as written, and canonical) and gateways. */
interface HostEntry {
  obj: KubeObject;
  hosts: Array<{ raw: string; canonical: string }>;
  gateways: Set<string>;
}

/**
 * The VirtualServices of a cluster by canonical host, parsed once: duplicate hosts are then found in one pass
 * rather than by parsing every VirtualService again for each (a portal-wide read holds thousands).
 * @public
 */
export interface VirtualServiceHostIndex {
  entries: Map<KubeObject, HostEntry>;
  byHost: Map<string, HostEntry[]>;
}

function hostEntry(vs: KubeObject, hostOptions: HostOptions): HostEntry {
  const parsed = parseVirtualService(vs);
  return {
    obj: vs,
    hosts: parsed.hosts
      .filter(h => h !== '*')
      .map(h => ({
        raw: h,
        canonical: canonicalHost(h, namespaceOf(vs), hostOptions),
      })),
    gateways: gatewaySet(vs, parsed.gateways),
  };
}

/** Indexes a cluster's VirtualServices by canonical host, for {@link duplicateHostFindings}. @public */
export function indexVirtualServiceHosts(
  virtualServices: KubeObject[],
  hostOptions: HostOptions = {},
): VirtualServiceHostIndex {
  const entries = new Map<KubeObject, HostEntry>();
  const byHost = new Map<string, HostEntry[]>();
  for (const vs of virtualServices) {
    const entry = hostEntry(vs, hostOptions);
    entries.set(vs, entry);
    for (const host of new Set(entry.hosts.map(h => h.canonical))) {
      const list = byHost.get(host) ?? [];
      list.push(entry);
      byHost.set(host, list);
    }
  }
  return { entries, byHost };
}

/**
 * OWNED_BY_CONTROLLER for Argo Rollouts and Flagger, TRACKED_BY_GITOPS for Argo CD and Flux.
 * @public
 */
export function ownerFindings(owners: RolloutOwner[]): Finding[] {
  return owners.map(owner => {
    const title = OWNER_TITLES[owner.kind];
    const object = owner.name ? ` (${ownerObject(owner)} "${owner.name}")` : '';
    const via = owner.via ? `, seen from ${owner.via}` : '';
    if (owner.effect === 'refuses-edits') {
      const how =
        owner.kind === 'Flagger'
          ? 'change the Canary or let its analysis promote or roll back'
          : 'promote or abort the Rollout instead';
      return {
        code: FindingCodes.OWNED_BY_CONTROLLER,
        severity: 'warning',
        message: `Managed by ${title}${object}${via}. The controller sets these weights itself and would revert edits made here, so they are refused: ${how}.`,
      };
    }
    return {
      code: FindingCodes.TRACKED_BY_GITOPS,
      severity: 'info',
      message: `Tracked by ${title}${object}${via}. With self-heal or the next sync, ${title} puts back what Git says: change the manifest in Git too, or expect an edit made here to be undone.`,
    };
  });
}

/**
 * DESTINATION_RULE_HOST_HAS_NO_SERVICE: a DestinationRule for a cluster-local host that matches no Service
 * among the listed ones (wildcard and external hosts, e.g. for ServiceEntries, are not checked).
 * @public
 */
export function serviceFindings(
  destinationRules: KubeObject[],
  /** The cluster's Services, or their {@link serviceHostSet} (once per cluster, not per object). */
  services: KubeObject[] | ReadonlySet<string>,
  hostOptions: HostOptions = {},
): Finding[] {
  const serviceHosts = Array.isArray(services)
    ? serviceHostSet(services, hostOptions)
    : services;
  return destinationRules.flatMap((dr): Finding[] => {
    const canonical = destinationRuleHost(dr, hostOptions);
    const parts = clusterLocalParts(canonical, hostOptions);
    if (!parts || serviceHosts.has(canonical)) return [];
    const host = asString(specOf(dr).host) ?? '';
    return [
      {
        code: FindingCodes.DESTINATION_RULE_HOST_HAS_NO_SERVICE,
        severity: 'warning',
        message: `DestinationRule "${nameOf(
          dr,
        )}" is for host "${host}" (${canonical}), but no Service "${
          parts.service
        }" in namespace ${
          parts.namespace
        } is among the objects selected for this entity. Check the host's spelling, or label the Service like the entity's other objects so its subsets can be joined to their pods.`,
        host,
      },
    ];
  });
}

/** The canonical hosts of a cluster's Services, for {@link serviceFindings}. @public */
export function serviceHostSet(
  services: KubeObject[],
  hostOptions: HostOptions = {},
): ReadonlySet<string> {
  return new Set(
    services.map(svc =>
      canonicalHost(nameOf(svc), namespaceOf(svc), hostOptions),
    ),
  );
}

const SEVERITY_ORDER: Record<Finding['severity'], number> = {
  error: 0,
  warning: 1,
  info: 2,
};

/** Errors first, then warnings, then information; otherwise in the order found. @public */
export function sortFindings(findings: Finding[]): Finding[] {
  return findings
    .map((f, i) => ({ f, i }))
    .sort(
      (a, b) =>
        SEVERITY_ORDER[a.f.severity] - SEVERITY_ORDER[b.f.severity] ||
        a.i - b.i,
    )
    .map(x => x.f);
}
