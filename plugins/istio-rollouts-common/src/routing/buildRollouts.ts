/**
 * The read model of one cluster: every selected VirtualService as a rollout, joined with the DestinationRule
 * subsets and Deployments behind its routes, its phase, owner, mesh revision and findings.
 *
 * Pure: the backend lists the objects (with the entity's label selector) and adds `allowedActions` (and, where its
 * history knows better, the rollback offers).
 */
import { headerRoutePairs, routeOffers } from '../actions/offers';
import { destinationRulesInScope } from './destinationRuleScope';
import { Finding, Rollout, Route } from '../api';
import {
  HeaderPairRole,
  readRoutePhase,
  rolloutState,
  routeState,
} from '../state';
import {
  duplicateHostFindings,
  indexVirtualServiceHosts,
  serviceHostSet,
  ownerFindings,
  serviceFindings,
  sortFindings,
  subsetFindings,
  weightFindings,
} from './findings';
import { HostOptions } from './hosts';
import { KubeObject, nameOf, namespaceOf } from './kube';
import { meshRevisionOf } from './meshRevision';
import { detectOwners } from './owner';
import { parseVirtualService } from './parseVirtualService';
import { resolveRouteHosts } from './subsets';
import type { ParsedRoute } from './parseVirtualService';

/** The objects of one cluster selected for an entity. @public */
export interface ClusterObjects {
  cluster: string;
  /** The networking.istio.io version the objects were read at, e.g. 'v1'. */
  istioVersion: string;
  /** Selected by the entity's label selector. */
  virtualServices: KubeObject[];
  /** Same selector. */
  destinationRules: KubeObject[];
  /** Same selector. */
  deployments: KubeObject[];
  /** Same selector. */
  services: KubeObject[];
  /** The Namespace objects of the namespaces above (for meshRevision). */
  namespaces: KubeObject[];
}

/** A rollout before the caller's permissions are known. @public */
export type RolloutReadModel = Omit<Rollout, 'allowedActions'>;

/** Tuning for clusters that differ from the defaults. @public */
export interface BuildRolloutsOptions {
  /** The cluster DNS domain, `cluster.local` by default. */
  clusterDomain?: string;
}

function ofKind(objects: KubeObject[], kind: string): KubeObject[] {
  // Lists from the API server omit `kind` on items; only drop objects that say they are something else.
  return objects.filter(o => !o.kind || o.kind === kind);
}

/**
 * Each route with what the planners would do on it and its state: the phase is read first (its stable and candidate
 * choose the promote and rollback targets), then the offers, then the next actions they allow.
 */
function statedRoutes(
  parsed: ParsedRoute[],
  planInput: Parameters<typeof routeOffers>[0],
): Route[] {
  const pairs = headerRoutePairs(planInput);
  const http = (index: number) =>
    parsed.find(r => r.kind === 'http' && r.index === index);
  const pairOf = (route: ParsedRoute): HeaderPairRole | undefined => {
    if (route.kind !== 'http') return undefined;
    const pair = pairs.find(
      p => p.header === route.index || p.fallback === route.index,
    );
    const header = pair && http(pair.header);
    const fallback = pair && http(pair.fallback);
    const live = fallback?.destinations[0]?.subset;
    const idle = header?.destinations[0]?.subset;
    return live && idle && header
      ? { live, idle, headerMatch: header.match }
      : undefined;
  };
  const readings = parsed.map(route => readRoutePhase(route, pairOf(route)));
  const offers = routeOffers(
    planInput,
    parsed.map((route, i) => ({
      kind: route.kind,
      index: route.index,
      stableSubset: readings[i].stableSubset,
      candidateSubset: readings[i].candidateSubset,
    })),
  );
  return parsed.map((route, i) => ({
    ...route,
    offers: offers[i],
    state: routeState(readings[i], offers[i]),
  }));
}

/**
 * Turns the objects of one cluster into one rollout per VirtualService, sorted by namespace and name.
 * @public
 */
