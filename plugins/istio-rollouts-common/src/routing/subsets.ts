/**
 * The DestinationRule subsets behind a VirtualService's routes, and the Deployments each subset selects.
 *
 * Workload selection rule. A subset's pods are the pods of the host's Service that also carry the subset's
 * labels — that is how Istio builds a subset's endpoints. So a Deployment is selected when:
 * - it lives in the Service's namespace, and
 * - its pod template labels contain the subset's labels AND the Service's `spec.selector`.
 * When no Service is known for the host (none among the listed objects, or one without selector), the
 * Service's selector is approximated: the Deployment must live in the host's namespace, its pod labels must
 * contain the subset's labels, and its `app` or `app.kubernetes.io/name` label must equal the host's short
 * name. Subset labels alone are not enough: in bookinfo `version: v1` matches reviews-v1, ratings-v1 and
 * details-v1.
 */
import { Subset, SubsetWorkload } from '../api';
import type { ParsedRoute } from './parseVirtualService';
import {
  canonicalHost,
  clusterLocalParts,
  hostMatchesPattern,
  HostOptions,
  serviceHost,
} from './hosts';
import {
  asArray,
  asNumber,
  asRecord,
  asString,
  asStringMap,
  KubeObject,
  labelsContain,
  nameOf,
  namespaceOf,
  specOf,
  statusOf,
} from './kube';

/** The objects of one cluster the subsets are looked up in. @public */
export interface SubsetSources {
  destinationRules: KubeObject[];
  deployments: KubeObject[];
  services: KubeObject[];
  hostOptions?: HostOptions;
}

/** One host the routes send to, with what stands behind it. @public */
export interface HostSubsets {
  /** The canonical host. */
  host: string;
  /** The DestinationRules for the host: exact matches, or else wildcard ones that cover it. */
  destinationRules: KubeObject[];
  /** The Service behind the host, when one is among the listed Services. */
  service?: KubeObject;
  subsets: Subset[];
}

/** The canonical host of a DestinationRule, resolved against its own namespace. @public */
export function destinationRuleHost(
  dr: KubeObject,
  options: HostOptions = {},
): string {
  return canonicalHost(
    asString(specOf(dr).host) ?? '',
    namespaceOf(dr),
    options,
  );
}

/**
 * The DestinationRules that apply to a canonical host: those naming it exactly, or, when there are none, the
 * wildcard ones that cover it (Istio prefers the most specific host).
 * @public
 */
export function destinationRulesForHost(
  host: string,
  destinationRules: KubeObject[],
  options: HostOptions = {},
): KubeObject[] {
  const withHost = destinationRules.map(dr => ({
    dr,
    host: destinationRuleHost(dr, options),
  }));
  const exact = withHost.filter(d => d.host === host);
  if (exact.length > 0) return exact.map(d => d.dr);
  return withHost
    .filter(d => d.host.startsWith('*') && hostMatchesPattern(d.host, host))
    .map(d => d.dr);
}

/** The listed Service whose cluster-local host is the canonical `host`, if any. @public */
export function serviceForHost(
  host: string,
  services: KubeObject[],
  options: HostOptions = {},
): KubeObject | undefined {
  return services.find(
    svc => serviceHost(nameOf(svc), namespaceOf(svc), options) === host,
  );
}

function podLabels(deployment: KubeObject): Record<string, string> {
  const template = asRecord(specOf(deployment).template);
  return asStringMap(asRecord(template?.metadata)?.labels);
}

/** A Deployment as a subset workload: images of its containers, ready and desired replicas. @public */
export function toWorkload(deployment: KubeObject): SubsetWorkload {
  const spec = specOf(deployment);
  const podSpec = asRecord(asRecord(spec.template)?.spec);
  const images: string[] = [];
  for (const raw of asArray(podSpec?.containers)) {
    const image = asString(asRecord(raw)?.image);
    if (image && !images.includes(image)) images.push(image);
  }
  return {
    kind: 'Deployment',
    name: nameOf(deployment),
    namespace: namespaceOf(deployment),
    images,
    readyReplicas: asNumber(statusOf(deployment).readyReplicas) ?? 0,
    // The API server defaults spec.replicas to 1; objects from files may omit it.
    replicas: asNumber(spec.replicas) ?? 1,
  };
}

