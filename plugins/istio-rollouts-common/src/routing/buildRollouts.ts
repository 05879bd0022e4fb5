/**
 * The read model of one cluster: every selected VirtualService as a rollout, joined with the DestinationRule
 * subsets and Deployments behind its routes, its phase, owner, mesh revision and findings.
 *
 * Pure: the backend lists the objects (with the entity's label selector) and adds `allowedActions` (and, where its
 * history knows better, the rollback offers).
 */
import { routeOffers } from '../actions/offers';
import { destinationRulesInScope } from './destinationRuleScope';
import { Finding, RouteDestination, Rollout } from '../api';
import {
  duplicateHostFindings,
  ownerFindings,
  serviceFindings,
  sortFindings,
  subsetFindings,
  weightFindings,
} from './findings';
import { canonicalHost, HostOptions } from './hosts';
import { KubeObject, nameOf, namespaceOf } from './kube';
import { meshRevisionOf } from './meshRevision';
import { detectOwners } from './owner';
import { parseVirtualService } from './parseVirtualService';
import { determinePhase } from './phase';
import { readyPods, resolveRouteHosts } from './subsets';

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
    const key = (host: string) => canonicalHost(host, namespace, hostOptions);

    // The phase rules only ask about subsets: a blue/green pair is two subsets of one host.
    const isReady = (d: RouteDestination): boolean =>
      hosts.some(
        h =>
          h.host === key(d.host) &&
          h.subsets.some(s => s.name === d.subset && readyPods(s) > 0),
      );
    const phase = determinePhase(spec.routes, { hostKey: key, isReady });

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
      ...duplicateHostFindings(vs, virtualServices, hostOptions),
      ...serviceFindings(checkedDrs, services, hostOptions),
    ]);
    // What each action would do on each route, by the planners' own rules.
    const offers = routeOffers(
      {
        virtualService: vs,
        destinationRules,
        deployments,
        candidateSubset: phase.candidateSubset,
        stableSubset: phase.stableSubset,
      },
      spec.routes,
    );
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
      routes: spec.routes.map((route, i) => ({ ...route, offers: offers[i] })),
      subsets: hosts.flatMap(h => h.subsets),
      ...phase,
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