export function buildRollouts(
  objects: ClusterObjects,
  options: BuildRolloutsOptions = {},
): RolloutReadModel[] {
  const virtualServices = ofKind(objects.virtualServices, 'VirtualService');
  const destinationRules = ofKind(objects.destinationRules, 'DestinationRule');
  const deployments = ofKind(objects.deployments, 'Deployment');
  const services = ofKind(objects.services, 'Service');
  const namespaces = ofKind(objects.namespaces, 'Namespace');

  const knownNamespaces = new Set<string>([
    ...namespaces.map(nameOf),
    ...[
      ...virtualServices,
      ...destinationRules,
      ...deployments,
      ...services,
    ].map(namespaceOf),
  ]);
  const hostOptions: HostOptions = {
    clusterDomain: options.clusterDomain,
    namespaces: knownNamespaces,
  };
  const sources = { destinationRules, deployments, services, hostOptions };
  const hostIndex = indexVirtualServiceHosts(virtualServices, hostOptions);
  const serviceHosts = serviceHostSet(services, hostOptions);
  const deploymentsByNamespace = new Map<string, KubeObject[]>();
  for (const d of deployments) {
    const list = deploymentsByNamespace.get(namespaceOf(d)) ?? [];
    list.push(d);
    deploymentsByNamespace.set(namespaceOf(d), list);
  }

  const parsed = virtualServices.map(vs => {
    const spec = parseVirtualService(vs);
    const hosts = resolveRouteHosts(spec.routes, namespaceOf(vs), {
      ...sources,
      destinationRules: destinationRulesInScope(
        vs,
        destinationRules,
        hostOptions,
      ),
    });
    return { vs, spec, hosts };
  });
  // DestinationRules no route points at (e.g. a misspelt host) are reported with every rollout of their namespace.
  const routedDrs = new Set(
    parsed.flatMap(p => p.hosts.flatMap(h => h.destinationRules)),
  );

  const rollouts = parsed.map(({ vs, spec, hosts }): RolloutReadModel => {
    const namespace = namespaceOf(vs);
    const name = nameOf(vs);

    const relatedDrs = hosts.flatMap(h => h.destinationRules);
    const owners = detectOwners(vs, {
      destinationRules: relatedDrs,
      services: hosts.flatMap(h => (h.service ? [h.service] : [])),
    });
    const checkedDrs = [
      ...new Set([
        ...relatedDrs,
        ...destinationRules.filter(
          dr => !routedDrs.has(dr) && namespaceOf(dr) === namespace,
        ),
      ]),
    ];
    const findings: Finding[] = sortFindings([
      ...ownerFindings(owners),
      ...weightFindings(spec.routes),
      ...subsetFindings(spec.routes, hosts, namespace, hostOptions),
      ...duplicateHostFindings(vs, hostIndex, hostOptions),
      ...serviceFindings(checkedDrs, serviceHosts, hostOptions),
    ]);
    // What the planners may need of the cluster: this VirtualService's DestinationRules, and the Deployments of
    // the namespaces its hosts' Services and DestinationRules are in (a cluster-wide read holds thousands).
    const planNamespaces = new Set([
      namespace,
      ...relatedDrs.map(namespaceOf),
      ...hosts.flatMap(h => (h.service ? [namespaceOf(h.service)] : [])),
    ]);
    const planInput = {
      virtualService: vs,
      destinationRules: [...new Set(relatedDrs)],
      deployments: [...planNamespaces].flatMap(
        ns => deploymentsByNamespace.get(ns) ?? [],
      ),
    };
    const routes = statedRoutes(spec.routes, planInput);
    const state = rolloutState(routes);
    const namespaceObject = namespaces.find(n => nameOf(n) === namespace);
    const meshRevision = meshRevisionOf(namespaceObject);

    return {
      id: `${objects.cluster}/${namespace}/${name}`,
      cluster: objects.cluster,
      namespace,
      name,
      apiVersion: `networking.istio.io/${objects.istioVersion}`,
      resourceVersion: vs.metadata?.resourceVersion ?? '',
      hosts: spec.hosts,
      gateways: spec.gateways,
      ...(owners[0] ? { owner: owners[0] } : {}),
      routes,
      subsets: hosts.flatMap(h => h.subsets),
      state,
      phase: state.phase,
      ...(state.stableSubset !== undefined
        ? { stableSubset: state.stableSubset }
        : {}),
      ...(state.candidateSubset !== undefined
        ? { candidateSubset: state.candidateSubset }
        : {}),
      ...(meshRevision ? { meshRevision } : {}),
      findings,
    };
  });

  return rollouts.sort((a, b) =>
    a.namespace === b.namespace
      ? a.name.localeCompare(b.name)
      : a.namespace.localeCompare(b.namespace),
  );
}