/**
 * The Deployments a subset with `labels` selects for the canonical `host` (see the rule at the top of this
 * file). `fallbackNamespace` is used when the host is neither a known Service nor cluster-local.
 * @public
 */
export function selectWorkloads(args: {
  host: string;
  labels: Record<string, string>;
  service?: KubeObject;
  deployments: KubeObject[];
  fallbackNamespace: string;
  hostOptions?: HostOptions;
}): SubsetWorkload[] {
  const { host, labels, service, deployments } = args;
  const selector = service
    ? asStringMap(specOf(service).selector)
    : ({} as Record<string, string>);
  const local = clusterLocalParts(host, args.hostOptions);
  const namespace = service
    ? namespaceOf(service)
    : local?.namespace ?? args.fallbackNamespace;
  const shortName = local?.service ?? host.split('.')[0];
  const useService = service !== undefined && Object.keys(selector).length > 0;
  return deployments
    .filter(d => namespaceOf(d) === namespace)
    .filter(d => {
      const pod = podLabels(d);
      if (!labelsContain(pod, labels)) return false;
      if (useService) return labelsContain(pod, selector);
      return (
        pod.app === shortName || pod['app.kubernetes.io/name'] === shortName
      );
    })
    .map(toWorkload);
}

function routeTargets(
  routes: ParsedRoute[],
): Array<{ host: string; subset?: string; weight: number }> {
  return routes.flatMap(route => [
    ...route.destinations,
    // Mirrors need their subset defined too, but they carry no live traffic.
    ...(route.mirrors ?? []).map(m => ({ ...m, weight: 0 })),
  ]);
}

/**
 * For every host the routes send or mirror to (resolved against the VirtualService's namespace), the
 * DestinationRules, the Service and the subsets with their workloads. A subset is `live` when a route sends
 * it a non-zero weight.
 * @public
 */
export function resolveRouteHosts(
  routes: ParsedRoute[],
  virtualServiceNamespace: string,
  sources: SubsetSources,
): HostSubsets[] {
  const options = sources.hostOptions ?? {};
  const targets = routeTargets(routes).map(t => ({
    ...t,
    canonical: canonicalHost(t.host, virtualServiceNamespace, options),
  }));
  const hosts: string[] = [];
  for (const t of targets) {
    if (t.host && !hosts.includes(t.canonical)) hosts.push(t.canonical);
  }
  return hosts.map(host => {
    const destinationRules = destinationRulesForHost(
      host,
      sources.destinationRules,
      options,
    );
    const service = serviceForHost(host, sources.services, options);
    const subsets = destinationRules.flatMap(dr =>
      asArray(specOf(dr).subsets).flatMap((raw): Subset[] => {
        const subset = asRecord(raw);
        const name = asString(subset?.name);
        if (!subset || !name) return [];
        const labels = asStringMap(subset.labels);
        return [
          {
            host: asString(specOf(dr).host) ?? '',
            name,
            labels,
            destinationRule: nameOf(dr),
            workloads: selectWorkloads({
              host,
              labels,
              service,
              deployments: sources.deployments,
              fallbackNamespace: namespaceOf(dr),
              hostOptions: options,
            }),
            live: targets.some(
              t => t.canonical === host && t.subset === name && t.weight > 0,
            ),
          },
        ];
      }),
    );
    return {
      host,
      destinationRules,
      ...(service ? { service } : {}),
      subsets,
    };
  });
}

/** Ready pods behind a subset, over all its workloads. @public */
export function readyPods(subset: Subset): number {
  return subset.workloads.reduce((sum, w) => sum + w.readyReplicas, 0);
}
